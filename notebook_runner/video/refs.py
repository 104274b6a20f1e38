"""Which videos notes refer to, and which video each timestamp belongs to.

A note names its video in a `timestamp-url` block, in frontmatter, or in the links
of its timestamps; the same video is often written several ways (`watch?v=`,
`youtu.be/`), so everything here is keyed by `VideoSource.key`, not by URL text.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from notebook_runner.model import ExternalLink, Heading, Note, Timestamp
from notebook_runner.video.urls import VideoSource, recognise, timestamp_from_link


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


def with_link_timestamps(note: Note) -> Note:
    """The note with its time links (`[12:34](https://youtu.be/ID?t=754)`, as Media
    Extended users write them) added to its timestamps, in line order.

    A time link has no block of its own, so it covers only its own line and belongs to
    the nearest heading above it.
    """
    found = [
        _link_timestamp(link, seconds, note.headings)
        for link in note.external_links
        if (seconds := timestamp_from_link(link.url, link.text)) is not None
    ]
    if not found:
        return note
    merged = sorted((*note.timestamps, *found), key=lambda timestamp: timestamp.line)
    return dataclasses.replace(note, timestamps=tuple(merged))


def _link_timestamp(link: ExternalLink, seconds: int, headings: tuple[Heading, ...]) -> Timestamp:
    above = bisect.bisect_right([heading.line for heading in headings], link.line)
    section = headings[above - 1].text if above else None
    return Timestamp(
        text=link.text.strip(),
        seconds=seconds,
        line=link.line,
        video=link.url,
        section=section,
        label=section or link.text.strip(),
        end_line=link.line,
    )
