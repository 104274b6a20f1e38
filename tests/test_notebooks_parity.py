"""The issue's promise: an exported notebook, run by Jupyter, passes and fails where
`check` does, and prints the same. Proved on the demo vault (copied: never written to)."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from notebook_runner.execute import CheckOptions, check_notes
from notebook_runner.notebooks.export import NotebookLinks, export_vault
from notebook_runner.notebooks.formats import read_text
from notebook_runner.pipeline import open_vault

DEMO_VAULT = Path(__file__).resolve().parent.parent / "vault"


@dataclass(frozen=True)
class CellRun:
    status: str
    stdout: str
    error: str | None


def run_notebook(path: Path, work_dir: Path) -> list[CellRun]:
    """Execute like `check`: stop at the first unexpected error; judge each code cell."""
    notebook = read_text(path.read_text(encoding="utf-8"), "ipynb")
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": work_dir}}
    )
    with contextlib.suppress(CellExecutionError):
        client.execute()
    return [_judge(cell) for cell in notebook.cells if cell.cell_type == "code"]


def _judge(cell: NotebookNode) -> CellRun:
    tags = cell.metadata.get("tags", [])
    stdout = "".join(o.text for o in cell.outputs if o.get("name") == "stdout")
    errors = [o.ename for o in cell.outputs if o.output_type == "error"]
    error = errors[0] if errors else None
    if "skip-execution" in tags:
        return CellRun("skipped", stdout, error)
    if cell.execution_count is None:
        return CellRun("not-run", stdout, error)
    expected = cell.metadata.get("notebook_runner", {}).get("raises")
    passed = error == expected if "raises-exception" in tags else error is None
    return CellRun("passed" if passed else "failed", stdout, error)


@pytest.mark.slow
def test_exported_demo_vault_runs_in_jupyter_as_check_runs_it(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault, ignore=shutil.ignore_patterns(".notebook-runner"))
    workspace = open_vault(vault, use_cache=False)
    notes = {note.path: note for note in workspace.vault.notes}
    report = check_notes(
        workspace.vault.notes, vault, workspace.config.check, CheckOptions(use_cache=False)
    )
    out = tmp_path / "notebooks"
    exported, problems = export_vault(
        workspace.vault, workspace.loaded.sources, vault, out, "ipynb", NotebookLinks(notes)
    )
    assert problems == []
    assert sorted(exported.notebooks) == sorted(p.replace(".md", ".ipynb") for p in notes)

    checked = {note.path: note.blocks for note in report.notes}
    assert set(checked) == {
        "Convolution by hand.ipynb",
        "Gradient Descent.md",
        "Lesson 3.md",
        "Loss Functions.md",
        "Study Plan.md",
    }
    work = tmp_path / "work"
    work.mkdir()
    for path, blocks in checked.items():
        cells = run_notebook(out / path.replace(".md", ".ipynb"), work)
        assert [cell.status for cell in cells] == [block.status for block in blocks], path
        for cell, block in zip(cells, blocks, strict=True):
            if block.status == "passed":
                assert cell.stdout == block.stdout, path
            if block.status == "failed":
                assert block.error is not None
                assert cell.error == block.error.type, path
    # The seed note's first block uses torch without importing it: it fails in both.
    assert [block.status for block in checked["Lesson 3.md"]] == ["failed", "not-run"]
