"""The warm fork server: started early, stopped fast, cheap to fork from.

The probes are modules written into `tmp_path` and preloaded by the server (it gets the
runner's `sys.path`), so each test sees exactly what the server imported and when.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest
from execute_support import make_note, run, run_one
from import_support import loaded_after

from notebook_runner.cli import main
from notebook_runner.commands import check, check_run
from notebook_runner.commands.common import open_or_refuse
from notebook_runner.config import CheckConfig
from notebook_runner.execute import CheckOptions, start_launcher
from notebook_runner.execute import launchers as launchers_module
from notebook_runner.execute.launchers import ForkServer
from notebook_runner.execute.plan import plan_note
from notebook_runner.execute.results import NoteResult
from notebook_runner.execute.scheduler import Scheduler
from notebook_runner.pipeline import Workspace


def _probe(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(body, encoding="utf-8")


def test_a_server_started_early_runs_the_notes_with_its_one_preload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    imports = tmp_path / "imports.txt"
    _probe(
        tmp_path,
        "early_probe",
        f"import os\nwith open({str(imports)!r}, 'a') as f:\n    f.write(f'{{os.getpid()}}\\n')\n",
    )
    config = CheckConfig(preload=("early_probe",))
    start_launcher(config.preload)
    note = make_note("n.md", "import os\nprint(os.getppid())\n")
    result = run(tmp_path, note, config=config).notes[0]
    server_pids = imports.read_text(encoding="utf-8").split()
    assert result.status == "passed"
    assert server_pids == [result.blocks[0].stdout.strip()]


def test_a_server_no_note_used_is_killed_without_waiting_for_its_preload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _probe(tmp_path, "slow_probe", "import time\ntime.sleep(60)\n")
    start_launcher(("slow_probe",))
    started = launchers_module._server
    assert started is not None
    begin = time.monotonic()
    launchers_module._stop_server()
    assert time.monotonic() - begin < 2
    assert started.process.returncode == -signal.SIGKILL


def test_closing_does_not_wait_for_the_server_interpreter_to_tear_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torch takes most of a second to tear down; the server skips teardown (and with
    it atexit handlers) once it has seen the runner's end of file."""
    monkeypatch.syspath_prepend(str(tmp_path))
    marker = tmp_path / "teardown-ran"
    _probe(
        tmp_path,
        "teardown_probe",
        f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)\n",
    )
    plan, _ = plan_note(make_note("n.md", "print(1)\n"), CheckConfig())
    server = ForkServer(("teardown_probe",))
    results: list[NoteResult] = []
    try:
        scheduler = Scheduler(server, tmp_path, CheckConfig(), CheckOptions(), 1)
        scheduler.run([plan], lambda _, result: results.append(result))
    finally:
        server.close()
    assert [result.status for result in results] == ["passed"]
    assert (server.process.returncode, marker.exists()) == (0, False)


def test_note_processes_start_from_a_heap_frozen_out_of_the_collector(tmp_path: Path) -> None:
    result = run_one(tmp_path, "import gc\nprint(gc.get_freeze_count() > 0)\n")
    assert (result.status, result.blocks[0].stdout) == ("passed", "True\n")


def _record_order(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def start(preload: tuple[str, ...]) -> None:
        calls.append(f"start server, preload {list(preload)}")

    def open_vault(*args: Any, **kwargs: Any) -> Workspace | None:
        calls.append("open vault")
        return open_or_refuse(*args, **kwargs)

    monkeypatch.setattr(check, "start_launcher", start)
    monkeypatch.setattr(check_run, "open_or_refuse", open_vault)
    return calls


def test_check_starts_the_server_before_reading_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notebook-runner.toml").write_text('[check]\npreload = ["json"]\n')
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    calls = _record_order(monkeypatch)
    assert _run_check(tmp_path) == 0
    assert calls == ["start server, preload ['json']", "open vault"]


def test_check_with_a_broken_config_starts_no_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notebook-runner.toml").write_text("[check]\npreload = 3\n")
    calls = _record_order(monkeypatch)
    assert _run_check(tmp_path) == 2
    assert calls == ["open vault"]


def _run_check(vault: Path) -> int:
    report = vault / ".notebook-runner" / "report.json"  # the one place in a vault we write
    return main(["check", str(vault), "--format", "json", "-o", str(report)])


def test_the_fork_server_holds_neither_the_runner_nor_the_report_formats() -> None:
    """Every module the server imported is copied into each note process."""
    heavy = (
        "notebook_runner.execute.runner",
        "notebook_runner.execute.cache",
        "notebook_runner.execute.scheduler",
        "notebook_runner.execute.formats",
        "notebook_runner.parse",
        "notebook_runner.parse.note",
        "notebook_runner.parse.walk",
        "markdown_it",
        "xml.etree.ElementTree",
    )
    assert loaded_after("from notebook_runner.execute.server import serve", heavy) == []


def test_package_names_still_load_on_first_use() -> None:
    from notebook_runner import execute
    from notebook_runner.execute import runner

    assert execute.check_notes is runner.check_notes
    with pytest.raises(AttributeError):
        _ = execute.no_such_name


def test_the_check_command_starts_the_server_before_importing_parser_or_runner() -> None:
    """Whatever `commands.check` imports delays the server's preload; the parser, the
    runner and the note sandbox are loaded only after the server has started."""
    heavy = (
        "markdown_it",
        "notebook_runner.parse",
        "notebook_runner.parse.note",
        "notebook_runner.pipeline",
        "notebook_runner.execute.runner",
        "notebook_runner.execute.sandbox",
        "notebook_runner.execute.results",
    )
    assert loaded_after("import notebook_runner.commands.check", heavy) == []


def test_the_format_choices_are_the_formats_the_report_has() -> None:
    assert list(check.FORMATS) == sorted(check_run.FORMATTERS)
