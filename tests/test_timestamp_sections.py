"""Where a timestamp belongs when the note gives it little to go by."""

from __future__ import annotations

from notebook_runner.model import SourceFile, Timestamp
from notebook_runner.parse import parse_note


def test_a_first_block_timestamp_in_a_note_ending_with_a_heading_has_no_section() -> None:
    """Nothing before the timestamp: "no block" (-1) was read as the note's last token,
    and a note ending with a heading crashed parsing with KeyError."""
    text = "```timestamp\n1:00\n```\nIntro words.\n\n## End\n"
    note, problems = parse_note(SourceFile("first.md", text))
    assert note.timestamps == (Timestamp("1:00", 60, 2, None, None, "Intro words.", 5),)
    assert [problem.code for problem in problems] == ["timestamp-no-video"]


def test_the_range_ends_at_the_next_heading_of_the_section_level_or_higher() -> None:
    text = (
        "# Top\n\n## Part\n\n```timestamp\n1:00\n```\n\ntext\n\n### Deeper\n\ntext\n\n"
        "## Next part\n\n# Other top\n"
    )
    note, _ = parse_note(SourceFile("range.md", text))
    assert [(stamp.section, stamp.end_line) for stamp in note.timestamps] == [("Part", 14)]
