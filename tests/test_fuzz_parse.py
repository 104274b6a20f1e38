"""Property tests: no note, however broken, crashes parsing, and every line is real.

Two sources of notes: arbitrary bytes decoded as `vault.read_note` does (undecodable
bytes become U+FFFD), and text stitched from Obsidian fragments (fences, timestamp
blocks, wiki-links, callouts, comments, frontmatter fences ...), which reaches the
Obsidian rules' edge cases far more often than random bytes do.

"Every line is real" means: every `line`, `end_line` and `code_line` of every element of
the Note (found generically, so new fields are covered too) and of every diagnostic lies
within 1..L, where L is the number of lines an editor shows for the note (newline count
+ 1; `\\r\\n` and a lone `\\r` count as one line break, as in markdown-it and Obsidian),
and a range never ends before it starts (an unclosed, empty fence on the last line
included: its `code_line` is that line, not one past the end).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notebook_runner.model import Diagnostic, Note, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.parse.frontmatter import MAX_WEIGHT
from notebook_runner.resolve import resolve_vault

PATH = "Fuzz/Note.md"
LINE_FIELDS = ("line", "end_line", "code_line")
FRAGMENTS = (
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "    ",
    " ",
    "---\n",
    "---",
    "tags: [a, #b]\n",
    "video: https://youtu.be/x\n",
    "Title: no\n",
    "a: [\n",
    "```",
    "~~~",
    "```python",
    "```python skip timeout=x",
    "```timestamp",
    "```timestamp ",
    "```timestamp-url",
    "```timestamp-url ",
    " ```",
    " 12:34",
    "19:010",
    "19:60",
    "17.23",
    "1:02:03",
    "https://www.youtube.com/watch?v=abc",
    "[title [x]](https://youtu.be/y)",
    "[[",
    "]]",
    "![[",
    "|",
    "#",
    "# ",
    "## H",
    "#tag",
    "#123",
    "^id",
    " ^block-1",
    "==",
    "%%",
    ">",
    "> ",
    ">[!",
    "> [!note]",
    "[!tip]-",
    "]",
    "[",
    "$",
    "$$",
    "- ",
    "\t- ",
    "1. ",
    "- [ ] ",
    "[^1]",
    "[^1]: ",
    "| a | b |\n| - | - |",
    "`",
    "*",
    "<!--",
    "-->",
    "<div>",
    "\\",
    "\x00",
    "\ufeff",
    "한국어",
    "🏆",
)
NOTE_TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map(
    "".join
)
RAW_BYTES = st.binary(max_size=3000).map(lambda data: data.decode("utf-8", errors="replace"))
FUZZ_SETTINGS = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def editor_lines(text: str) -> int:
    return re.sub(r"\r\n?", "\n", text).count("\n") + 1


def reported_ranges(value: Any, where: str) -> Iterator[tuple[str, dict[str, int]]]:
    """Every dataclass inside `value` that carries line fields, with a readable path."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        lines = {name: getattr(value, name) for name in LINE_FIELDS if hasattr(value, name)}
        if lines:
            yield where, lines
        for item in dataclasses.fields(value):
            yield from reported_ranges(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from reported_ranges(item, f"{where}[{index}]")


def assert_lines_within(text: str, note: Note, diagnostics: list[Diagnostic]) -> None:
    last = editor_lines(text)
    for where, lines in reported_ranges((note, diagnostics), "result"):
        for name, line in lines.items():
            assert isinstance(line, int), (where, name, line)
            assert 1 <= line <= last, (where, name, line, last)
        if "end_line" in lines:
            assert lines["line"] <= lines["end_line"], (where, lines)
    assert all(diagnostic.path == PATH for diagnostic in diagnostics)


def parse_and_resolve(text: str) -> tuple[Note, list[Diagnostic]]:
    note, diagnostics = parse_note(SourceFile(PATH, text))
    vault, link_diagnostics = resolve_vault([note])
    return vault.notes[0], diagnostics + link_diagnostics


@FUZZ_SETTINGS
@given(NOTE_TEXT)
def test_obsidian_fragments_never_crash_and_lines_are_in_the_note(text: str) -> None:
    note, diagnostics = parse_and_resolve(text)
    assert_lines_within(text, note, diagnostics)


@FUZZ_SETTINGS
@given(RAW_BYTES)
def test_any_bytes_never_crash_and_lines_are_in_the_note(text: str) -> None:
    note, diagnostics = parse_and_resolve(text)
    assert_lines_within(text, note, diagnostics)


@FUZZ_SETTINGS
@given(st.lists(NOTE_TEXT, max_size=8).map("\n".join))
def test_frontmatter_first_notes_never_crash(body: str) -> None:
    text = f"---\n{body}"
    note, diagnostics = parse_and_resolve(text)
    assert_lines_within(text, note, diagnostics)


# -- hostile shapes: YAML aliases and nested brackets ------------------------------------


def _flow(items: list[str], mapping: bool) -> str:
    return f"{{k: [{', '.join(items)}]}}" if mapping else f"[{', '.join(items)}]"


def _repeated(alias: str, count: int) -> list[str]:
    return [alias] * count


@st.composite
def alias_frontmatter(draw: st.DrawFn) -> str:
    """Lines `kN: &aN [...]` holding scalars and aliases of the anchors above, now and
    then of their own (a value containing itself), or holding up to nine aliases of the
    line above: the billion-laughs chain, which outgrows the limit after six lines."""
    lines = []
    for number in range(draw(st.integers(1, 9))):
        own = draw(st.integers(0, 7)) == 0
        known = [f"*a{before}" for before in range(number + own)]
        leaf = st.sampled_from(("x", "1", "''", *known, *known))
        nested = st.recursive(
            leaf,
            lambda inner: st.builds(_flow, st.lists(inner, max_size=9), st.booleans()),
            max_leaves=30,
        )
        chain = st.builds(_repeated, st.just(f"*a{number - 1}"), st.integers(1, 9))
        items = draw(chain if number and draw(st.booleans()) else st.lists(nested, max_size=9))
        lines.append(f"k{number}: &a{number} {_flow(items, draw(st.booleans()))}")
    return "\n".join(lines)


BRACKETS = st.builds(
    lambda opening, middle, closing, count, closers: opening * count + middle + closing * closers,
    st.sampled_from(("[", "[[", "![[", "![", "[^", "^[", "==", "%%", "$", "<", "`", "*")),
    st.sampled_from(("x", "", "]]", "|", "#", " ", "[[x]]")),
    st.sampled_from(("]", "]]", ")", "==", "%%", "$", ">")),
    st.integers(0, 3000),
    st.integers(0, 3000),
)
AFTER = "\n\n# After\n"


def weight(value: Any) -> int:
    """`frontmatter.MAX_WEIGHT`'s measure of loaded data: one per value plus its text."""
    if isinstance(value, dict):
        return 1 + sum(weight(key) + weight(item) for key, item in value.items())
    if isinstance(value, list):
        return 1 + sum(weight(item) for item in value)
    return 1 + len(str(value)) if isinstance(value, str) else 2


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alias_frontmatter())
def test_yaml_aliases_never_crash_and_loaded_data_stays_bounded(frontmatter: str) -> None:
    text = f"---\n{frontmatter}\n---\nbody{AFTER}"
    note, diagnostics = parse_and_resolve(text)
    assert_lines_within(text, note, diagnostics)
    assert [heading.text for heading in note.headings] == ["After"]
    assert weight(note.frontmatter) <= MAX_WEIGHT


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BRACKETS, min_size=1, max_size=4).map("".join))
def test_nested_brackets_never_crash_and_the_rest_is_read(body: str) -> None:
    """One paragraph line (so that no block, such as a `%%` comment, hides the rest)."""
    text = "text " + body + AFTER
    note, diagnostics = parse_and_resolve(text)
    assert_lines_within(text, note, diagnostics)
    assert note.headings[-1].text == "After"


def test_line_walker_sees_nested_elements() -> None:
    """Guards the checker itself: it must reach lines inside tuples of dataclasses."""
    problem = Diagnostic(PATH, 3, "warning", "x", "y")
    found = dict(reported_ranges(([problem],), "r"))
    assert found == {"r[0][0]": {"line": 3}}
