"""How a block's outcome is decided beyond pass and fail: a note that exits, skip reasons
(issue 14)."""

from __future__ import annotations

from pathlib import Path

from execute_support import make_note, run, run_one, statuses


def test_sys_exit_0_passes_its_block_and_skips_the_rest_of_the_note(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        "print('before')\n",
        "import sys\nif True:\n    sys.exit(0)\nprint('never')\n",
        "print('after')\n",
        ("python", "print('reset')\n", {"reset": "true"}),
    )
    assert statuses(result) == ["passed", "passed", "skipped", "skipped"]
    assert result.status == "passed"
    assert result.blocks[1].error is None and result.blocks[1].stdout == ""
    assert [block.reason for block in result.blocks[2:]] == ["the note exited at line 8"] * 2


def test_exit_without_a_status_is_status_0(tmp_path: Path) -> None:
    result = run_one(tmp_path, "raise SystemExit\n", "x = 1\n")
    assert statuses(result) == ["passed", "skipped"]
    assert result.blocks[1].reason == "the note exited at line 2"


def test_a_non_zero_exit_status_stays_a_failure(tmp_path: Path) -> None:
    for code, shown in (("1", "1"), ("'usage: prog'", "'usage: prog'"), ("True", "True")):
        result = run_one(tmp_path, f"import sys\nsys.exit({code})\n", "x = 1\n")
        assert statuses(result) == ["failed", "not-run"], code
        error = result.blocks[0].error
        assert error is not None
        assert (error.type, error.message, error.line) == (
            "SystemExit",
            f"sys.exit({shown}) was called",
            3,
        )


def test_raises_system_exit_lets_the_note_go_on(tmp_path: Path) -> None:
    result = run_one(
        tmp_path, ("python", "import sys\nsys.exit(0)\n", {"raises": "SystemExit"}), "x = 1\n"
    )
    assert statuses(result) == ["passed", "passed"]


def test_skipped_and_not_run_blocks_say_why(tmp_path: Path) -> None:
    marked = make_note("a.md", ("python", "x = 1\n", {"skip": "true"}), "1 / 0\n", "y = 2\n")
    off = make_note("b.md", "x = 1\n", frontmatter={"execute": False})
    report = run(tmp_path, marked, off)
    reasons = [(block.status, block.reason) for note in report.notes for block in note.blocks]
    assert reasons == [
        ("skipped", "the block is marked skip"),
        ("failed", ""),
        ("not-run", "an earlier block of the note failed"),
        ("skipped", "the note has execute: false"),
    ]
