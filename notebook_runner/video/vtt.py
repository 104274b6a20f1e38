"""A WebVTT chapters track built from a note's timestamps, for `<track kind="chapters">`.

Players need chapters that are sorted, do not overlap and lie inside the video, while
notes jump back and forth; so the track is the note's timestamps in time order, each
chapter running to the next one, repeats dropped, and (when the length is known)
nothing past the end. Each chapter is titled with the section heading the timestamp
introduces, which is what the note's reader sees beside it.
"""

from __future__ import annotations

import re

from notebook_runner.model import Note, Timestamp
from notebook_runner.timecode import format_timecode
from notebook_runner.video.metadata import VideoInfo
from notebook_runner.video.refs import note_videos, timestamp_video
from notebook_runner.video.urls import recognise

# Without stored metadata the video's length is unknown; the last chapter then gets
# this much, rather than a zero-length cue that players would skip.
LAST_CHAPTER_SECONDS = 600
_CUE_ID = re.compile(r"chapter-[0-9]+")


def write_vtt(note: Note, info: VideoInfo | None = None, video: str | None = None) -> str:
    """The chapters of `video` (default: the note's first video) as WebVTT text."""
    duration = info.duration if info is not None else None
    starts = _chapter_starts(note, _video_key(note, video), duration)
    cues = ["WEBVTT", ""]
    for number, (timestamp, start) in enumerate(starts, start=1):
        following = starts[number][1] if number < len(starts) else None
        end = following if following is not None else _last_end(start, duration)
        cues += [
            f"chapter-{number}",
            f"{_vtt_time(start)} --> {_vtt_time(end)}",
            _cue_text(_title(timestamp)),
            "",
        ]
    return "\n".join(cues)


def chapter_count(note: Note, info: VideoInfo | None = None, video: str | None = None) -> int:
    """How many chapters `write_vtt` writes: none means there is no track to write."""
    duration = info.duration if info is not None else None
    return len(_chapter_starts(note, _video_key(note, video), duration))


def is_chapters(data: bytes) -> bool:
    """Whether `data` is a track as `write_vtt` writes it (every cue named
    `chapter-N`), which `videos vtt -o` may replace: someone's own subtitles are not."""
    blocks = data.decode("utf-8", errors="replace").strip("\n").split("\n\n")
    if blocks[0] != "WEBVTT":
        return False
    return all(_CUE_ID.fullmatch(block.split("\n")[0]) for block in blocks[1:] if block)


def _video_key(note: Note, video: str | None) -> str | None:
    if video is not None:
        return recognise(video).key
    videos = note_videos(note)
    return videos[0][0].key if videos else None


def _chapter_starts(
    note: Note, key: str | None, duration: float | None
) -> list[tuple[Timestamp, float]]:
    chosen: dict[int, Timestamp] = {}
    for timestamp in sorted(note.timestamps, key=lambda ts: ts.line):
        source = timestamp_video(note, timestamp)
        if (source.key if source is not None else None) != key:
            continue
        if duration is not None and timestamp.seconds >= duration:
            continue
        chosen.setdefault(timestamp.seconds, timestamp)
    return [(chosen[seconds], float(seconds)) for seconds in sorted(chosen)]


def _last_end(start: float, duration: float | None) -> float:
    return duration if duration is not None else start + LAST_CHAPTER_SECONDS


def _title(timestamp: Timestamp) -> str:
    for text in (timestamp.section, timestamp.label):
        if text and text.strip():
            return text
    return format_timecode(timestamp.seconds)


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _cue_text(title: str) -> str:
    """One line of cue text: markup characters escaped, so `-->` cannot end the cue."""
    line = " ".join(title.split())
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
