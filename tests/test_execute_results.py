"""Report formats: text, JSON (and merging shards), JUnit XML, GitHub annotations."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree

from notebook_runner.execute import (
    BlockError,
    BlockResult,
    CheckReport,
    NoteResult,
    format_github,
    format_junit,
    format_text,
    merge_reports,
    report_from_json,
    report_to_json,
)
from notebook_runner.execute.capture import INDEX_BYTES, BoundedWriter, OutputStream
from notebook_runner.execute.formats import SKIP_HINT
from notebook_runner.execute.results import MARKED_SKIP, not_run, skipped
from notebook_runner.model import Diagnostic

TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "Lesson 3.md", line 50, in <module>\n'
    "    abc = torch.tensor([1.1,1.1,1.1])\n"
    "NameError: name 'torch' is not defined\n"
)
ERROR = BlockError(
    "NameError", "name 'torch' is not defined", 50, TRACEBACK, "abc = torch.tensor([1.1,1.1,1.1])"
)


def seed_report() -> CheckReport:
    blocks = (
        BlockResult(39, "failed", 0.01, "out\x00put\n", "", ERROR),
        not_run(63),
    )
    other = (BlockResult(3, "passed", 0.5, value="42"), skipped(9, MARKED_SKIP))
    return CheckReport(
        (NoteResult("Lesson 3.md", "failed", blocks, 0.02), NoteResult("b.md", "passed", other)),
        (Diagnostic("b.md", 1, "warning", "bad-timeout", "timeout must be positive"),),
        1.5,
    )


def test_text_shows_failures_at_note_lines_then_one_summary_line() -> None:
    assert format_text(seed_report()) == (
        "Lesson 3.md:50: error: NameError: name 'torch' is not defined\n"
        "    50 | abc = torch.tensor([1.1,1.1,1.1])\n"
        "    Traceback (most recent call last):\n"
        '      File "Lesson 3.md", line 50, in <module>\n'
        "        abc = torch.tensor([1.1,1.1,1.1])\n"
        "    NameError: name 'torch' is not defined\n"
        "b.md:1: warning: timeout must be positive [bad-timeout]\n"
        f"{SKIP_HINT}\n"
        "2 notes, 4 blocks: 1 passed, 1 failed, 1 not-run, 1 skipped in 1.50s\n"
    )


def test_github_annotations_point_at_note_lines() -> None:
    assert format_github(seed_report()).splitlines() == [
        "::error file=Lesson 3.md,line=50,title=block-failed::"
        "NameError: name 'torch' is not defined",
        "::warning file=b.md,line=1,title=bad-timeout::timeout must be positive",
    ]


def test_junit_xml_parses_with_one_testcase_per_block_named_path_line() -> None:
    root = ElementTree.fromstring(format_junit(seed_report()))
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("skipped")) == (
        "testsuites",
        "4",
        "1",
        "2",
    )
    cases = root.findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == [
        "Lesson 3.md:39",
        "Lesson 3.md:63",
        "b.md:3",
        "b.md:9",
    ]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == "NameError: name 'torch' is not defined"
    assert failure.get("type") == "NameError"
    assert (failure.text or "").startswith("Lesson 3.md:50: error: NameError")
    assert cases[0].findtext("system-out") == "out\ufffdput\n"
    not_run_case = cases[1].find("skipped")
    assert not_run_case is not None
    assert not_run_case.get("message") == "not-run: an earlier block of the note failed"
    assert cases[2].find("failure") is None and cases[2].find("skipped") is None
    skipped_case = cases[3].find("skipped")
    assert skipped_case is not None
    assert skipped_case.get("message") == "skipped: the block is marked skip"


def test_json_has_the_issue_shape_and_round_trips() -> None:
    report = seed_report()
    data = report_to_json(report)
    first = data["notes"][0]["blocks"][0]
    assert {key: first[key] for key in ("line", "status", "duration_s", "stdout", "stderr")} == {
        "line": 39,
        "status": "failed",
        "duration_s": 0.01,
        "stdout": "out\x00put\n",
        "stderr": "",
    }
    assert first["error"]["line"] == 50
    assert data["notes"][0]["blocks"][1]["error"] is None
    assert data["summary"] == {
        "notes": 2,
        "blocks": 4,
        "passed": 1,
        "failed": 1,
        "not_run": 1,
        "skipped": 1,
        "cached": 0,
        "missing_modules": 0,
    }
    assert report_from_json(data) == report


def test_merging_shard_reports_orders_notes_and_recounts() -> None:
    full = seed_report()
    shard_a = CheckReport(full.notes[1:], full.diagnostics, 1.0)
    shard_b = CheckReport(full.notes[:1], (), 2.0)
    merged = merge_reports([shard_a, shard_b])
    assert [note.path for note in merged.notes] == ["Lesson 3.md", "b.md"]
    assert merged.summary == full.summary
    assert merged.duration_s == 2.0
    assert merged.diagnostics == full.diagnostics


def test_bounded_writer_keeps_head_and_tail_across_many_writes() -> None:
    writer = BoundedWriter(1, keep=5)
    for chunk in ["abc", "defg", "hij", "klmnop", "q"]:
        writer.write(chunk)
    assert writer.getvalue() == "abcde\n... [7 characters not shown] ...\nmnopq"
    small = BoundedWriter(1, keep=5)
    small.write("abcdefgh")
    assert small.getvalue() == "abcdefgh"


def test_output_stream_splits_blocks_at_markers_cut_anywhere() -> None:
    """A block's marker can arrive in pieces; what precedes it is that block's."""
    marker = b"\0secret"
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    stream = OutputStream(read_end, marker, keep=4)
    data = b"abc" + marker + (0).to_bytes(INDEX_BYTES, "big")
    data += b"0123456789" + marker + (2).to_bytes(INDEX_BYTES, "big") + b"\xffpart"
    try:
        for cut in range(0, len(data), 3):
            os.write(write_end, data[cut : cut + 3])
            stream.drain()
        assert stream.block(0) == "abc"
        assert stream.block(1) == ""
        assert stream.block(2) == "0123\n... [2 bytes not shown] ...\n6789"
        assert stream.pending() == "\ufffdpart"
    finally:
        os.close(read_end)
        os.close(write_end)
