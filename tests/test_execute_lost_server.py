"""A note that kills, stops or signals its fork server fails alone; the run goes on.

The note's parent is the fork server, which runs the other notes. `os.kill` at it is
refused in the block. Killed another way (a shell's `kill`), it takes every note
process it forked with it: the runner blames the note that was in a block, starts a
new server and runs every other note; a server that keeps dying with no note to blame
is given up on after a few restarts, and the notes say why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from execute_support import make_note, run, statuses
from process_support import pids_in, still_alive

from notebook_runner.config import CheckConfig
from notebook_runner.execute import launchers as launchers_module
from notebook_runner.execute.audit import EVERYONE_MESSAGE, PARENT_MESSAGE, NoteAudit

REPO = Path(__file__).resolve().parent.parent
KILL_PARENT = "import os, time\nos.system(f'kill -9 {os.getppid()}')\ntime.sleep(10)\n"
BLAMED = (
    "the note process's parent, notebook-runner's fork server, was killed by SIGKILL "
    "while this block ran (does the block signal its parent process?); "
    "the server was restarted for the other notes"
)


def sleeper(index: int) -> str:
    return f"import time\ntime.sleep(0.3)\nprint({index})\n"


def test_signalling_the_fork_server_from_python_is_refused_at_that_line(tmp_path: Path) -> None:
    blocks = [
        "os.kill(os.getppid(), signal.SIGKILL)",
        "os.kill(os.getppid(), signal.SIGSTOP)",
        "os.killpg(os.getpgid(os.getppid()), signal.SIGTERM)",
        "os.kill(-os.getpgid(os.getppid()), signal.SIGTERM)",
    ]
    notes = [
        make_note(f"n{i}.md", f"import os, signal\n{line}\n", "x = 1\n")
        for i, line in enumerate(blocks)
    ]
    notes.append(make_note("fine.md", "import os\nos.kill(os.getppid(), 0)\nprint('fine')\n"))
    server = launchers_module.fork_server(())
    report = run(tmp_path, *notes, jobs=2)
    assert launchers_module.fork_server(()) is server  # never lost, never restarted
    for note in report.notes[:-1]:
        assert statuses(note) == ["failed", "not-run"]
        error = note.blocks[0].error
        assert error is not None
        assert (error.type, error.message, error.line) == (
            "PermissionError",
            f"[Errno 1] {PARENT_MESSAGE}",
            3,
        )
    assert report.notes[-1].blocks[0].stdout == "fine\n"


def test_signalling_every_process_is_refused() -> None:
    """Checked on the hook alone: the signal would reach every process of the machine."""
    audit = NoteAudit("/no-vault")
    with pytest.raises(PermissionError) as refused:
        audit("os.kill", (-1, 9))
    assert refused.value.strerror == EVERYONE_MESSAGE
    audit("os.kill", (-1, 0))
    audit("os.kill", (os.getpid(), 15))
    audit("open", ("/etc/hostname", "r", 0))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_note_that_kills_its_fork_server_from_a_shell_fails_and_every_other_note_runs(
    tmp_path: Path, jobs: int
) -> None:
    notes = [make_note(f"n{i}.md", sleeper(i), "x = 1\n") for i in range(4)]
    notes.insert(2, make_note("killer.md", "y = 2\n", KILL_PARENT, "z = 3\n"))
    report = run(tmp_path, *notes, jobs=jobs)
    by_path = {note.path: note for note in report.notes}
    killer = by_path.pop("killer.md")
    assert statuses(killer) == ["passed", "failed", "not-run"]
    error = killer.blocks[1].error
    assert error is not None
    assert (error.type, error.message, error.line) == ("ForkServerLost", BLAMED, 5)
    assert error.source_line == ""
    for index in range(4):
        assert statuses(by_path[f"n{index}.md"]) == ["passed", "passed"]
        assert by_path[f"n{index}.md"].blocks[0].stdout == f"{index}\n"


def test_the_notes_a_killed_server_ran_leave_no_process_behind(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    started = textwrap.dedent(
        f"""\
        import os, subprocess, time
        child = subprocess.Popen(["sleep", "300"], start_new_session=True)
        with open({str(pids)!r}, "a") as f:
            f.write(f"{{child.pid}}\\n")
        """
    )
    report = run(tmp_path, make_note("n.md", started, KILL_PARENT))
    assert statuses(report.notes[0]) == ["passed", "failed"]
    assert len(pids_in(pids)) == 1
    assert still_alive(pids_in(pids)) == []


def test_stopping_or_terminating_the_fork_server_does_not_stop_the_run(tmp_path: Path) -> None:
    """SIGSTOP is undone by the server's keeper; SIGTERM and SIGHUP are ignored by the
    server, and a signal to its process group misses the runner. The run is in a
    process of its own: before the fix a stopped server hung it."""
    vault = tmp_path / "vault"
    vault.mkdir()
    blocks = {
        "stop": "kill -STOP {ppid}",
        "term": "kill -TERM {ppid}",
        "hup": "kill -HUP {ppid}",
        "group": "kill -TERM -- -{pgid}",
    }
    for name, shell in blocks.items():
        code = (
            "import os, time\nppid = os.getppid()\npgid = os.getpgid(ppid)\n"
            f"os.system(f{shell!r})\ntime.sleep(0.2)\nprint({name!r})\n"
        )
        (vault / f"{name}.md").write_text(f"```python\n{code}```\n", encoding="utf-8")
        (vault / f"{name} after.md").write_text("```python\nprint('after')\n```\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "notebook_runner", "check", str(vault), "-j", "2"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = "8 notes, 8 blocks: 8 passed, 0 failed, 0 not-run, 0 skipped in "
    assert done.stdout.startswith(summary)


def test_a_server_that_keeps_dying_with_no_note_to_blame_is_given_up_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    starts = tmp_path / "starts"
    (tmp_path / "crashing_preload.py").write_text(
        f"import os\nwith open({str(starts)!r}, 'a') as f:\n    f.write('x')\n"
        "os.kill(os.getpid(), 9)\n",
        encoding="utf-8",
    )
    config = CheckConfig(preload=("crashing_preload",))
    notes = [make_note("a.md", "x = 1\n", "y = 2\n"), make_note("b.md", "z = 3\n")]
    try:
        report = run(tmp_path, *notes, config=config, jobs=2)
    finally:
        launchers_module._stop_server()
    message = (
        "not run: notebook-runner's fork server stopped 4 times while no note ran a block "
        "(the last time it was killed by SIGKILL); does a module of [check] preload crash it?"
    )
    assert [statuses(note) for note in report.notes] == [["failed", "not-run"], ["failed"]]
    errors = [note.blocks[0].error for note in report.notes]
    assert [(e.type, e.message, e.line) for e in errors if e] == [
        ("ForkServerLost", message, 1),
        ("ForkServerLost", message, 1),
    ]
    assert starts.read_text() == "xxxx"


PYTEST_VAULT = {
    "a killer.md": f"```python\n{KILL_PARENT}```\n",
    "b fine.md": "```python\nimport time\ntime.sleep(0.2)\nprint('fine')\n```\n",
}


@pytest.mark.slow
def test_pytest_and_build_execute_survive_a_note_that_kills_its_server(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    for name, text in PYTEST_VAULT.items():
        (vault / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--notes", str(vault)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert f"a killer.md:1: error: ForkServerLost: {BLAMED}" in done.stdout
    site = tmp_path / "site"
    command = ["build", str(vault), "--execute", "-o", str(site)]
    built = subprocess.run(
        [sys.executable, "-m", "notebook_runner", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (built.returncode, built.stderr) == (0, "")
    assert "ForkServerLost" in (site / "a-killer.html").read_text("utf-8")
    assert '<pre class="result-stdout">fine\n</pre>' in (site / "b-fine.html").read_text("utf-8")
