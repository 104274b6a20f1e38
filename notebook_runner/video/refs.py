"""Which videos notes refer to, and which video each timestamp belongs to.

A note names its video in a `timestamp-url` block, in frontmatter, or in the links
of its timestamps; the same video is often written several ways (`watch?v=`,
`youtu.be/`), so everything here is keyed by `VideoSource.key`, not by URL text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notebook_runner.model import Note, Timestamp
from notebook_runner.video.urls import VideoSource, recognise


@dataclass(frozen=True)
class VideoUse:
    """A video and the first place in the vault that refers to it (for diagnostics)."""

    source: VideoSource
    path: str
    line: int


def timestamp_video(note: Note, timestamp: Timestamp) -> VideoSource | None:
    """The timestamp's own video, else the note's only video; None when ambiguous."""
    if timestamp.video:
        return recognise(timestamp.video)
    candidates = {
        source.key: source
        for source in (recognise(ref.url) for ref in note.videos)
        if source.kind != "unknown"
    }
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    return None


def note_videos(note: Note) -> list[tuple[VideoSource, int]]:
    """Every recognised video of the note with the line that names it, in note order."""
    named = [(recognise(ref.url), ref.line) for ref in note.videos]
    named += [(recognise(ts.video), ts.line) for ts in note.timestamps if ts.video]
    return sorted(
        ((source, line) for source, line in named if source.kind != "unknown"),
        key=lambda item: item[1],
    )


def vault_videos(notes: Iterable[Note]) -> dict[str, VideoUse]:
    """Each distinct video of the vault, with its first reference (notes in given order)."""
    uses: dict[str, VideoUse] = {}
    for note in notes:
        for source, line in note_videos(note):
            uses.setdefault(source.key, VideoUse(source, note.path, line))
    return uses
