"""`notebook-runner export`: arguments, refusals, where outputs and links come from."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from nbformat import NotebookNode

from notebook_runner.commands import export
from notebook_runner.execute import (
    BlockError,
    BlockResult,
    CheckOptions,
    CheckReport,
    NoteResult,
    check_notes,
    report_to_json,
)
from notebook_runner.notebooks.formats import read_text
from notebook_runner.outputs import EXPORT_MARKER
from notebook_runner.pipeline import open_vault

NOTE = "# Sum\n\nSee [[Other]].\n\n```python\nprint(1 + 1)\n```\n"


def run_export(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    export.register(parser.add_subparsers())
    args = parser.parse_args(["export", *argv])
    out, err = io.StringIO(), io.StringIO()
    status: int = args.handler(args, out, err)
    return status, out.getvalue(), err.getvalue()


def make_vault(root: Path, config: str = "") -> Path:
    vault = root / "vault"
    vault.mkdir()
    (vault / "Sum.md").write_text(NOTE, encoding="utf-8")
    (vault / "Other.md").write_text("# Other\n", encoding="utf-8")
    if config:
        (vault / "notebook-runner.toml").write_text(config, encoding="utf-8")
    return vault


def code_cell(path: Path) -> NotebookNode:
    notebook = read_text(path.read_text(encoding="utf-8"), "ipynb")
    cell: NotebookNode = next(c for c in notebook.cells if c.cell_type == "code")
    return cell


def test_export_writes_one_notebook_per_note(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    out = tmp_path / "out"
    status, stdout, stderr = run_export(str(vault), "--to", "md:myst", "-o", str(out))
    assert (status, stderr) == (0, "")
    assert stdout == (
        f"exported 2 notebooks (md:myst, without outputs: the format keeps none) and 0 "
        f"attachments to {out}\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [EXPORT_MARKER, "Other.md", "Sum.md"]
    assert "See [Other](Other.md)." in (out / "Sum.md").read_text()


def test_outputs_come_from_the_result_cache(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    workspace = open_vault(vault, use_cache=False)
    check_notes(workspace.vault.notes, vault, workspace.config.check, CheckOptions())
    status, stdout, _ = run_export(str(vault), "-o", str(tmp_path / "out"))
    assert status == 0
    assert "1 with outputs" in stdout
    cell = code_cell(tmp_path / "out" / "Sum.ipynb")
    assert cell.outputs == [{"output_type": "stream", "name": "stdout", "text": "2\n"}]


def test_a_stored_failure_is_exported_with_its_error_output(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    (vault / "Sum.md").write_text("# Sum\n\n```python\nprint('so far')\n1 / 0\n```\n")
    workspace = open_vault(vault, use_cache=False)
    check_notes(workspace.vault.notes, vault, workspace.config.check, CheckOptions())
    status, stdout, _ = run_export(str(vault), "-o", str(tmp_path / "out"))
    assert status == 0
    assert "1 with outputs" in stdout
    cell = code_cell(tmp_path / "out" / "Sum.ipynb")
    assert [(o.output_type, o.get("text"), o.get("ename")) for o in cell.outputs] == [
        ("stream", "so far\n", None),
        ("error", None, "ZeroDivisionError"),
    ]
    assert cell.outputs[1].traceback[-1] == "ZeroDivisionError: division by zero"


def test_text_formats_claim_no_outputs(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    workspace = open_vault(vault, use_cache=False)
    check_notes(workspace.vault.notes, vault, workspace.config.check, CheckOptions())
    status, stdout, _ = run_export(str(vault), "--to", "py:percent", "-o", str(tmp_path / "o"))
    assert status == 0
    assert stdout.startswith("exported 2 notebooks (py:percent, without outputs: the format ")
    assert "print(1 + 1)" in (tmp_path / "o" / "Sum.py").read_text()


def test_outputs_come_from_a_check_report_including_failures(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    failed = BlockResult(5, "failed", error=BlockError("ZeroDivisionError", "boom", 6))
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(report_to_json(CheckReport((NoteResult("Sum.md", "failed", (failed,)),))))
    )
    status, _, _ = run_export(str(vault), "-o", str(tmp_path / "out"), "--report", str(report))
    assert status == 0
    cell = code_cell(tmp_path / "out" / "Sum.ipynb")
    assert [(o.output_type, o.get("ename")) for o in cell.outputs] == [
        ("error", "ZeroDivisionError")
    ]


def test_unreadable_report_is_refused(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    report = tmp_path / "report.json"
    report.write_text("{not json")
    status, _, stderr = run_export(str(vault), "-o", str(tmp_path / "o"), "--report", str(report))
    assert status == 2
    assert stderr.startswith(f"notebook-runner: error: cannot read report {report}: ")


def test_output_inside_the_vault_is_refused(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    status, stdout, stderr = run_export(str(vault), "-o", str(vault / "notebooks"))
    assert (status, stdout) == (2, "")
    assert stderr == (
        f"notebook-runner: error: output {vault / 'notebooks'} is inside the vault {vault}, where "
        f"it would be read back as notes; write it outside the vault, or under "
        f"{vault / '.notebook-runner'}\n"
    )
    assert not (vault / "notebooks").exists()


def test_links_go_to_the_site_when_its_url_is_configured(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, '[site]\nbase_url = "https://me.github.io/notes/"\n')
    status, _, _ = run_export(str(vault), "-o", str(tmp_path / "out"))
    assert status == 0
    text = (tmp_path / "out" / "Sum.ipynb").read_text()
    assert "See [Other](https://me.github.io/notes/other.html)." in text
    status, _, _ = run_export(str(vault), "-o", str(tmp_path / "o2"), "--links", "notebooks")
    assert "See [Other](Other.ipynb)." in (tmp_path / "o2" / "Sum.ipynb").read_text()


def test_site_links_without_a_site_url_are_refused(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    status, _, stderr = run_export(str(vault), "-o", str(tmp_path / "o"), "--links", "site")
    assert status == 2
    assert stderr == ("notebook-runner: error: --links site needs [site] base_url in the config\n")


def test_export_keeps_the_line_breaks_the_vault_shows(tmp_path: Path) -> None:
    """Obsidian shows a paragraph's single line breaks unless `strictLineBreaks` is
    set; Jupyter joins them, so export writes them as hard breaks, as the site shows."""
    vault = make_vault(tmp_path)
    (vault / "Lines.md").write_text("first line\nsecond line\n", encoding="utf-8")
    for strict, expected in (
        (False, "first line\\\nsecond line"),
        (True, "first line\nsecond line"),
    ):
        (vault / ".obsidian").mkdir(exist_ok=True)
        (vault / ".obsidian" / "app.json").write_text(json.dumps({"strictLineBreaks": strict}))
        out = tmp_path / f"out-{strict}"
        assert run_export(str(vault), "--to", "ipynb", "-o", str(out))[0] == 0
        notebook = read_text((out / "Lines.ipynb").read_text(encoding="utf-8"), "ipynb")
        assert notebook.cells[1].source == expected  # after the title cell
