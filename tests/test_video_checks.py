"""Timestamps checked against the stored video metadata, and unrecognised video URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_runner.model import Diagnostic, ExternalLink, Note, Timestamp, VideoRef
from notebook_runner.video import VideoChecks, VideoInfo, VideoStore, video_diagnostics
from notebook_runner.video.urls import recognise

WATCH = "https://www.youtube.com/watch?v=hBBOjCiFcuo"
SHORT = "https://youtu.be/hBBOjCiFcuo"
OTHER = "https://vimeo.com/76979871"


def stamp(seconds: int, line: int, video: str | None = WATCH) -> Timestamp:
    return Timestamp(f"{seconds}s", seconds, line, video, None, "label", line + 3)


def note(*timestamps: Timestamp, videos: tuple[VideoRef, ...] = (VideoRef(WATCH, 2),)) -> Note:
    return Note("Lesson 3.md", "Lesson 3", {}, (), videos=videos, timestamps=timestamps)


def stored(root: Path, url: str = WATCH, duration: float | None = 5110.4) -> VideoStore:
    store = VideoStore(root)
    source = recognise(url)
    title = "Lesson 3"
    store.save(source, VideoInfo("Youtube", source.id, url, title, None, duration, (), None, "t"))
    return VideoStore(root)


def test_a_timestamp_past_the_end_of_the_video_is_an_error(tmp_path: Path) -> None:
    notes = [note(stamp(754, 5), stamp(3723, 9), stamp(5110, 14), stamp(5111, 20))]
    assert video_diagnostics(notes, stored(tmp_path)) == [
        Diagnostic(
            "Lesson 3.md",
            20,
            "error",
            "timestamp-after-end",
            'timestamp 1:25:11 is after the end of "Lesson 3" (1:25:10)',
        )
    ]


def test_the_end_is_found_whatever_url_form_the_timestamp_uses(tmp_path: Path) -> None:
    notes = [note(stamp(6000, 5, video=SHORT), videos=(VideoRef(SHORT, 2),))]
    assert [problem.line for problem in video_diagnostics(notes, stored(tmp_path))] == [5]


def test_a_timestamp_without_its_own_url_belongs_to_the_notes_only_video(tmp_path: Path) -> None:
    notes = [note(stamp(6000, 5, video=None))]
    assert [problem.code for problem in video_diagnostics(notes, stored(tmp_path))] == [
        "timestamp-after-end"
    ]


def test_without_stored_metadata_the_length_is_not_checked(tmp_path: Path) -> None:
    assert video_diagnostics([note(stamp(999_999, 5))], VideoStore(tmp_path)) == []
    assert video_diagnostics([note(stamp(999_999, 5))], stored(tmp_path, duration=None)) == []


def test_repeated_and_backward_timestamps_are_warnings(tmp_path: Path) -> None:
    notes = [note(stamp(754, 5), stamp(1240, 9), stamp(600, 14), stamp(754, 20))]
    assert video_diagnostics(notes, VideoStore(tmp_path)) == [
        Diagnostic(
            "Lesson 3.md",
            14,
            "warning",
            "timestamp-out-of-order",
            "timestamp 10:00 comes before the previous one (20:40, line 9)",
        ),
        Diagnostic(
            "Lesson 3.md",
            20,
            "warning",
            "duplicate-timestamp",
            "timestamp 12:34 repeats the one on line 5",
        ),
    ]


def labelled(seconds: int, line: int, label: str) -> Timestamp:
    return Timestamp(f"{seconds}s", seconds, line, WATCH, None, label, line)


def test_a_transcript_restarting_at_zero_is_a_new_pass(tmp_path: Path) -> None:
    """Notes with their own timestamps, then the video's transcript pasted below them
    from 0:00: neither the restart nor the times the transcript shares are problems."""
    summary = [labelled(0, 5, "Intro"), labelled(95, 9, "Setup"), labelled(610, 14, "Proof")]
    transcript = [labelled(0, 30, "hello"), labelled(95, 31, "so"), labelled(700, 32, "ok")]
    assert video_diagnostics([note(*summary, *transcript)], VideoStore(tmp_path)) == []


def test_a_time_right_after_itself_with_another_label_is_no_repeat(tmp_path: Path) -> None:
    """A section boundary (one part ends at 5:00, the next starts there) and transcript
    lines within one second; the time again after others is a repeat."""
    stamps = [
        labelled(300, 5, "Part one ends"),
        labelled(300, 9, "Part two"),
        labelled(301, 12, "and then"),
        labelled(301, 13, "we see"),
        labelled(400, 20, "Part three"),
        labelled(400, 24, "Part three"),
        labelled(301, 30, "and then"),
    ]
    problems = video_diagnostics([note(*stamps)], VideoStore(tmp_path))
    assert [(p.line, p.code, p.message) for p in problems] == [
        (30, "duplicate-timestamp", "timestamp 5:01 repeats the one on line 12")
    ]


def test_each_pass_is_judged_on_its_own(tmp_path: Path) -> None:
    stamps = [
        labelled(120, 5, "a"),
        labelled(600, 9, "b"),
        labelled(30, 12, "transcript"),  # back into the first minute: a new pass
        labelled(600, 14, "c"),
        labelled(120, 18, "d"),  # backwards within the second pass
        labelled(600, 22, "e"),  # repeats line 14, in the same pass
    ]
    problems = video_diagnostics([note(*stamps)], VideoStore(tmp_path))
    assert [(p.line, p.code, p.message) for p in problems] == [
        (
            18,
            "timestamp-out-of-order",
            "timestamp 2:00 comes before the previous one (10:00, line 14)",
        ),
        (22, "duplicate-timestamp", "timestamp 10:00 repeats the one on line 14"),
    ]


def test_order_is_judged_per_video(tmp_path: Path) -> None:
    notes = [
        note(
            stamp(754, 5),
            stamp(30, 9, video=OTHER),
            stamp(800, 14),
            videos=(VideoRef(WATCH, 2), VideoRef(OTHER, 7)),
        )
    ]
    assert video_diagnostics(notes, VideoStore(tmp_path)) == []


@pytest.mark.parametrize(
    ("checks", "codes"),
    [
        (VideoChecks(duplicates=None, order=None), []),
        (VideoChecks(order=None), [("warning", "duplicate-timestamp")]),
        (
            VideoChecks(duplicates="error", order="info"),
            [("info", "timestamp-out-of-order"), ("error", "duplicate-timestamp")],
        ),
    ],
)
def test_the_judgement_calls_can_be_switched_off_or_reweighted(
    tmp_path: Path, checks: VideoChecks, codes: list[tuple[str, str]]
) -> None:
    notes = [note(stamp(754, 5), stamp(600, 9), stamp(754, 12))]
    problems = video_diagnostics(notes, VideoStore(tmp_path), checks)
    assert [(problem.severity, problem.code) for problem in problems] == codes


def test_a_timestamp_url_yt_dlp_cannot_recognise_is_reported(tmp_path: Path) -> None:
    notes = [note(videos=(VideoRef("see the recording", 3), VideoRef(WATCH, 8)))]
    assert video_diagnostics(notes, VideoStore(tmp_path)) == [
        Diagnostic(
            "Lesson 3.md",
            3,
            "warning",
            "unrecognised-video-url",
            "'see the recording' is not a video URL or file that yt-dlp recognises",
            "write the full URL, starting with https://",
        )
    ]


def test_an_unreadable_store_entry_is_reported_once_and_ignored(tmp_path: Path) -> None:
    store = VideoStore(tmp_path)
    path = store.path_for(recognise(WATCH))
    path.parent.mkdir(parents=True)
    path.write_text("[]", encoding="utf-8")
    notes = [note(stamp(999_999, 5)), note(stamp(999_999, 7))]
    assert video_diagnostics(notes, store) == [
        Diagnostic(
            ".notebook-runner/videos/Youtube-hBBOjCiFcuo.json",
            1,
            "warning",
            "bad-video-metadata",
            "stored video metadata is unreadable (not a JSON object); it is ignored",
            "run `notebook-runner videos fetch --refresh` to replace it",
        )
    ]


def test_a_transcript_between_the_notes_is_judged_apart_from_them(tmp_path: Path) -> None:
    """A block at 12:47, then the transcript chunk pasted under it from 12:42 as
    Markdown time links: two sequences, each in order."""
    links = [(103, 762), (104, 767), (105, 772), (106, 762)]
    urls = {line: f"https://youtu.be/hBBOjCiFcuo&t={t}" for line, t in links}
    stamps = [stamp(767, 96, video=SHORT), *(stamp(t, line, video=urls[line]) for line, t in links)]
    transcript = tuple(ExternalLink(urls[line], "t", line) for line, _ in links)
    lecture = Note(
        "Talk.md",
        "Talk",
        {},
        (),
        external_links=transcript,
        videos=(VideoRef(SHORT, 2),),
        timestamps=tuple(stamps),
    )
    problems = video_diagnostics([lecture], VideoStore(tmp_path))
    assert [(p.line, p.code) for p in problems] == [
        (106, "duplicate-timestamp")  # within the transcript: 12:42 again, after 12:52
    ]
