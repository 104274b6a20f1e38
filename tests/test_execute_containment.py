"""A snippet must never take the runner down: each hazard is that block's failure."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from execute_support import make_note, run, run_one, statuses
from process_support import live_processes_with, new_marker

from notebook_runner.config import CheckConfig
from notebook_runner.execute.capture import KEEP_BYTES, KEEP_CHARS


def test_infinite_loop_times_out_at_its_line_and_later_blocks_are_not_run(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    result = run_one(
        tmp_path,
        "x = 1\n",
        ("python", "while True:\n    x += 1\n", {"timeout": "1"}),
        "print(x)\n",
    )
    assert time.monotonic() - started < 10
    assert statuses(result) == ["passed", "failed", "not-run"]
    error = result.blocks[1].error
    assert error is not None
    assert error.type == "Timeout"
    assert error.message == "timed out after 1 s"
    assert error.line in (6, 7)


def test_block_stuck_outside_python_is_killed_after_its_timeout(tmp_path: Path) -> None:
    code = "import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])\n"
    code += "import time\ntime.sleep(30)\n"
    note = make_note("n.md", code, frontmatter={"timeout": 0.5})
    started = time.monotonic()
    result = run(tmp_path, note).notes[0]
    assert time.monotonic() - started < 10
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.line) == ("Timeout", 1)
    assert error.message == "timed out after 0.5 s; it did not stop, so it was killed"


def test_memory_cap_raises_memory_error(tmp_path: Path) -> None:
    config = CheckConfig(memory_mb=256)
    note = make_note("n.md", "big = bytearray(2 * 1024 ** 3)\n", "print('after')\n")
    result = run(tmp_path, note, config=config, keep_going=True).notes[0]
    error = result.blocks[0].error
    assert error is not None and (error.type, error.line) == ("MemoryError", 2)
    assert statuses(result) == ["failed", "passed"]


def test_segfault_is_reported_at_its_line(tmp_path: Path) -> None:
    result = run_one(tmp_path, "x = 1\n", "import ctypes\nctypes.string_at(0)\n", "print(x)\n")
    assert statuses(result) == ["passed", "failed", "not-run"]
    error = result.blocks[1].error
    assert error is not None
    assert (error.type, error.message, error.line) == (
        "ProcessKilled",
        "the note process was killed by SIGSEGV",
        7,
    )
    assert error.source_line == "ctypes.string_at(0)"
    assert "Fatal Python error: Segmentation fault" in result.blocks[1].stderr


def test_os_exit_is_reported_with_its_status(tmp_path: Path) -> None:
    result = run_one(tmp_path, "print('bye')\nimport os\nos._exit(3)\n", "x = 1\n")
    assert statuses(result) == ["failed", "not-run"]
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line) == (
        "ProcessExited",
        "the note process exited with status 3",
        1,
    )


def test_sys_exit_fails_only_its_block(tmp_path: Path) -> None:
    result = run_one(
        tmp_path, "import sys\nsys.exit(3)\n", "print('still here')\n", keep_going=True
    )
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line) == ("SystemExit", "sys.exit(3) was called", 3)
    assert result.blocks[1].stdout == "still here\n"


def test_closed_stdout_fails_only_the_block_that_closed_it(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        "import sys\nsys.stdout.close()\nprint('lost')\n",
        "import os\nos.close(1)\n",
        "print('back')\n",
        keep_going=True,
    )
    assert statuses(result) == ["failed", "passed", "passed"]
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line) == (
        "ValueError",
        "I/O operation on closed file.",
        4,
    )
    assert result.blocks[2].stdout == "back\n"


def test_huge_output_keeps_head_and_tail(tmp_path: Path) -> None:
    code = "print('start' + 'x' * 100_000_000 + 'end')\nprint('done')\n"
    result = run_one(tmp_path, code)
    stdout = result.blocks[0].stdout
    assert result.blocks[0].status == "passed"
    assert stdout.startswith("startxxx")
    assert stdout.endswith("xxxend\ndone\n")
    assert f"[{100_000_000 + 14 - 2 * KEEP_CHARS} characters not shown]" in stdout
    assert len(stdout) < 3 * KEEP_CHARS


def test_fork_bomb_guard_kills_the_process_group(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """\
        import os, time
        for _ in range(30):
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
        time.sleep(60)
        """
    )
    started = time.monotonic()
    result = run_one(tmp_path, code, "x = 1\n", max_processes=10)
    assert time.monotonic() - started < 10
    assert statuses(result) == ["failed", "not-run"]
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.line) == ("TooManyProcesses", 1)


def test_ctrl_c_leaves_no_child_process(tmp_path: Path) -> None:
    started_file = tmp_path / "started"
    script = textwrap.dedent(
        f"""\
        from pathlib import Path
        from notebook_runner.config import CheckConfig
        from notebook_runner.execute import CheckOptions, check_notes
        from notebook_runner.model import CodeBlock, Note
        code = "import os, subprocess, time\\n"
        code += "subprocess.Popen(['sleep', '60'])\\n"
        code += "open({str(started_file)!r}, 'w').write('x')\\n"
        code += "time.sleep(60)\\n"
        note = Note("slow.md", "slow", {{}}, (), code_blocks=(CodeBlock("python", 1, 6, code, 2),))
        check_notes([note], Path({str(tmp_path)!r}), CheckConfig(), CheckOptions(use_cache=False))
        """
    )
    marker = new_marker()
    env = {**os.environ, marker: "1"}
    process = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.monotonic() + 20
    while not started_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started_file.exists()
    assert len(live_processes_with(marker)) >= 3  # runner, server, note, its subprocess
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) != 0
    deadline = time.monotonic() + 5
    while live_processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live_processes_with(marker) == []


def descriptor_flood(fd: int, megabytes: int) -> str:
    """Write `megabytes` MB to descriptor `fd` (with `start` and `end` at the ends); then
    `held` is how many bytes the descriptor holds, as a file would hold them all."""
    return textwrap.dedent(
        f"""\
        import os
        chunk = b"x" * (1 << 20)
        os.write({fd}, b"start")
        for _ in range({megabytes}):
            os.write({fd}, chunk)
        os.write({fd}, b"end")
        held = os.fstat({fd}).st_size
        """
    )


GRANDCHILD_FLOOD = (
    "import os\n"
    "if os.fork() == 0:\n"
    "    if os.fork() == 0:\n"
    + textwrap.indent(descriptor_flood(1, 30), "        ")
    + "        os._exit(0 if held < 2 ** 20 else 1)\n"
    "    os._exit(os.waitstatus_to_exitcode(os.wait()[1]))\n"
    "held = 0 if os.waitstatus_to_exitcode(os.wait()[1]) == 0 else 2 ** 30\n"
)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["stdout", "stderr", "grandchild"])
def test_output_written_to_descriptors_is_bounded_as_it_is_written(
    tmp_path: Path, how: str
) -> None:
    """30 MB written with `os.write` never sits anywhere (it used to fill a file in
    /dev/shm, outside the memory cap): the descriptor holds less than 1 MB at any time,
    and the result keeps head and tail and says how much was left out."""
    flood = GRANDCHILD_FLOOD if how == "grandchild" else descriptor_flood(1 + (how == "stderr"), 30)
    result = run_one(tmp_path, flood + "held < 2 ** 20\n")
    block = result.blocks[0]
    assert (block.status, block.value) == ("passed", "True")
    output = block.stderr if how == "stderr" else block.stdout
    written = len("start") + 30 * (1 << 20) + len("end")
    assert output.startswith("startxxx")
    assert f"xxx\n... [{written - 2 * KEEP_BYTES} bytes not shown] ...\nxxx" in output
    assert output.endswith("xxxend")
