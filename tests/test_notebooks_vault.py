"""Notebooks in a vault are notes: loaded, linked, checked and reported at their cells."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from notebook_runner.cli import main
from notebook_runner.execute.formats import SKIP_HINT
from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import open_vault
from notebook_runner.resolve import resolve_vault
from notebook_runner.vault import load_vault

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
HEADER = """\
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""
SCRIPT = (
    HEADER
    + """
# %% [markdown]
# # Script lesson
#
# Back to [[broken]]. #scripts

# %%
squares = [n * n for n in range(4)]
print(squares)
"""
)
PAIRED_SCRIPT = HEADER + "\n# %%\nprint('from the script')\n"
PAIRED_NOTEBOOK = json.dumps(
    {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "only",
                "metadata": {},
                "outputs": [],
                "source": ["print('from the notebook')"],
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)
LOSS = """\
# Loss

See [[broken]], [[lesson]], [[paired.ipynb]] and [[helpers.py]].

```python
print("loss")
```
"""
CONFIG = '[check]\ninclude = ["**/*.md", "**/*.ipynb", "**/*.py"]\n'
NAME_ERROR = "NameError: name 'undefined_name' is not defined"
FAILURE = f"broken.ipynb:cell 4:line 2: error: {NAME_ERROR}"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A broken `.ipynb`, a `py:percent` script, a notebook paired with a script, a
    plain module, a file that is no notebook, and a Markdown note linking to them."""
    root = tmp_path / "vault"
    root.mkdir()
    shutil.copyfile(FIXTURES / "broken.ipynb", root / "broken.ipynb")
    files = {
        "lesson.py": SCRIPT,
        "paired.ipynb": PAIRED_NOTEBOOK,
        "paired.py": PAIRED_SCRIPT,
        "helpers.py": "def helper():\n    return 42\n",
        "bad.ipynb": "{\n",
        "Loss Functions.md": LOSS,
        "notebook-runner.toml": CONFIG,
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


# ---------------------------------------------------------------- loading and linking


def test_notebooks_are_notes_and_no_longer_attachments(vault: Path) -> None:
    loaded, problems = load_vault(vault)
    assert [source.path for source in loaded.sources] == [
        "Loss Functions.md",
        "broken.ipynb",
        "lesson.py",
        "paired.ipynb",
    ]
    assert loaded.sources[2].text == (
        "# Script lesson\n\nBack to [[broken]]. #scripts\n\n"
        "```python\nsquares = [n * n for n in range(4)]\nprint(squares)\n```\n"
    )
    assert loaded.attachments == ("bad.ipynb", "helpers.py", "notebook-runner.toml")
    assert sorted(loaded.line_maps) == ["broken.ipynb", "lesson.py", "paired.ipynb"]
    assert [(p.path, p.line, p.severity, p.code) for p in problems] == [
        ("bad.ipynb", 2, "error", "bad-notebook"),
        ("broken.ipynb", 9, "info", "ipython-magic"),
        ("broken.ipynb", 25, "info", "ipython-magic"),
    ]


def test_locations_are_cells_for_notebooks_and_lines_for_notes(vault: Path) -> None:
    loaded, _ = load_vault(vault)
    assert loaded.locate("broken.ipynb", 16) == "broken.ipynb:cell 4:line 2"
    assert loaded.locate("lesson.py", 6) == "lesson.py:cell 2:line 1"
    assert loaded.locate("Loss Functions.md", 3) == "Loss Functions.md:3"
    assert loaded.locate("bad.ipynb", 2) == "bad.ipynb:2"


def test_a_vault_without_notebooks_has_no_line_maps(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "tool.py").write_text("print('not a notebook')\n", encoding="utf-8")
    loaded, problems = load_vault(tmp_path)
    assert (loaded.line_maps, loaded.attachments, problems) == ({}, ("tool.py",), [])


def test_a_script_beside_a_broken_notebook_stays_an_attachment(tmp_path: Path) -> None:
    (tmp_path / "x.ipynb").write_text("[]", encoding="utf-8")
    (tmp_path / "x.py").write_text(PAIRED_SCRIPT, encoding="utf-8")
    loaded, problems = load_vault(tmp_path)
    assert (loaded.sources, loaded.attachments) == ((), ("x.ipynb", "x.py"))
    assert [(p.path, p.code) for p in problems] == [("x.ipynb", "bad-notebook")]


def test_links_resolve_to_and_from_notebooks(vault: Path) -> None:
    workspace = open_vault(vault, use_cache=False)
    links = {
        note.path: [(link.target, link.resolved) for link in note.links]
        for note in workspace.vault.notes
    }
    assert links == {
        "Loss Functions.md": [
            ("broken", "broken.ipynb"),
            ("lesson", "lesson.py"),
            ("paired.ipynb", "paired.ipynb"),
            ("helpers.py", "helpers.py"),
        ],
        "broken.ipynb": [("Loss Functions", "Loss Functions.md")],
        "lesson.py": [("broken", "broken.ipynb")],
        "paired.ipynb": [],
    }
    assert workspace.vault.backlinks["broken.ipynb"] == ("Loss Functions.md", "lesson.py")
    assert workspace.vault.tags["scripts"] == ("lesson.py",)
    assert [d for d in workspace.diagnostics if d.severity == "warning"] == []


# ---------------------------------------------------------------- parse


def test_parse_text_reports_notebook_problems_at_cells(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "parse", str(vault), "--no-cache")
    assert status == 1  # bad.ipynb is an error
    assert out.splitlines() == [
        "bad.ipynb:2: error: not a notebook: invalid JSON "
        "(Expecting property name enclosed in double quotes) [bad-notebook]",
        "broken.ipynb:cell 2:line 1: info: IPython line `%matplotlib inline` is not Python; "
        "check does not run it [ipython-magic]",
        "broken.ipynb:cell 6:line 1: info: cell magic %%bash: the cell is IPython, not Python, "
        "and is not checked [ipython-magic]",
        "4 notes, 6 links, 0 timestamps, 7 code blocks, 1 error, 0 warnings",
    ]


def test_parse_json_gives_diagnostics_their_location(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "parse", str(vault), "--format", "json", "--no-cache")
    report = json.loads(out)
    assert status == 1
    notes = {note["path"]: note for note in report["notes"]}
    assert list(notes) == ["Loss Functions.md", "broken.ipynb", "lesson.py", "paired.ipynb"]
    assert (notes["lesson.py"]["title"], notes["lesson.py"]["tags"]) == ("lesson", ["scripts"])
    assert notes["lesson.py"]["code_blocks"] == [
        {"lang": "python", "line": 5, "end_line": 8, "options": {}}
    ]
    assert [(d["path"], d["line"], d["location"]) for d in report["diagnostics"]] == [
        ("bad.ipynb", 2, "bad.ipynb:2"),
        ("broken.ipynb", 9, "broken.ipynb:cell 2:line 1"),
        ("broken.ipynb", 25, "broken.ipynb:cell 6:line 1"),
    ]
    assert report["diagnostics"][1] == {
        "path": "broken.ipynb",
        "line": 9,
        "severity": "info",
        "code": "ipython-magic",
        "message": "IPython line `%matplotlib inline` is not Python; check does not run it",
        "location": "broken.ipynb:cell 2:line 1",
    }


# ---------------------------------------------------------------- check


def test_check_text_reports_the_broken_cell(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "check", str(vault), "--no-cache")
    lines = out.splitlines()
    assert status == 1
    assert lines[:-1] == [
        FAILURE,
        "       | print(undefined_name)",
        "    Traceback (most recent call last):",
        '      File "broken.ipynb:cell 4:line 2", in <module>',
        "        print(undefined_name)",
        "              ^^^^^^^^^^^^^^",
        f"    {NAME_ERROR}",
        "bad.ipynb:2: error: not a notebook: invalid JSON (Expecting property name enclosed"
        " in double quotes) [bad-notebook]",
        SKIP_HINT,
    ]
    assert lines[-1].startswith(
        "4 notes, 7 blocks: 4 passed, 1 failed, 1 not-run, 1 skipped, 1 error in notes in "
    )


def test_check_github_annotates_the_notebook_file_with_the_cell(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "check", str(vault), "--format", "github", "--no-cache")
    assert status == 1
    assert out == (
        f"::error file=broken.ipynb,title=block-failed::broken.ipynb:cell 4:line 2: {NAME_ERROR}\n"
        "::error file=bad.ipynb,line=2,title=bad-notebook::not a notebook: invalid JSON"
        " (Expecting property name enclosed in double quotes)\n"
    )


def test_check_junit_names_notebook_cases_by_cell(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "check", str(vault), "--format", "junit", "--no-cache")
    assert status == 1
    cases = ElementTree.fromstring(out).findall("testsuite/testcase")
    assert [(case.get("name"), case.get("file"), case.get("line")) for case in cases] == [
        ("Loss Functions.md:5", "Loss Functions.md", "5"),
        ("broken.ipynb:cell 2", "broken.ipynb", None),
        ("broken.ipynb:cell 4", "broken.ipynb", None),
        ("broken.ipynb:cell 5", "broken.ipynb", None),
        ("broken.ipynb:cell 6", "broken.ipynb", None),
        ("lesson.py:cell 2", "lesson.py", None),
        ("paired.ipynb:cell 1", "paired.ipynb", None),
    ]
    failure = cases[2].find("failure")
    assert failure is not None
    assert (failure.text or "").splitlines()[0] == FAILURE


def test_check_json_keeps_lines_and_adds_locations(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "check", str(vault), "--format", "json", "--no-cache")
    notes = {note["path"]: note for note in json.loads(out)["notes"]}
    assert status == 1
    blocks = notes["broken.ipynb"]["blocks"]
    assert [(b["line"], b["location"], b["status"]) for b in blocks] == [
        (8, "broken.ipynb:cell 2", "passed"),
        (14, "broken.ipynb:cell 4", "failed"),
        (20, "broken.ipynb:cell 5", "not-run"),
        (24, "broken.ipynb:cell 6", "skipped"),
    ]
    error = blocks[1]["error"]
    assert (error["line"], error["location"]) == (16, "broken.ipynb:cell 4:line 2")
    assert [(b["line"], b["location"]) for b in notes["Loss Functions.md"]["blocks"]] == [
        (5, "Loss Functions.md:5")
    ]


def test_merged_reports_keep_notebook_locations(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    run_cli(capsys, "check", str(vault), "--format", "json", "-o", str(report), "--no-cache")
    status, out = run_cli(capsys, "report", "merge", str(report), "--format", "text")
    assert status == 1
    assert out.splitlines()[0] == FAILURE


# ---------------------------------------------------------------- pytest plugin


def test_pytest_collects_notebook_cells_and_reports_failures_at_cells(vault: Path) -> None:
    junit = vault.parent / "junit.xml"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--notes",
            str(vault),
            f"--junitxml={junit}",
        ],
        cwd=vault.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = completed.stdout
    assert completed.returncode == 1, output + completed.stderr
    assert "1 failed, 4 passed, 2 skipped" in output
    assert f"\n{FAILURE}\n       | print(undefined_name)\n" in output
    assert "_ broken.ipynb:cell 4 _" in output
    cases = ElementTree.parse(junit).getroot().findall(".//testcase")
    assert [(case.get("classname"), case.get("name")) for case in cases] == [
        ("vault.Loss Functions.md", "line-5"),
        ("vault.broken.ipynb", "cell-2"),
        ("vault.broken.ipynb", "cell-4"),
        ("vault.broken.ipynb", "cell-5"),
        ("vault.broken.ipynb", "cell-6"),
        ("vault.lesson", "cell-2"),
        ("vault.paired.ipynb", "cell-1"),
    ]


# ---------------------------------------------------------------- link rules


def resolved(files: dict[str, str], attachments: tuple[str, ...] = ()) -> dict[str, str | None]:
    """Target -> resolved path of every link in `from.md`."""
    notes = [parse_note(SourceFile(path, text))[0] for path, text in files.items()]
    vault, _ = resolve_vault(notes, attachments)
    source = next(note for note in vault.notes if note.path == "from.md")
    return {link.target: link.resolved for link in source.links}


def test_a_bare_name_means_the_markdown_note_before_a_notebook() -> None:
    files = {
        "from.md": "[[x]] [[x.ipynb]] [[x.md]] [[y]] [[sub/y]]",
        "x.md": "",
        "x.ipynb": "",
        "sub/y.py": "",
    }
    assert resolved(files) == {
        "x": "x.md",
        "x.ipynb": "x.ipynb",
        "x.md": "x.md",
        "y": "sub/y.py",
        "sub/y": "sub/y.py",
    }


def test_a_markdown_note_deeper_down_still_wins_a_bare_name() -> None:
    files = {"from.md": "[[x]]", "x.ipynb": "", "deep/x.md": ""}
    assert resolved(files) == {"x": "deep/x.md"}


def test_a_notebook_suffix_that_names_no_note_finds_the_file() -> None:
    files = {"from.md": "[[tool.py]] [[x.md]] [[gone.ipynb]]", "x.ipynb": ""}
    assert resolved(files, ("tool.py",)) == {"tool.py": "tool.py", "x.md": None, "gone.ipynb": None}


def test_unresolved_links_to_notebooks_suggest_notebook_notes() -> None:
    notes = [
        parse_note(SourceFile("from.md", "[[Convolutoin]]"))[0],
        parse_note(SourceFile("Convolution.ipynb", ""))[0],
    ]
    _, problems = resolve_vault(notes)
    assert problems == [
        Diagnostic(
            "from.md",
            1,
            "warning",
            "unresolved-link",
            "unresolved link [[Convolutoin]]",
            "did you mean [[Convolution]]?",
        )
    ]
