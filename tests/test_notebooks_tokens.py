"""Notebooks from the build's token stream: same Markdown as a parse of their own, and
valid notebooks although no cell is validated while it is built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from markdown_it.token import Token
from nbformat import NotebookNode

from notebook_runner.execute import BlockResult
from notebook_runner.execute.results import BlockError
from notebook_runner.model import Note, SourceFile
from notebook_runner.notebooks import markdown
from notebook_runner.notebooks.export import NotebookLinks, note_notebook
from notebook_runner.notebooks.formats import read_text, write_text
from notebook_runner.notebooks.markdown import CellBreak, Piece, note_pieces
from notebook_runner.parse import parse_tokens
from notebook_runner.resolve import resolve_vault

REPO = Path(__file__).resolve().parent.parent

TEXTS = {
    "plain": "# Title\n\nSome *text* with [[Other]] and ==marks==.\n",
    "escapes": "Not \\*emphasis\\* and a \\[bracket\\].\n",
    "entities": "Caf&eacute; &amp; &#35;notatag, AT&T\n",
    "math and code keep backslashes": "Math $\\frac{a}{b}$ and `a\\b & c` here.\n",
    "escape in image alt": "![alt \\*x\\*](pic.png)\n",
    "escape in a table": "| a | b |\n|---|---|\n| \\| | `x\\y` |\n",
    "hard break": "line one\\\nline two\n",
    "inline html": 'An <span title="a&amp;b">html</span> span.\n',
    "python": "Intro\n\n```python\nx = '\\\\n & more'\n```\n\n- item \\_x\\_\n",
}


def _note_and_tokens(text: str) -> tuple[Note, list[Token]]:
    note, _, tokens = parse_tokens(SourceFile("A.md", text))
    other, _, _ = parse_tokens(SourceFile("Other.md", "# Other\n"))
    vault, _ = resolve_vault([note, other])
    return vault.notes[0], tokens


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_pieces_from_the_build_tokens_equal_a_fresh_parse(text: str) -> None:
    note, tokens = _note_and_tokens(text)
    targets = NotebookLinks({})
    from_tokens = note_pieces(note, text, targets, tokens)
    assert _comparable(from_tokens) == _comparable(note_pieces(note, text, targets))


REPARSED = {"escapes", "entities", "escape in image alt", "hard break", "python"}


@pytest.mark.parametrize("name", TEXTS)
def test_the_note_is_parsed_again_only_for_escapes_and_entities(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    note, tokens = _note_and_tokens(TEXTS[name])
    parses: list[str] = []
    real = markdown._markdown()

    class Counting:
        def parse(self, text: str) -> list[Token]:
            parses.append(text)
            return real.parse(text)

    monkeypatch.setattr(markdown, "_markdown", Counting)
    note_pieces(note, TEXTS[name], NotebookLinks({}), tokens)
    assert parses == ([TEXTS[name]] if name in REPARSED else [])


def _comparable(pieces: list[Piece]) -> list[object]:
    """Cell breaks carry nothing but their place."""
    return ["<break>" if isinstance(piece, CellBreak) else piece for piece in pieces]


def test_the_seed_note_gives_the_same_notebook_from_its_tokens() -> None:
    text = (REPO / "vault" / "Lesson 3.md").read_text(encoding="utf-8")
    note, _, tokens = parse_tokens(SourceFile("Lesson 3.md", text))
    vault, _ = resolve_vault([note])
    resolved = vault.notes[0]
    targets = NotebookLinks({resolved.path: resolved})
    from_tokens = note_notebook(resolved, text, targets, (), tokens)
    assert from_tokens == note_notebook(resolved, text, targets)
    assert from_tokens.cells  # the seed note has Markdown and code cells


ERROR = BlockError("NameError", "name 'y' is not defined", 4, "Traceback ...\nNameError: y\n")
RESULTS = (
    BlockResult(3, "passed", stdout="out\n", stderr="warn\n", value="42", figures=("iVBORw0=",)),
    BlockResult(7, "failed", error=ERROR),
    BlockResult(11, "skipped"),
)
NOTE = (
    "# Cells\n\n```python\nprint(1)\n```\n\n```python raises=NameError\ny\n```\n\n"
    "```python skip\nz\n```\n"
)


def test_every_kind_of_cell_and_output_makes_a_valid_notebook() -> None:
    note, _, tokens = parse_tokens(SourceFile("N.md", NOTE))
    notebook = note_notebook(note, NOTE, NotebookLinks({note.path: note}), RESULTS, tokens)
    outputs = [output.output_type for cell in notebook.cells for output in cell.get("outputs", [])]
    assert outputs == ["stream", "stream", "display_data", "execute_result", "error"]
    nbformat.validate(notebook)
    written = read_text(write_text(notebook, "ipynb"), "ipynb")
    nbformat.validate(written)
    assert written == notebook


def _nbformat_writes(notebook: NotebookNode) -> str:
    """nbformat's own writer (validating first), the reference for our text."""
    writes: Any = nbformat.writes
    return str(writes(notebook))


def test_ipynb_text_is_what_nbformat_writes() -> None:
    note, _, tokens = parse_tokens(SourceFile("N.md", NOTE))
    notebook = note_notebook(note, NOTE, NotebookLinks({note.path: note}), RESULTS, tokens)
    text = write_text(notebook, "ipynb")
    assert text == _nbformat_writes(notebook) + "\n"
    assert json.loads(text)["nbformat"] == 4
