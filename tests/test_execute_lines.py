"""Blocks deep in a note are compiled at their note lines without padding the code:
errors, tracebacks and warnings still point into the note (issue 13 item 15)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from execute_support import run

from notebook_runner.execute.plan import BlockPlan
from notebook_runner.execute.sandbox import _at_note_lines
from notebook_runner.model import SourceFile
from notebook_runner.parse import parse_note

FILLER = "Some prose.\n" * 5000  # the first block's fence is line 5001, its code 5002


def deep_note(*blocks: str) -> SourceFile:
    fences = "\n".join(f"```python\n{code}```\n" for code in blocks)
    return SourceFile("deep.md", FILLER + fences)


def test_syntax_error_deep_in_a_note_is_at_its_note_line(tmp_path: Path) -> None:
    note, _ = parse_note(deep_note("x = 1\nif x\n    y = 2\n"))
    error = run(tmp_path, note).notes[0].blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line, error.source_line) == (
        "SyntaxError",
        "expected ':'",
        5003,
        "if x",
    )
    assert 'File "deep.md", line 5003\n    if x\n        ^\nSyntaxError' in error.traceback


def test_indentation_error_deep_in_a_note_is_at_its_note_line(tmp_path: Path) -> None:
    note, _ = parse_note(deep_note("x = 1\n", "def f():\nreturn 1\n"))
    error = run(tmp_path, note).notes[0].blocks[1].error
    assert error is not None
    assert (error.type, error.line, error.source_line) == ("IndentationError", 5007, "return 1")


def test_traceback_deep_in_a_note_shows_note_lines(tmp_path: Path) -> None:
    note, _ = parse_note(deep_note("def f():\n    return 1 / 0\n", "x = 2\nf()\n"))
    error = run(tmp_path, note).notes[0].blocks[1].error
    assert error is not None
    assert (error.type, error.line) == ("ZeroDivisionError", 5003)
    assert 'File "deep.md", line 5008, in <module>\n    f()' in error.traceback
    assert 'File "deep.md", line 5003, in f\n    return 1 / 0' in error.traceback


def test_warnings_of_the_parser_are_at_note_lines(tmp_path: Path) -> None:
    """An invalid escape is reported by the parser itself, before the tree is moved."""
    setup = "import warnings\nwarnings.simplefilter('always')\n"
    note, _ = parse_note(deep_note(setup, "x = 1\ny = '\\d'\n"))
    result = run(tmp_path, note).notes[0].blocks[1]
    assert result.status == "passed"
    assert "deep.md:5008: DeprecationWarning: invalid escape sequence '\\d'" in result.stderr


def test_compiling_a_block_costs_nothing_for_the_lines_above_it() -> None:
    """Padding the code with a newline per line above made a block at line 50,000,000
    allocate 50 MB (and checking a note quadratic in its blocks)."""
    block = BlockPlan(
        line=49_999_999, code="x = 1\ny = x +\n2\n"[:6], code_line=50_000_000, doctest=False
    )
    tracemalloc.start()
    try:
        tree = _at_note_lines(block, "deep.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert tree.body[0].lineno == 50_000_000
    assert peak < 1_000_000
