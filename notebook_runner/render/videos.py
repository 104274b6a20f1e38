"""Players and time links for a note's videos (the Timestamp Notes blocks).

Every "▶ 12:34" is a real link to that moment, so it works with JavaScript off; the
page script upgrades it to seek the note's player. URL knowledge (which site, which id,
how to link to a moment) belongs to `notebook_runner.video`; this module only decides
which player a page shows and where a vault file is copied.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from notebook_runner.video import link_at, recognise

PlayerKind = Literal["youtube", "vimeo", "file", "link"]

VIDEO_SUFFIXES = (".mp4", ".webm", ".ogv", ".ogg", ".mov", ".m4v", ".mkv")
FILES_PREFIX = "_files/"


@dataclass(frozen=True)
class Player:
    """One video on a page. `src` is what links and `<video>` point at: the URL itself,
    or for a vault file its site path (relative to the site root)."""

    element_id: str
    url: str
    kind: PlayerKind
    video_id: str | None
    src: str
    local: bool
    title: str | None = None
    """The title the note gives the video (`[title](url)`, `![title](url)`)."""


def make_player(
    element_id: str, url: str, attachments: Collection[str], title: str | None = None
) -> Player:
    """Classify a `timestamp-url` value; a vault file becomes a `<video>` of its copy."""
    local = _local_file(url, attachments)
    if local is not None:
        return Player(element_id, url, "file", None, FILES_PREFIX + local, True, title)
    kind, video_id = classify(url)
    return Player(element_id, url, kind, video_id, url, False, title)


def classify(url: str) -> tuple[PlayerKind, str | None]:
    """The player a URL needs; the video stage (yt-dlp's extractors) does the recognising."""
    source = recognise(url)
    if source.kind in ("youtube", "vimeo") and source.id:
        return source.kind, source.id
    if source.kind == "local" or (source.kind == "generic" and source.is_video):
        return "file", None
    return "link", None


def _local_file(url: str, attachments: Collection[str]) -> str | None:
    """A vault-relative file name or path (`lecture.mp4`, `media/lecture.mp4`)."""
    name = url.strip().removeprefix("./")
    if not name or urlsplit(name).scheme:
        return None
    if name in attachments:
        return name
    matches = sorted(path for path in attachments if path.rpartition("/")[2] == name)
    return min(matches, key=lambda path: path.count("/")) if matches else None


def time_link(player: Player, seconds: int, site_url: Callable[[str], str]) -> str:
    """The href of "▶ time": `site_url` turns a site path into a page-relative URL."""
    if player.local:
        return f"{site_url(player.src)}#t={seconds}"
    return link_at(player.url.strip(), seconds)
