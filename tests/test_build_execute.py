"""`build --execute`: the notes' code runs first, and the command ends quietly.

The fork server that runs the notes used to be closed while its last "exited" events
were still unread, which makes the kernel reset the connection instead of ending it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from notebook_runner.config import CheckConfig
from notebook_runner.execute.launchers import ForkServer
from notebook_runner.execute.options import CheckOptions
from notebook_runner.execute.plan import plan_note
from notebook_runner.execute.results import NoteResult
from notebook_runner.execute.scheduler import Scheduler
from notebook_runner.model import SourceFile
from notebook_runner.parse import parse_note

REPO = Path(__file__).resolve().parent.parent

PASSING = "# Passing\n\n```python\nprint(6 * 7)\n```\n"
FAILING = "# Failing\n\n```python\nprint(undefined_name)\n```\n"


def test_build_execute_prints_nothing_on_stderr(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Passing.md").write_text(PASSING, encoding="utf-8")
    (vault / "Failing.md").write_text(FAILING, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = ["build", str(vault), "--execute", "-o", str(tmp_path / "site")]
    done = subprocess.run(
        [sys.executable, "-m", "notebook_runner", *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    page = (tmp_path / "site" / "failing.html").read_text(encoding="utf-8")
    assert "NameError" in page


def test_closing_the_fork_server_with_unread_events_ends_it_in_order() -> None:
    """Exit status 0 means the server saw end of file, not a reset connection.

    Right after the scheduler returns, the server's last "exited" event is nearly always
    still unread (the case that used to reset the connection); on a loaded machine the
    scheduler may have read it already, and closing must end in order either way."""
    note, _ = parse_note(SourceFile("n.md", PASSING))
    plan, _ = plan_note(note, CheckConfig())
    server = ForkServer(())
    results: list[NoteResult] = []
    try:
        scheduler = Scheduler(server, Path.cwd(), CheckConfig(), CheckOptions(), 1)
        scheduler.run([plan], lambda _, result: results.append(result))
    finally:
        server.close()
    assert [result.status for result in results] == ["passed"]
    assert server.process.returncode == 0
