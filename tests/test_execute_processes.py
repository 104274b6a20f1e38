"""Every process a note starts is ended with the note, whatever its session or group.

Each note process is a child subreaper, so what it starts stays in its process tree:
the guard counts that tree and the fork server ends what is left of it. The blocks
write the pids of what they started to a file, so that each test knows it really
started them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from execute_support import run_one, statuses
from process_support import live_processes_with, new_marker, pids_in, still_alive

REPO = Path(__file__).resolve().parent.parent


def daemon_block(pids: Path) -> str:
    """Double fork and setsid, the classic daemon: its grandchild is nobody's child."""
    return textwrap.dedent(
        f"""\
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                with open({str(pids)!r}, "a") as f:
                    f.write(f"{{os.getpid()}}\\n")
                open({str(pids) + ".daemon"!r}, "w").close()
                time.sleep(300)
            os._exit(0)
        while not os.path.exists({str(pids) + ".daemon"!r}):  # its own pid, not another note's
            time.sleep(0.01)
        """
    )


def process_groups_block(pids: Path, count: int) -> str:
    """`count` children, each in a process group of its own."""
    return textwrap.dedent(
        f"""\
        import os, time
        for _ in range({count}):
            if os.fork() == 0:
                os.setpgid(0, 0)
                with open({str(pids)!r}, "a") as f:
                    f.write(f"{{os.getpid()}}\\n")
                time.sleep(300)
                os._exit(0)
        while open({str(pids)!r}).read().count("\\n") < {count}:
            time.sleep(0.01)
        """
    )


def check_in_a_process(vault: Path, marker: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, marker: "1", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "notebook_runner", "check", str(vault), "--no-cache"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["double fork and setsid", "100 process groups"])
def test_no_process_a_note_started_outlives_check(tmp_path: Path, case: str) -> None:
    """With 100 processes the guard (64 by default) may end the note first: either way
    nothing it started is left once `check` has exited."""
    vault, pids = tmp_path / "vault", tmp_path / "pids"
    vault.mkdir()
    pids.touch()
    code = daemon_block(pids) if case.startswith("double") else process_groups_block(pids, 100)
    (vault / "note.md").write_text(f"```python\n{code}```\n", encoding="utf-8")
    marker = new_marker()
    check_in_a_process(vault, marker)
    started = pids_in(pids)
    assert len(started) == 1 if case.startswith("double") else started  # guard: maybe < 100
    assert still_alive(started, wait=0) == []
    assert live_processes_with(marker) == []


@pytest.mark.parametrize("case", ["double fork and setsid", "100 process groups"])
def test_what_a_note_left_is_ended_as_soon_as_the_note_ends(tmp_path: Path, case: str) -> None:
    """Not only when `check` ends: the fork server, which runs the next notes, ends it."""
    pids = tmp_path / "pids"
    pids.touch()
    code = daemon_block(pids) if case.startswith("double") else process_groups_block(pids, 100)
    result = run_one(tmp_path, code, max_processes=200)
    assert statuses(result) == ["passed"]
    assert len(pids_in(pids)) == (1 if case.startswith("double") else 100)
    assert still_alive(pids_in(pids)) == []


def test_the_guard_counts_processes_in_new_sessions(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    code = textwrap.dedent(
        f"""\
        import os, time
        for _ in range(30):
            if os.fork() == 0:
                os.setsid()
                with open({str(pids)!r}, "a") as f:
                    f.write(f"{{os.getpid()}}\\n")
                time.sleep(300)
                os._exit(0)
        time.sleep(300)
        """
    )
    started = time.monotonic()
    result = run_one(tmp_path, code, "x = 1\n", max_processes=10)
    assert time.monotonic() - started < 30
    assert statuses(result) == ["failed", "not-run"]
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line) == (
        "TooManyProcesses",
        "the note started more than 10 processes (a fork bomb?); they were all killed",
        1,
    )
    assert pids_in(pids)  # the guard may end the note before all have written their pid
    assert still_alive(pids_in(pids)) == []


@pytest.mark.slow
@pytest.mark.parametrize("command", ["pytest --notes", "build --execute"])
def test_pytest_and_build_execute_leave_no_process_behind(tmp_path: Path, command: str) -> None:
    vault, pids = tmp_path / "vault", tmp_path / "pids"
    vault.mkdir()
    pids.touch()
    (vault / "daemon.md").write_text(f"```python\n{daemon_block(pids)}```\n", encoding="utf-8")
    (vault / "groups.md").write_text(
        f"```python\n{process_groups_block(pids, 20)}```\n", encoding="utf-8"
    )
    marker = new_marker()
    env = {**os.environ, marker: "1", "PYTHONPATH": str(REPO)}
    if command == "pytest --notes":
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--notes", str(vault)]
    else:
        argv = [sys.executable, "-m", "notebook_runner", "build", str(vault), "--execute"]
        argv += ["-o", str(tmp_path / "site")]
    done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(pids_in(pids)) == 21
    assert live_processes_with(marker) == []
