"""Notebooks read as notes: Markdown text, line map to cells, options, magics, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from notebook_support import make_vault

from notebook_runner.config import CheckConfig
from notebook_runner.execute import CheckOptions, check_notes
from notebook_runner.model import Diagnostic
from notebook_runner.notebooks.export import NotebookLinks, note_notebook
from notebook_runner.notebooks.formats import write_text
from notebook_runner.notebooks.ingest import (
    CellLine,
    notebook_format,
    pick_notebooks,
    read_notebook,
)
from notebook_runner.parse import parse_note

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
BROKEN = (FIXTURES / "broken.ipynb").read_text(encoding="utf-8")
LESSON = """\
# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson as a script
#
# Links to [[broken]].

# %%
x = 2
print(x ** 2)

# %% tags=["skip-execution"]
import not_installed
"""
HELPERS = "# %%\ndef helper():\n    return 42\n"


def test_ipynb_becomes_markdown_with_fenced_code_cells() -> None:
    ingested, problems = read_notebook("ml/broken.ipynb", BROKEN)
    assert ingested is not None
    assert ingested.fmt == "ipynb"
    assert ingested.source.path == "ml/broken.ipynb"
    assert ingested.source.text == (
        "# Broken lesson\n\nSee [[Loss Functions]] and #ml/notebooks.\n\n"
        "> [!tip] Remember\n> Cells run in order.\n\n"
        "```python\n# %matplotlib inline\ntotal = 1 + 1\nprint(total)\n```\n\n"
        "```python\nvalue = total * 2\nprint(undefined_name)\nvalue\n```\n\n"
        "```python raises=KeyError\nraise KeyError('k')\n```\n\n"
        "```python skip\n%%bash\necho hi\n```\n"
    )
    assert problems == [
        Diagnostic(
            "ml/broken.ipynb",
            9,
            "info",
            "ipython-magic",
            "IPython line `%matplotlib inline` is not Python; check does not run it",
        ),
        Diagnostic(
            "ml/broken.ipynb",
            25,
            "info",
            "ipython-magic",
            "cell magic %%bash: the cell is IPython, not Python, and is not checked",
        ),
    ]


def test_markdown_cells_are_parsed_like_notes() -> None:
    ingested, _ = read_notebook("broken.ipynb", BROKEN)
    assert ingested is not None
    note, problems = parse_note(ingested.source)
    assert problems == []
    assert note.title == "broken"
    assert [(link.target, ingested.line_map.location(link.line)) for link in note.links] == [
        ("Loss Functions", "broken.ipynb:cell 1:line 3")
    ]
    assert note.tags == ("ml/notebooks",)
    assert [(c.type, c.title) for c in note.callouts] == [("tip", "Remember")]
    assert [(b.options, ingested.line_map.at(b.line)) for b in note.code_blocks] == [
        ({}, CellLine(2, None)),
        ({}, CellLine(4, None)),
        ({"raises": "KeyError"}, CellLine(5, None)),
        ({"skip": "true"}, CellLine(6, None)),
    ]


def test_line_map_names_cell_and_line() -> None:
    ingested, _ = read_notebook("broken.ipynb", BROKEN)
    assert ingested is not None
    line_map = ingested.line_map
    assert line_map.location(1) == "broken.ipynb:cell 1:line 1"
    assert line_map.location(7) == "broken.ipynb"  # the blank line between cells
    assert line_map.location(14) == "broken.ipynb:cell 4"  # the opening fence
    assert line_map.location(16) == "broken.ipynb:cell 4:line 2"
    assert line_map.at(0) is None
    assert line_map.at(10_000) is None


def test_broken_cell_is_reported_at_its_cell(tmp_path: Path) -> None:
    ingested, _ = read_notebook("broken.ipynb", BROKEN)
    assert ingested is not None
    note, _ = parse_note(ingested.source)
    report = check_notes([note], tmp_path, CheckConfig(), CheckOptions(use_cache=False))
    blocks = report.notes[0].blocks
    assert [block.status for block in blocks] == ["passed", "failed", "not-run", "skipped"]
    assert blocks[0].stdout == "2\n"
    error = blocks[1].error
    assert error is not None
    assert (error.type, error.message) == ("NameError", "name 'undefined_name' is not defined")
    assert ingested.line_map.location(error.line) == "broken.ipynb:cell 4:line 2"


def test_percent_script_with_jupytext_header_is_a_notebook() -> None:
    ingested, problems = read_notebook("lesson.py", LESSON)
    assert problems == []
    assert ingested is not None
    assert ingested.fmt == "py:percent"
    assert ingested.source.text == (
        "# Lesson as a script\n\nLinks to [[broken]].\n\n"
        "```python\nx = 2\nprint(x ** 2)\n```\n\n"
        "```python skip\nimport not_installed\n```\n"
    )
    assert ingested.line_map.location(6) == "lesson.py:cell 2:line 1"


def test_which_files_are_notebooks() -> None:
    assert notebook_format("a/b.ipynb", "") == "ipynb"
    assert notebook_format("a/B.IPYNB", "") == "ipynb"
    assert notebook_format("lesson.py", LESSON) == "py:percent"
    assert notebook_format("helpers.py", HELPERS) is None
    assert notebook_format("notes.md", "# x") is None


def test_paired_script_is_not_read_twice() -> None:
    picked = pick_notebooks(
        {
            "a/lesson.ipynb": BROKEN,
            "a/lesson.py": LESSON,
            "b/lesson.py": LESSON,
            "helpers.py": HELPERS,
        }
    )
    assert picked == {"a/lesson.ipynb": "ipynb", "b/lesson.py": "py:percent"}


def test_invalid_json_is_reported_at_its_line() -> None:
    ingested, problems = read_notebook("bad.ipynb", '{\n "cells": [\n}\n')
    assert ingested is None
    assert [(p.path, p.line, p.severity, p.code) for p in problems] == [
        ("bad.ipynb", 3, "error", "bad-notebook")
    ]
    assert problems[0].message.startswith("not a notebook: invalid JSON (")


def test_json_that_is_no_notebook_is_reported() -> None:
    ingested, problems = read_notebook("list.ipynb", "[1, 2]")
    assert ingested is None
    assert [(p.path, p.line, p.severity, p.code) for p in problems] == [
        ("list.ipynb", 1, "error", "bad-notebook")
    ]
    assert problems[0].message.startswith("not a notebook jupytext can read: ")


def test_plain_python_is_refused_when_asked_directly() -> None:
    ingested, problems = read_notebook("helpers.py", HELPERS)
    assert ingested is None
    assert problems == [
        Diagnostic(
            "helpers.py",
            1,
            "error",
            "bad-notebook",
            "not a notebook: neither .ipynb nor a jupytext py:percent script",
        )
    ]


def test_cell_option_that_cannot_be_a_fence_word_is_warned() -> None:
    notebook = note_notebook(
        make_vault({"A.md": "```python\nx = 1\n```\n"}).notes[0],
        "```python\nx = 1\n```\n",
        NotebookLinks({}),
    )
    notebook.cells[1].metadata["notebook_runner"] = {"timeout": "5 s", "continue": "true"}
    ingested, problems = read_notebook("A.ipynb", write_text(notebook, "ipynb"))
    assert ingested is not None
    assert ingested.source.text == "# A\n\n```python continue\nx = 1\n```\n"
    assert problems == [
        Diagnostic(
            "A.ipynb",
            3,
            "warning",
            "bad-cell-option",
            "cell 2: option timeout='5 s' cannot be a block option",
        )
    ]


def test_export_then_ingest_gives_the_same_blocks() -> None:
    text = (
        "# T\n\n```python timeout=5 reset\nx = 1\n```\n\n```python raises=KeyError\n{}['k']\n```\n"
    )
    note = make_vault({"T.md": text}).notes[0]
    for fmt, name in (("ipynb", "T.ipynb"), ("py:percent", "T.py")):
        exported = write_text(note_notebook(note, text, NotebookLinks({})), fmt)
        ingested, problems = read_notebook(name, exported, fmt)
        assert problems == []
        assert ingested is not None
        back, _ = parse_note(ingested.source)
        assert [(b.code, b.options) for b in back.code_blocks] == [
            (b.code, b.options) for b in note.code_blocks
        ]


def test_other_kernel_languages_are_fenced_in_their_language() -> None:
    notebook = note_notebook(
        make_vault({"A.md": "```python\nx <- 1\n```\n"}).notes[0],
        "```python\nx <- 1\n```\n",
        NotebookLinks({}),
    )
    notebook.metadata["kernelspec"] = {"name": "ir", "language": "R", "display_name": "R"}
    ingested, problems = read_notebook("A.ipynb", write_text(notebook, "ipynb"))
    assert problems == []
    assert ingested is not None
    assert ingested.source.text == "# A\n\n```r\nx <- 1\n```\n"


def test_an_nbformat_3_notebook_is_reported_not_warned(recwarn: pytest.WarningsRecorder) -> None:
    v3 = '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}'
    ingested, problems = read_notebook("old.ipynb", v3)
    assert ingested is None
    assert [(p.path, p.line, p.severity, p.code) for p in problems] == [
        ("old.ipynb", 1, "error", "bad-notebook")
    ]
    assert problems[0].message.startswith(
        "not a notebook jupytext can read: Notebooks in nbformat version 3.0 are not supported"
    )
    assert len(recwarn) == 0


@pytest.mark.parametrize(
    "text",
    [
        '{"cells": 5, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
        '{"cells": [1, null], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
        '{"cells": [], "nbformat": 4}',
        '{"cells": [], "nbformat": 5, "nbformat_minor": 0, "metadata": {}}',
        '{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": []}',
    ],
)
def test_malformed_notebooks_are_reported_never_raised(text: str) -> None:
    ingested, problems = read_notebook("odd.ipynb", text)
    assert ingested is None
    assert [(p.line, p.code) for p in problems] == [(1, "bad-notebook")]
