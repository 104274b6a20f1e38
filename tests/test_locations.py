"""The location seam: every format shows note lines through one `Locator`."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from notebook_runner.diagnostics import at_line, file_line, format_github, format_text, to_json
from notebook_runner.execute.formats import format_failure, format_junit
from notebook_runner.execute.results import (
    BlockError,
    BlockResult,
    CheckReport,
    NoteResult,
    report_from_json,
    report_to_json,
    stored_locator,
)
from notebook_runner.model import Diagnostic

MAGIC = Diagnostic("nb.ipynb", 9, "info", "ipython-magic", "not Python", "50% sure")
PLAIN = Diagnostic("a.md", 3, "warning", "unresolved-link", "unresolved link [[b]]")
TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "nb.ipynb", line 16, in <module>\n'
    "    f()\n"
    '  File "nb.ipynb", line 12, in f\n'
    "    raise KeyError('k')\n"
    '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads\n'
    "KeyError: 'k'\n"
)
ERROR = BlockError("KeyError", "'k'", 16, TRACEBACK, "f()")


CELLS = {
    9: "nb.ipynb:cell 1:line 1",
    12: "nb.ipynb:cell 2:line 2",
    14: "nb.ipynb:cell 3",
    16: "nb.ipynb:cell 3:line 2",
    20: "nb.ipynb:cell 4",
}


def cells(path: str, line: int) -> str:
    """A stand-in for a vault's locator: `nb.ipynb` is a notebook, other notes are not."""
    return CELLS.get(line, path) if path == "nb.ipynb" else at_line(path, line)


def test_plain_locations_are_path_and_line() -> None:
    assert at_line("a.md", 3) == "a.md:3"
    assert format_text(PLAIN) == "a.md:3: warning: unresolved link [[b]] [unresolved-link]"
    assert file_line("a.md", 3, cells) == 3
    assert file_line("nb.ipynb", 16, cells) is None


def test_text_and_json_show_the_located_line() -> None:
    assert format_text(MAGIC, cells) == (
        "nb.ipynb:cell 1:line 1: info: not Python (50% sure) [ipython-magic]"
    )
    assert to_json([MAGIC, PLAIN], cells) == [
        {
            "path": "a.md",
            "line": 3,
            "severity": "warning",
            "code": "unresolved-link",
            "message": "unresolved link [[b]]",
            "location": "a.md:3",
        },
        {
            "path": "nb.ipynb",
            "line": 9,
            "severity": "info",
            "code": "ipython-magic",
            "message": "not Python",
            "hint": "50% sure",
            "location": "nb.ipynb:cell 1:line 1",
        },
    ]


def test_github_annotates_a_cell_on_its_file_without_a_line() -> None:
    assert format_github(MAGIC, cells) == (
        "::notice file=nb.ipynb,title=ipython-magic::"
        "nb.ipynb:cell 1:line 1: not Python (50%25 sure)"
    )
    assert format_github(PLAIN, cells) == (
        "::warning file=a.md,line=3,title=unresolved-link::unresolved link [[b]]"
    )


def test_failure_text_locates_the_note_frames_only() -> None:
    assert format_failure("nb.ipynb", ERROR, cells).splitlines() == [
        "nb.ipynb:cell 3:line 2: error: KeyError: 'k'",
        "       | f()",
        "    Traceback (most recent call last):",
        '      File "nb.ipynb:cell 3:line 2", in <module>',
        "        f()",
        '      File "nb.ipynb:cell 2:line 2", in f',
        "        raise KeyError('k')",
        '      File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
        "    KeyError: 'k'",
    ]
    assert format_failure("nb.ipynb", ERROR).splitlines()[:4] == [
        "nb.ipynb:16: error: KeyError: 'k'",
        "    16 | f()",
        "    Traceback (most recent call last):",
        '      File "nb.ipynb", line 16, in <module>',
    ]


def report() -> CheckReport:
    blocks = (BlockResult(14, "failed", error=ERROR), BlockResult(20, "not-run"))
    return CheckReport(
        (
            NoteResult("a.md", "passed", (BlockResult(5, "passed"),)),
            NoteResult("nb.ipynb", "failed", blocks),
        ),
        (MAGIC,),
    )


def test_junit_names_cells_and_drops_their_line() -> None:
    cases = ElementTree.fromstring(format_junit(report(), cells)).findall("testsuite/testcase")
    assert [(case.get("name"), case.get("line")) for case in cases] == [
        ("a.md:5", "5"),
        ("nb.ipynb:cell 3", None),
        ("nb.ipynb:cell 4", None),
    ]


def test_saved_reports_remember_their_locations() -> None:
    data = report_to_json(report(), cells)
    assert data["notes"][1]["blocks"][0]["location"] == "nb.ipynb:cell 3"
    assert data["notes"][1]["blocks"][0]["error"]["location"] == "nb.ipynb:cell 3:line 2"
    assert data["diagnostics"][0]["location"] == "nb.ipynb:cell 1:line 1"
    assert report_from_json(data) == report()
    locate = stored_locator([data])
    assert [locate("nb.ipynb", line) for line in (14, 16, 20, 9)] == [
        "nb.ipynb:cell 3",
        "nb.ipynb:cell 3:line 2",
        "nb.ipynb:cell 4",
        "nb.ipynb:cell 1:line 1",
    ]
    assert locate("nb.ipynb", 99) == "nb.ipynb:99"
    assert locate("a.md", 5) == "a.md:5"


def test_malformed_saved_locations_are_ignored() -> None:
    data = {
        "notes": [{"path": "nb.ipynb", "blocks": [{"line": "x", "location": "y", "error": 3}]}],
        "diagnostics": [{"path": 1, "line": 2, "location": "z"}],
    }
    locate = stored_locator([data])
    assert locate("nb.ipynb", 1) == "nb.ipynb:1"
