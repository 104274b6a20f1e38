"""Parsing is linear in hostile inline text (issue 13 item 14): each shape that cost
quadratic time parses 4 x the text in well under 8 x the time (4 x is linear, 16 x
quadratic). CPU time of this process, best of three, so other work on the machine
barely shows."""

from __future__ import annotations

import time

import pytest

from bench.hostile import INLINE_SHAPES, inline_note
from notebook_runner.model import SourceFile
from notebook_runner.parse import parse_note

COUNT = 3000


def parse_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        parse_note(SourceFile("hostile.md", text))
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(INLINE_SHAPES))
def test_parse_time_grows_linearly(shape: str) -> None:
    small = parse_seconds(inline_note(shape, COUNT))
    large = parse_seconds(inline_note(shape, 4 * COUNT))
    assert large < 8 * small + 0.02, (shape, small, large)


def test_lines_stay_right_when_a_rule_asks_about_an_earlier_position() -> None:
    """The link rule asks for the line of its `[` after its label was parsed (the
    highlight inside it, a line further down, asked first): counted backwards."""
    text = "intro\n[a\nb ==hl==](https://e.org) ==x==\n[[N]]\n"
    note, _ = parse_note(SourceFile("lines.md", text))
    assert [(link.text, link.line) for link in note.external_links] == [("a b hl", 2)]
    assert [(mark.text, mark.line) for mark in note.highlights] == [("hl", 3), ("x", 3)]
    assert [(link.target, link.line) for link in note.links] == [("N", 4)]
