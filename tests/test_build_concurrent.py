"""Two commands at once on one output: real processes, no threads pretending to be them."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

NOTE = "# Lesson {n}\n\nSee [[Lesson 0]].\n\n```python\nprint({n})\n```\n"

# A build that stops in the middle of its swap, holding the output, until told to go on.
PAUSED_BUILD = """
import sys, time
from pathlib import Path
from notebook_runner.publish import emit

signal, go = Path(sys.argv[1]), Path(sys.argv[2])
commit = emit.Staging.commit

def paused(self, mtime=None):
    signal.write_text("committing")
    while not go.exists():
        time.sleep(0.02)
    return commit(self, mtime)

emit.Staging.commit = paused
from notebook_runner.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    for n in range(5):
        (root / f"Lesson {n}.md").write_text(NOTE.format(n=n), encoding="utf-8")
    return root


def wait_for(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "notebook_runner", *argv]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(
    vault: Path, tmp_path: Path
) -> None:
    site, signals = tmp_path / "site", tmp_path / "signals"
    signals.mkdir()
    assert cli("build", str(vault), "-o", str(site)).returncode == 0
    (site / "CNAME").write_text("notes.example.org\n")
    committing, go = signals / "committing", signals / "go"
    paused = [sys.executable, "-c", PAUSED_BUILD, str(committing), str(go)]
    first = subprocess.Popen(
        [*paused, "build", str(vault), "-o", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(committing.exists, "the first build to reach its swap")
        second = cli("build", str(vault), "-o", str(site))
        assert (second.returncode, second.stdout) == (2, "")
        assert second.stderr == (
            f"notebook-runner: error: another build into {site} is running "
            f"(process {first.pid}); wait for it to finish, or write elsewhere\n"
        )
        go.touch()
        out, err = first.communicate(timeout=120)
    finally:
        first.kill()
        first.wait()
    assert (first.returncode, err) == (0, "")
    assert out.endswith(f"into {site}; 0 unresolved links\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["signals", "site", "vault"]
    assert (site / "lesson-4.html").is_file()
    assert (site / "CNAME").read_text() == "notes.example.org\n"
    assert cli("build", str(vault), "-o", str(site)).returncode == 0  # the lock is free again


@pytest.fixture
def serving(vault: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`serve` in its own process, watching the vault; stopped with Ctrl-C."""
    command = [sys.executable, "-m", "notebook_runner", "serve", str(vault), "-p", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith(f"serving {vault} at http://127.0.0.1:"), first_line
        yield process, int(first_line.rsplit(":", 1)[1].split("/")[0])
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        finally:
            process.kill()


def page(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    return connection.getresponse().read()


def test_serve_rebuilding_and_builds_at_the_same_time_leave_each_whole(
    vault: Path, serving: tuple[subprocess.Popen[str], int]
) -> None:
    """`build` run from inside the vault writes its site (and, with `--execute`, its
    results) into the vault's state folder, which `serve` watches but never reads as
    notes: while a note changes under both, each keeps its own site whole, and the
    builds' writes make `serve` rebuild nothing."""
    server, port = serving
    command = [sys.executable, "-m", "notebook_runner", "build", str(vault), "--execute"]
    builds = []
    for n in range(2):
        builds.append(
            subprocess.Popen(
                command, cwd=vault, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
        (vault / "Lesson 1.md").write_text(NOTE.format(n=f"'edit {n}'"), encoding="utf-8")
        time.sleep(0.5)
    errors = [build.communicate(timeout=120)[1] for build in builds]
    statuses = [build.returncode for build in builds]
    # one may find the other still building (under load the second can start first)
    assert sorted(statuses) in ([0, 0], [0, 2])
    assert all(error == "" or "another build into" in error for error in errors)
    site = vault / ".notebook-runner" / "site"
    assert (site / "lesson-4.html").is_file()
    assert [p.name for p in site.parent.iterdir() if "site" in p.name] == ["site"]
    wait_for(lambda: b"edit 1" in page(port, "/lesson-1.html"), "serve to show the last edit")
    assert b'<h1 id="lesson-4">Lesson 4</h1>' in page(port, "/lesson-4.html")
    server.send_signal(signal.SIGINT)
    out, err = server.communicate(timeout=20)
    assert (server.returncode, "Traceback" in err) == (0, False)
    rebuilds = {line.split(",")[0] for line in out.splitlines()}
    assert rebuilds == {"rebuilt 1 notes"}  # never "rebuilt everything" for the builds' files
