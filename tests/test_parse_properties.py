"""Any text is a note: parsing never raises and every reported line is in the file."""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from notebook_runner.model import Note, SourceFile
from notebook_runner.parse.note import file_stem, parse_note

PIECES = [
    "---\n",
    "tags: [a, #b]\n",
    "url: https://y.tu/v\n",
    "a: b: c\n",
    "```timestamp \n",
    "```timestamp-url\n",
    " ```\n",
    "```python skip x=1\n",
    "```\n",
    " 12:34\n",
    "19:010\n",
    "17.23\n",
    "[t [x]](https://v.io/w)\n",
    "> [!note]- T\n",
    ">[!tip]\n",
    "> > [!bug]\n",
    "%%\n",
    "%%c%% ",
    "==h== ",
    "#tag ",
    "#123 ",
    "[[N#H|a]] ",
    "![[i.png|9x9]] ",
    "^id\n",
    "## H\n",
    "- [ ] t\n",
    "\t- \n",
    "$$\n",
    "$x$ ",
    "[^1]\n",
    "[^1]: f\n",
    "| a |\n|---|\n",
    "\n",
    "text ",
    "\r\n",
    "\r",
    "\x00",
    "\ufeff",
]


def lines_in(note: Note) -> list[int]:
    found: list[int] = []

    def visit(value: Any) -> None:
        if dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                if item.name in ("line", "end_line", "code_line"):
                    found.append(getattr(value, item.name))
                else:
                    visit(getattr(value, item.name))
        elif isinstance(value, tuple | list):
            for item in value:
                visit(item)

    visit(note)
    return found


def line_count(text: str) -> int:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return max(normalised.count("\n") + (0 if normalised.endswith("\n") else 1), 1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_obsidian_shaped_text(text: str) -> None:
    note, diagnostics = parse_note(SourceFile("n.md", text))
    last = line_count(text)
    code_lines = {block.code_line for block in note.code_blocks}
    for line in lines_in(note):
        # A code block's first code line is one past an unclosed fence on the last line.
        assert 1 <= line <= last or (line == last + 1 and line in code_lines)
    assert all(1 <= problem.line <= last for problem in diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    _, diagnostics = parse_note(SourceFile("n.md", text))
    assert all(1 <= problem.line <= line_count(text) for problem in diagnostics)


_NAME_PIECES = st.sampled_from(["a", ".", "b", "x.y", " ", "é", "..", ".md", "-"])


@given(st.lists(st.sampled_from(["notes", "a.b", "강의"]), max_size=3), st.lists(_NAME_PIECES))
def test_a_note_title_is_its_file_stem(folders: list[str], pieces: list[str]) -> None:
    """The name part as `PurePosixPath.stem` reads it (vault paths name files, never
    `.` or `..`)."""
    name = "".join(pieces)
    assume(name not in ("", ".", ".."))
    path = "/".join([*folders, name])
    assert file_stem(path) == PurePosixPath(path).stem
