"""WebVTT chapters from a note's timestamps, checked as text and by independent parsers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tool_support import require_executable

from notebook_runner.model import Note, SourceFile, Timestamp, VideoRef
from notebook_runner.parse import parse_note
from notebook_runner.video import VideoInfo, write_vtt
from notebook_runner.video.vtt import LAST_CHAPTER_SECONDS

FIXTURES = Path(__file__).parent / "fixtures" / "video"
URL = "https://youtu.be/hBBOjCiFcuo"
LESSON = VideoInfo("Youtube", "hBBOjCiFcuo", URL, "Lesson 3", None, 5110.0, (), None, "t")

LECTURE_VTT = """WEBVTT

chapter-1
00:02:00.000 --> 00:12:34.000
Going back to the start

chapter-2
00:12:34.000 --> 01:25:10.000
Pets &amp; &lt;models&gt;
"""


def lecture() -> Note:
    text = (FIXTURES / "lecture.md").read_text(encoding="utf-8")
    note, _ = parse_note(SourceFile("lecture.md", text))
    return note


def test_chapters_are_sorted_deduplicated_and_end_with_the_video() -> None:
    assert write_vtt(lecture(), LESSON) == LECTURE_VTT


def test_without_a_known_length_the_last_chapter_gets_a_fixed_span() -> None:
    hours, minutes = divmod((5400 + LAST_CHAPTER_SECONDS) // 60, 60)
    last_timing = write_vtt(lecture()).splitlines()[-2]
    assert last_timing == f"01:30:00.000 --> {hours:02d}:{minutes:02d}:00.000"


def test_only_the_chosen_videos_timestamps_become_chapters() -> None:
    other = "https://vimeo.com/76979871"
    note = Note(
        "two.md",
        "two",
        {},
        (),
        videos=(VideoRef(URL, 1), VideoRef(other, 9)),
        timestamps=(
            Timestamp("0:10", 10, 3, URL, "First video", "First video", 5),
            Timestamp("0:20", 20, 11, other, None, "  ", 12),
        ),
    )
    assert "First video" in write_vtt(note)
    assert "First video" not in write_vtt(note, video=other)
    assert write_vtt(note, video=other).splitlines()[4] == "0:20"


def test_a_note_without_timestamps_gives_an_empty_track() -> None:
    assert write_vtt(Note("empty.md", "empty", {}, ())) == "WEBVTT\n"


def test_webvtt_py_reads_the_chapters() -> None:
    import webvtt

    captions = webvtt.from_string(LECTURE_VTT, strict=True)
    assert [(c.identifier, c.start, c.end, c.raw_text) for c in captions.captions] == [
        ("chapter-1", "00:02:00.000", "00:12:34.000", "Going back to the start"),
        ("chapter-2", "00:12:34.000", "01:25:10.000", "Pets &amp; &lt;models&gt;"),
    ]


def test_ffmpeg_reads_the_chapters(tmp_path: Path) -> None:
    require_executable("ffmpeg", "ffmpeg")
    track = tmp_path / "chapters.vtt"
    track.write_text(write_vtt(lecture(), LESSON), encoding="utf-8")
    converted = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(track), "-f", "srt", "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert converted.stdout.split("\n\n")[:2] == [
        "1\n00:02:00,000 --> 00:12:34,000\nGoing back to the start",
        "2\n00:12:34,000 --> 01:25:10,000\nPets & <models>",
    ]
