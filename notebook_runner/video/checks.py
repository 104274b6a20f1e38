"""Checks of a note's timestamps against its videos, from the stored metadata only.

Checks never touch the network: they read what `videos fetch` stored, and say
nothing about a video whose metadata is not there. Repeated and backwards
timestamps are only warnings by default (people do jump back to re-watch a part),
and each can be set to another severity or switched off.

They fire only where the author would agree, judged on real vaults:
- A time going back into the video's first minute starts a new pass through it (a
  transcript pasted under the notes, restarting at 0:00): not out of order, and the
  new pass may repeat the times of the first.
- The same time right after itself is a section boundary (a part ends where the next
  begins) or transcript lines within one second: not a repeat. A time repeated further
  on in the same pass, after other times, is.
- Markdown time links (`[12:42](https://youtu.be/ID&t=762)`: a transcript pasted
  between the notes, a summary's links) and `timestamp` blocks are two sequences, each
  judged on its own: a transcript chunk from 12:42 under the block at 12:47 is neither
  out of order nor a repeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notebook_runner.model import Diagnostic, Note, Severity, Timestamp
from notebook_runner.timecode import format_timecode
from notebook_runner.video.metadata import StoreError, VideoInfo, VideoStore
from notebook_runner.video.refs import timestamp_video
from notebook_runner.video.urls import recognise

RESTART_WITHIN = 60
"""Seconds: a time going back this close to the video's start begins a new pass."""

UNREADABLE_METADATA = "bad-video-metadata"
"""The code of a stored metadata file that cannot be read: reported once per file."""


@dataclass(frozen=True)
class VideoChecks:
    """Severity of the judgement calls; None switches a check off."""

    duplicates: Severity | None = "warning"
    order: Severity | None = "warning"


def video_diagnostics(
    notes: Iterable[Note], store: VideoStore, checks: VideoChecks | None = None
) -> list[Diagnostic]:
    checks = checks or VideoChecks()
    found: list[Diagnostic] = []
    infos = _InfoCache(store)
    for note in notes:
        found += _unrecognised(note)
        links = {(link.line, link.url) for link in note.external_links}
        for timestamps in _by_video(note).values():
            video_key = timestamps[0][1]
            info = infos.get(video_key) if video_key else None
            blocks = [ts for ts, _ in timestamps if (ts.line, ts.video) not in links]
            linked = [ts for ts, _ in timestamps if (ts.line, ts.video) in links]
            for sequence in (blocks, linked):
                found += _sequence_problems(note.path, sequence, checks)
            if info is not None:
                found += _past_the_end(note.path, [ts for ts, _ in timestamps], info)
    return found + infos.problems


def _unrecognised(note: Note) -> list[Diagnostic]:
    return [
        Diagnostic(
            path=note.path,
            line=ref.line,
            severity="warning",
            code="unrecognised-video-url",
            message=f"'{ref.url}' is not a video URL or file that yt-dlp recognises",
            hint="write the full URL, starting with https://",
        )
        for ref in note.videos
        if recognise(ref.url).kind == "unknown"
    ]


def _by_video(note: Note) -> dict[str | None, list[tuple[Timestamp, str | None]]]:
    """Timestamps grouped by the key of their video, in note order."""
    groups: dict[str | None, list[tuple[Timestamp, str | None]]] = {}
    for timestamp in sorted(note.timestamps, key=lambda ts: ts.line):
        source = timestamp_video(note, timestamp)
        key = source.key if source is not None and source.kind != "unknown" else None
        groups.setdefault(key, []).append((timestamp, key))
    return groups


def _sequence_problems(
    path: str, timestamps: list[Timestamp], checks: VideoChecks
) -> list[Diagnostic]:
    """Repeated and backward times, only where the author would agree (see the module
    docstring): a pass through the video restarts when a time goes back into its first
    `RESTART_WITHIN` seconds, and each pass is judged on its own."""
    found = []
    first_at: dict[int, Timestamp] = {}
    previous: Timestamp | None = None
    for timestamp in timestamps:
        backwards = previous is not None and timestamp.seconds < previous.seconds
        if backwards and timestamp.seconds <= RESTART_WITHIN:
            first_at, backwards = {}, False
        earlier = first_at.setdefault(timestamp.seconds, timestamp)
        repeated = previous is not None and previous.seconds == timestamp.seconds
        if earlier is not timestamp and checks.duplicates and not repeated:
            found.append(_duplicate(path, timestamp, earlier, checks.duplicates))
        elif backwards and previous is not None and checks.order:
            found.append(_backwards(path, timestamp, previous, checks.order))
        previous = timestamp
    return found


def _duplicate(
    path: str, timestamp: Timestamp, earlier: Timestamp, severity: Severity
) -> Diagnostic:
    clock = format_timecode(timestamp.seconds)
    message = f"timestamp {clock} repeats the one on line {earlier.line}"
    return Diagnostic(path, timestamp.line, severity, "duplicate-timestamp", message)


def _backwards(
    path: str, timestamp: Timestamp, previous: Timestamp, severity: Severity
) -> Diagnostic:
    message = (
        f"timestamp {format_timecode(timestamp.seconds)} comes before the previous one"
        f" ({format_timecode(previous.seconds)}, line {previous.line})"
    )
    return Diagnostic(path, timestamp.line, severity, "timestamp-out-of-order", message)


def _past_the_end(path: str, timestamps: list[Timestamp], info: VideoInfo) -> list[Diagnostic]:
    if info.duration is None:
        return []
    name = f'"{info.title}"' if info.title else info.url
    length = format_timecode(int(info.duration))
    return [
        Diagnostic(
            path,
            timestamp.line,
            "error",
            "timestamp-after-end",
            f"timestamp {format_timecode(timestamp.seconds)} is after the end of {name} ({length})",
        )
        for timestamp in timestamps
        if timestamp.seconds > info.duration
    ]


class _InfoCache:
    """Each stored entry read once per run; unreadable entries reported once."""

    def __init__(self, store: VideoStore) -> None:
        self.store = store
        self.problems: list[Diagnostic] = []
        self._infos: dict[str, VideoInfo | None] = {}

    def get(self, key: str) -> VideoInfo | None:
        if key not in self._infos:
            self._infos[key] = self._load(key)
        return self._infos[key]

    def _load(self, key: str) -> VideoInfo | None:
        try:
            return self.store.load_key(key)
        except StoreError as error:
            path = self.store.path_for_key(key).relative_to(self.store.root)
            self.problems.append(
                Diagnostic(
                    path.as_posix(),
                    1,
                    "warning",
                    UNREADABLE_METADATA,
                    f"stored video metadata is unreadable ({error}); it is ignored",
                    hint="run `notebook-runner videos fetch --refresh` to replace it",
                )
            )
            return None
