"""A stopped `check` leaves nothing behind: no process, no scratch folder.

SIGTERM, SIGHUP and Ctrl-C end the run after its cleanup; what a SIGKILL leaves is
removed by the next run, which never touches a live run's folders.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from process_support import live_processes_with, new_marker

from notebook_runner.execute.scratch import MEMORY_TMP, pid_namespace, sweep_stale

REPO = Path(__file__).resolve().parent.parent


def scratch_folders(pid: int) -> list[str]:
    """The scratch folders (memory and disk) named after runner `pid`."""
    owned = re.compile(rf"notebook-runner-(work-)?{pid_namespace()}-{pid}-\w+")
    found = []
    for folder in dict.fromkeys((MEMORY_TMP, tempfile.gettempdir())):
        if os.path.isdir(folder):
            found += [name for name in os.listdir(folder) if owned.fullmatch(name)]
    return found


def start_slow_check(vault: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`check` of a note that starts a subprocess and sleeps, once it is sleeping."""
    started = vault / "started"
    code = (
        "import subprocess, time\n"
        "subprocess.Popen(['sleep', '60'])\n"
        f"open({str(started)!r}, 'w').close()\n"
        "time.sleep(60)\n"
    )
    vault.mkdir(exist_ok=True)
    (vault / "slow.md").write_text(f"```python\n{code}```\n", encoding="utf-8")
    marker = new_marker()
    env = {**os.environ, marker: "1", "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "notebook_runner", "check", str(vault), "--no-cache"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists()
    return process, marker


def wait_until_gone(marker: str) -> list[int]:
    deadline = time.monotonic() + 5
    while live_processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return live_processes_with(marker)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_check_told_to_stop_removes_its_folders_and_processes_then_dies_of_it(
    tmp_path: Path, signum: signal.Signals
) -> None:
    process, marker = start_slow_check(tmp_path / "vault")
    assert len(scratch_folders(process.pid)) == 2
    process.send_signal(signum)
    assert process.wait(timeout=15) == -signum
    assert scratch_folders(process.pid) == []
    assert wait_until_gone(marker) == []


@pytest.mark.slow
def test_the_folders_of_a_killed_check_are_removed_by_the_next_run(tmp_path: Path) -> None:
    process, marker = start_slow_check(tmp_path / "vault")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=15)
    assert wait_until_gone(marker) == []
    assert len(scratch_folders(process.pid)) == 2
    quick = tmp_path / "quick"
    quick.mkdir()
    (quick / "n.md").write_text("```python\nx = 1\n```\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "notebook_runner", "check", str(quick), "--no-cache"]
    assert subprocess.run(command, env=env, capture_output=True, timeout=60).returncode == 0
    assert scratch_folders(process.pid) == []


def test_only_the_folders_of_dead_runs_of_this_namespace_are_swept(tmp_path: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()
    alive = subprocess.Popen(["sleep", "30"])
    namespace = pid_namespace()
    names = {
        "dead": f"notebook-runner-{namespace}-{finished.pid}-abcd1234",
        "dead work": f"notebook-runner-work-{namespace}-{finished.pid}-abcd1234",
        "alive": f"notebook-runner-{namespace}-{alive.pid}-abcd1234",
        "mine": f"notebook-runner-work-{namespace}-{os.getpid()}-abcd1234",
        "other namespace": f"notebook-runner-{namespace + 1}-{finished.pid}-abcd1234",
        "unnamed owner": "notebook-runner-abcd1234",
    }
    try:
        for name in names.values():
            (tmp_path / name).mkdir()
            (tmp_path / name / "file").write_text("x")
        (tmp_path / f"notebook-runner-{namespace}-{finished.pid}-afile").write_text("x")
        removed = sweep_stale(str(tmp_path))
    finally:
        alive.kill()
        alive.wait()
    expected = [str(tmp_path / names["dead"]), str(tmp_path / names["dead work"])]
    assert sorted(removed) == sorted(expected)
    left = {name for name in os.listdir(tmp_path)}
    assert left == set(names.values()) - {names["dead"], names["dead work"]} | {
        f"notebook-runner-{namespace}-{finished.pid}-afile"
    }
