"""The pieces of bench/check_bench.py on a 3-note vault (no timing is asserted here)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.check_bench import (
    RESULTS_END,
    RESULTS_START,
    Outcome,
    Row,
    convert_to_notebooks,
    markdown_docs_command,
    nbmake_command,
    ours_command,
    pytest_counts,
    run_ours,
    torch_note,
    trivial_note,
    update_readme,
    verdicts,
    write_check_config,
    write_notes,
)


def _python_blocks(text: str) -> list[str]:
    """The bodies of the note's ```python fences, read independently of jupytext."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if current is None and line == "```python":
            current = []
        elif current is not None and line == "```":
            blocks.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_jupytext_turns_each_python_block_into_a_code_cell(tmp_path: Path) -> None:
    notes = write_notes(tmp_path / "vault", 3, torch_note)

    notebooks = convert_to_notebooks(notes, tmp_path / "notebooks")

    assert [path.name for path in notebooks] == [
        "note 0000.ipynb",
        "note 0001.ipynb",
        "note 0002.ipynb",
    ]
    for note, notebook_path in zip(notes, notebooks, strict=True):
        notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
        assert code == _python_blocks(note.read_text(encoding="utf-8"))
        assert len(code) == 2
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_command_lines(tmp_path: Path) -> None:
    python = tmp_path / "venv" / "bin" / "python"
    vault, notebooks, report = tmp_path / "vault", tmp_path / "nb", tmp_path / "r.json"

    assert ours_command(vault, 2, report) == [
        sys.executable, "-m", "notebook_runner", "check", str(vault), "-j", "2",
        "--format", "json", "-o", str(report),
    ]  # fmt: skip
    assert nbmake_command(python, notebooks, 2) == [
        str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbmake", "-n", "2",
        str(notebooks),
    ]  # fmt: skip
    assert nbmake_command(python, notebooks, 1) == [
        str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbmake", str(notebooks),
    ]  # fmt: skip
    assert markdown_docs_command(python, vault) == [
        str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--markdown-docs",
        str(vault),
    ]  # fmt: skip


def test_pytest_counts_reads_the_last_summary_line() -> None:
    output = "..F\n= 1 passed in 0.1s =\nFAILED x\n= 3 passed, 1 failed, 2 errors in 1.20s =\n"

    assert pytest_counts(output) == (3, 3)
    assert pytest_counts("ERROR: usage: pytest [options]\n") == (0, 0)


def test_ours_runs_the_three_notes_then_replays_them_from_the_cache(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write_notes(vault, 3, trivial_note)
    write_check_config(vault, [])

    first = run_ours(vault, 2, fresh=True)
    again = run_ours(vault, 2, fresh=False)

    assert (first.passed, first.failed, first.cached) == (6, 0, 0), first.output
    assert (again.passed, again.failed, again.cached) == (6, 0, 6), again.output
    assert (vault / "notebook-runner.toml").read_text() == "[check]\npreload = []\n"


def _row(scenario: str, tool: str, seconds: float, passed: int = 2) -> Row:
    return Row(scenario, tool, Outcome(seconds, passed, 0, ""), expected=2)


def test_verdicts_say_met_or_missed_by_how_much() -> None:
    rows = [
        _row("torch", "notebook-runner -j 2", 1.0),
        _row("torch", "nbmake -n 2", 20.0),
        _row("torch", "nbmake, one process", 40.0),
        _row("trivial", "notebook-runner -j 2", 2.0),
        _row("trivial", "pytest-markdown-docs", 1.0),
        _row("cached", "notebook-runner, unchanged re-check", 1.5),
    ]

    assert verdicts(rows) == [
        "torch: nbmake -n 2 / ours: 20.0 x (for reference, not the target: see bench/README.md)",
        "torch: nbmake / ours: 40.0 x (target >= 30 x): met",
        "trivial: pytest-markdown-docs / ours: 0.5 x (target >= 1 x): MISSED by a factor 2.00",
        "cached re-check: 1.50 s (target < 1 s): MISSED by 0.50 s",
    ]


def test_without_nbmake_in_one_process_there_is_no_torch_verdict() -> None:
    rows = [
        _row("torch", "notebook-runner -j 2", 1.0),
        _row("torch", "nbmake -n 2", 40.0),
        _row("trivial", "notebook-runner -j 2", 1.0),
        _row("trivial", "pytest-markdown-docs", 1.0),
        _row("cached", "notebook-runner, unchanged re-check", 0.5),
    ]

    assert verdicts(rows)[:2] == [
        "torch: nbmake -n 2 / ours: 40.0 x (for reference, not the target: see bench/README.md)",
        "torch: no verdict (nbmake's default one-process run was left out)",
    ]


def test_a_row_that_ran_fewer_tests_than_expected_is_incomplete() -> None:
    assert _row("trivial", "pytest-markdown-docs", 1.0, passed=2).complete
    assert not _row("trivial", "pytest-markdown-docs", 1.0, passed=1).complete
    cached = Row("cached", "re-check", Outcome(0.1, 2, 0, "", cached=1), 2, from_cache=True)
    assert not cached.complete


def test_update_readme_replaces_only_its_own_section(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# other\nkeep\n{RESULTS_START}\nold\n{RESULTS_END}\ntail\n")

    assert update_readme("new figures", readme)
    assert (
        readme.read_text() == f"# other\nkeep\n{RESULTS_START}\nnew figures\n{RESULTS_END}\ntail\n"
    )

    readme.write_text("no markers\n")
    assert not update_readme("new figures", readme)
    assert readme.read_text() == "no markers\n"
