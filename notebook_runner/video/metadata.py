"""Video metadata as the site and the checks need it, and its store in the vault.

yt-dlp's info dicts are large and vary by site; only a few fields matter here, and
they are normalised once (chapters sorted, ends filled, nonsense dropped) so that
nothing downstream has to distrust them. The store is one small JSON file per video
under `.notebook-runner/videos/`, meant to be committed: `build` and `check` then
work offline, and a diff shows what changed when metadata is re-fetched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from notebook_runner.atomic import write_atomic
from notebook_runner.safe_urls import is_web_address
from notebook_runner.video.urls import VideoSource

STORE_FOLDER = Path(".notebook-runner") / "videos"


@dataclass(frozen=True)
class Chapter:
    """A chapter of the video itself (as the uploader marked it), in seconds."""

    start: float
    end: float | None
    title: str


@dataclass(frozen=True)
class VideoInfo:
    site: str
    id: str | None
    url: str
    title: str | None
    uploader: str | None
    duration: float | None
    chapters: tuple[Chapter, ...]
    thumbnail: str | None
    fetched_at: str


class StoreError(Exception):
    """A stored metadata file that cannot be read back (hand-edited, truncated)."""


def info_from_ytdlp(source: VideoSource, info: Mapping[str, Any], fetched_at: str) -> VideoInfo:
    """Keep what the site and the checks use; every field may be missing or wrong."""
    duration = _number(info.get("duration"))
    return VideoInfo(
        site=source.site,
        id=source.id or _text(info.get("id")),
        url=source.url,
        title=_text(info.get("title")),
        uploader=_text(info.get("uploader") or info.get("channel") or info.get("creator")),
        duration=duration,
        chapters=_chapters(info.get("chapters"), duration),
        thumbnail=_thumbnail(info),
        fetched_at=fetched_at,
    )


def _chapters(raw: Any, duration: float | None) -> tuple[Chapter, ...]:
    """Sorted chapters inside the video, each ending where the next starts when the
    site left the end out (the last one at the end of the video)."""
    if not isinstance(raw, list):
        return ()
    found = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            continue
        start = _number(item.get("start_time"))
        if start is None or (duration is not None and start >= duration):
            continue
        title = _text(item.get("title")) or f"Chapter {number}"
        found.append((start, _number(item.get("end_time")), title))
    found.sort(key=lambda chapter: chapter[0])
    chapters = []
    for index, (start, end, title) in enumerate(found):
        following = found[index + 1][0] if index + 1 < len(found) else duration
        if end is None or end <= start:
            end = following
        chapters.append(Chapter(start, end, title))
    return tuple(chapters)


def _thumbnail(info: Mapping[str, Any]) -> str | None:
    """The site's chosen thumbnail, else the last (yt-dlp sorts them best last); only
    http(s) images, whatever a site's page claims."""
    candidates = [info.get("thumbnail")]
    thumbnails = info.get("thumbnails")
    if isinstance(thumbnails, list):
        listed = (item.get("url") for item in reversed(thumbnails) if isinstance(item, Mapping))
        candidates.extend(listed)
    return next((url for url in map(_text, candidates) if url and is_web_address(url)), None)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return float(value)


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def info_to_json(info: VideoInfo) -> dict[str, Any]:
    data = asdict(info)
    data["chapters"] = [asdict(chapter) for chapter in info.chapters]
    return data


def info_from_json(data: Any) -> VideoInfo:
    """Read a stored entry back; raises StoreError naming the first bad field."""
    if not isinstance(data, dict):
        raise StoreError("not a JSON object")
    for name in ("site", "url", "fetched_at"):
        if not isinstance(data.get(name), str):
            raise StoreError(f'"{name}" must be a string')
    for name in ("id", "title", "uploader", "thumbnail"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise StoreError(f'"{name}" must be a string or null')
    if data.get("thumbnail") is not None and not is_web_address(data["thumbnail"]):
        raise StoreError('"thumbnail" must be an http(s) URL or null')
    duration = data.get("duration")
    if duration is not None and _number(duration) is None:
        raise StoreError('"duration" must be a number of seconds or null')
    return VideoInfo(
        site=data["site"],
        id=data.get("id"),
        url=data["url"],
        title=data.get("title"),
        uploader=data.get("uploader"),
        duration=_number(duration),
        chapters=_stored_chapters(data.get("chapters", [])),
        thumbnail=data.get("thumbnail"),
        fetched_at=data["fetched_at"],
    )


def _stored_chapters(raw: Any) -> tuple[Chapter, ...]:
    if not isinstance(raw, list):
        raise StoreError('"chapters" must be a list')
    chapters = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            raise StoreError('each chapter needs "start", "end" and "title"')
        start, end = _number(item.get("start")), _number(item.get("end"))
        if start is None or (item.get("end") is not None and end is None):
            raise StoreError('each chapter needs "start", "end" and "title"')
        chapters.append(Chapter(start, end, item["title"]))
    return tuple(chapters)


class VideoStore:
    """The committed metadata of one vault: `<root>/.notebook-runner/videos/<key>.json`."""

    def __init__(self, vault_root: Path) -> None:
        self.root = vault_root
        self.folder = vault_root / STORE_FOLDER
        self._loaded: dict[str, VideoInfo | None] = {}

    def path_for(self, source: VideoSource) -> Path:
        return self.path_for_key(source.key)

    def path_for_key(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, source: VideoSource) -> VideoInfo | None:
        return self.load_key(source.key)

    def load_key(self, key: str) -> VideoInfo | None:
        """The stored entry, None when there is none; raises StoreError when unreadable."""
        if key not in self._loaded:
            self._loaded[key] = self._read(self.path_for_key(key))
        return self._loaded[key]

    def save(self, source: VideoSource, info: VideoInfo) -> Path:
        """Write atomically, so an interrupted fetch never leaves half a file to commit."""
        path = self.path_for(source)
        text = json.dumps(info_to_json(info), ensure_ascii=False, indent=1, sort_keys=True)
        write_atomic(path, (text + "\n").encode("utf-8"))
        self._loaded[source.key] = info
        return path

    @staticmethod
    def _read(path: Path) -> VideoInfo | None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise StoreError(f"cannot read it: {error}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise StoreError(f"invalid JSON: {error}") from error
        return info_from_json(data)
