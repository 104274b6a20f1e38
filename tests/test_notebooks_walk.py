"""Containers written in one pass over the token stream: lists, quotes, callouts and
footnotes keep their shape around the Python blocks that split them into cells."""

from __future__ import annotations

import nbformat
from notebook_support import make_vault

from notebook_runner.execute import BlockResult
from notebook_runner.notebooks.export import NotebookLinks, note_notebook, note_notebook_dict
from notebook_runner.notebooks.formats import write_text
from notebook_runner.notebooks.markdown import CellBreak, Piece, note_pieces


def _pieces(text: str) -> list[object]:
    """The note's pieces, its Python blocks shown as ("code", line)."""
    note = make_vault({"A.md": text}).notes[0]
    pieces: list[Piece] = note_pieces(note, text, NotebookLinks({"A.md": note}))
    return [
        "<break>" if isinstance(p, CellBreak) else p if isinstance(p, str) else ("code", p.line)
        for p in pieces
    ]


def test_a_loose_list_keeps_blank_lines_between_its_items() -> None:
    assert _pieces("- one\n\n- two\n  more\n") == ["- one\n\n- two\n  more"]


def test_tightness_is_decided_per_list() -> None:
    text = "- a\n  - b\n\n  - c\n- d\n"
    assert _pieces(text) == ["- a\n  - b\n\n  - c\n- d"]


def test_a_python_block_in_a_callout_splits_it_and_the_callout_resumes() -> None:
    text = "> [!note]\n> before\n> ```python\n> x = 1\n> ```\n> - item\n>   after\n"
    assert _pieces(text) == ["> **Note**\n>\n> before", ("code", 3), "> - item\n>   after"]


def test_a_python_block_ending_a_quote_ends_the_markdown() -> None:
    assert _pieces("> quoted\n>\n> ```python\n> y = 2\n> ```\n") == ["> quoted", ("code", 3)]


def test_footnotes_follow_a_rule_each_with_its_label() -> None:
    text = "A[^a] B[^b]\n\n[^a]: First.\n\n    Second para.\n[^b]: Other.\n"
    assert _pieces(text) == [
        "A<sup>a</sup> B<sup>b</sup>\n\n***\n\n<sup>a</sup> First.\n\nSecond para.\n\n"
        "<sup>b</sup> Other."
    ]


def test_an_item_opening_with_python_keeps_its_marker_before_the_code_cell() -> None:
    assert _pieces("- ```python\n  z = 3\n  ```\n  text\n- next\n") == [
        "-",
        ("code", 1),
        "text\n- next",
    ]


NOTE = "# Title\n\nSome [[B]] text.\n\n```python\nprint('hi')\n```\n"


def test_the_plain_notebook_is_the_node_notebook_and_writes_the_same_text() -> None:
    vault = make_vault({"A.md": NOTE, "B.md": "# B\n"})
    notes = {note.path: note for note in vault.notes}
    targets = NotebookLinks(notes)
    results = (BlockResult(5, "passed", stdout="hi\n"),)
    plain = note_notebook_dict(notes["A.md"], NOTE, targets, results)
    node = note_notebook(notes["A.md"], NOTE, targets, results)
    assert plain == node
    assert type(plain["cells"][0]) is dict
    assert write_text(plain, "ipynb") == write_text(node, "ipynb")
    assert write_text(plain, "ipynb") == nbformat.writes(node) + "\n"  # type: ignore[no-untyped-call]
    assert write_text(plain, "md:myst") == write_text(node, "md:myst")
