"""What a failure's traceback shows: the note's frames, never the tool's (issue 14)."""

from __future__ import annotations

from pathlib import Path

from execute_support import make_note, run, run_one

from notebook_runner.execute import format_text
from notebook_runner.execute.results import BlockError


def _error(tmp_path: Path, *blocks: str | tuple[str, str, dict[str, str]]) -> BlockError:
    result = run_one(tmp_path, *blocks)
    return next(block.error for block in result.blocks if block.error is not None)


def test_a_syntax_error_of_the_note_shows_only_its_own_location(tmp_path: Path) -> None:
    error = _error(tmp_path, "x = 1\nif x\n    pass\n")
    assert (error.type, error.message, error.line) == ("SyntaxError", "expected ':'", 3)
    assert error.traceback == (
        "  File \"note.md\", line 3\n    if x\n        ^\nSyntaxError: expected ':'\n"
    )


def test_indentation_and_tab_errors_show_no_frame_of_the_tool(tmp_path: Path) -> None:
    indented = _error(tmp_path, "  x = 1\n")
    assert indented.type == "IndentationError"
    assert indented.traceback == (
        '  File "note.md", line 2\n    x = 1\nIndentationError: unexpected indent\n'
    )
    tabs = _error(tmp_path, "if True:\n        x = 1\n\ty = 2\n")
    assert tabs.type == "TabError"
    assert "ast.py" not in tabs.traceback and "Traceback" not in tabs.traceback


def test_a_syntax_error_raised_by_code_the_note_runs_keeps_the_note_frame(
    tmp_path: Path,
) -> None:
    error = _error(tmp_path, 'exec("x = (")\n')
    assert error.traceback.startswith(
        'Traceback (most recent call last):\n  File "note.md", line 2, in <module>\n'
    )
    assert 'File "<string>", line 1' in error.traceback


def test_a_timeout_reads_timed_out_after_its_seconds(tmp_path: Path) -> None:
    error = _error(tmp_path, ("python", "while True:\n    pass\n", {"timeout": "0.5"}))
    assert (error.type, error.message) == ("Timeout", "timed out after 0.5 s")
    assert error.traceback.endswith("\nTimeout: timed out after 0.5 s\n")
    assert 'File "note.md", line' in error.traceback
    assert "BlockTimeout" not in error.traceback and "notebook_runner" not in error.traceback


def test_a_doctest_failure_shows_the_examples_frames_not_doctests(tmp_path: Path) -> None:
    code = ">>> def f():\n...     return 1 / 0\n>>> f()\n1\n"
    error = _error(tmp_path, ("pycon", code, {}))
    assert (error.type, error.line) == ("ZeroDivisionError", 4)
    assert error.traceback == (
        "Traceback (most recent call last):\n"
        '  File "<doctest note.md[1]>", line 1, in <module>\n'
        '  File "<doctest note.md[0]>", line 2, in f\n'
        "ZeroDivisionError: division by zero\n"
    )


def test_frames_of_code_the_note_calls_are_kept(tmp_path: Path) -> None:
    error = _error(tmp_path, "import json\njson.loads('{')\n")
    frames = [line for line in error.traceback.splitlines() if line.startswith("  File")]
    assert frames[0] == '  File "note.md", line 3, in <module>'
    assert any("json" in frame for frame in frames[1:])


def test_the_text_report_of_a_syntax_error_names_no_file_of_the_tool(tmp_path: Path) -> None:
    report = run(tmp_path, make_note("note.md", "print(1\n"))
    text = format_text(report)
    assert "ast.py" not in text and "Traceback" not in text
    assert text.startswith("note.md:2: error: SyntaxError: '(' was never closed\n")
