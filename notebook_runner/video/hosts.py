"""The common YouTube and Vimeo URL shapes, recognised without importing yt-dlp.

Why this exists: yt-dlp decides what a URL is (see `urls.py`), but importing it and its
lazy extractor table costs ~0.2 s of CPU in every process that meets a single URL: the
build, `serve`, `parse` and every site worker. Study vaults name almost nothing but
YouTube and Vimeo videos, in a handful of shapes (`watch?v=`, `youtu.be/`, `shorts/`,
`embed/`, `live/`, playlists, `vimeo.com/ID`, `player.vimeo.com/video/ID`), so those
are matched here with small regexes, giving exactly the (extractor key, id) pair that
yt-dlp's own matching gives for them.

yt-dlp still decides everything else. Each shape below is deliberately narrow: plain
ASCII, lower-case scheme and host, an id of exactly the expected form followed by a
clean delimiter, no `;`, no percent-encoded parameter names, nothing that could make
another extractor claim the URL first. Anything outside them returns None and goes to
yt-dlp, because a wrong answer here is worse than a slow one. The agreement with
yt-dlp is asserted by the tests over corpus URLs, tricky cases and generated URLs;
when a yt-dlp upgrade changes its answer for one of these shapes, those tests fail.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[a-z0-9.-]+)(?P<path>/[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?"
)
_PRINTABLE_ASCII = re.compile(r"[!-~]+")
# yt-dlp's YouTube pattern reads `#/...` as a redirect to another page, so a fragment
# may hold a time (`t=1m30s`) and the like, never a path.
_FRAGMENT = re.compile(r"[A-Za-z0-9_.,:=&%+-]*")
_PARAM_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
# `embed/videoseries` and `live/live_stream` look like ids but name other pages.
_NOT_YOUTUBE_IDS = ("videoseries", "live_stream")

_YOUTUBE_HOSTS = frozenset(("youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"))
_NOCOOKIE_HOSTS = frozenset(("youtube-nocookie.com", "www.youtube-nocookie.com"))
_YOUTUBE_ID_PATH = re.compile(r"/(?:shorts|embed|live|v|e)/(?P<id>[A-Za-z0-9_-]{11})")
_YOUTU_BE_PATH = re.compile(r"/(?P<id>[A-Za-z0-9_-]{11})(?:&[^/]*)?")
_PLAYLIST_ID = re.compile(r"[A-Za-z0-9_-]+")
_PLAYLIST_EXTRAS = frozenset(("si", "index", "feature", "pp"))
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.%-]*")

_VIMEO_HOSTS = frozenset(("vimeo.com", "www.vimeo.com"))
_VIMEO_PATH = re.compile(
    r"/(?:channels/(?P<channel>[A-Za-z0-9_-]+)/|groups/(?P<group>[A-Za-z0-9_-]+)/videos/)?"
    r"(?P<id>[0-9]+)(?:/[0-9a-f]{10})?"
)
_VIMEO_PLAYER_PATH = re.compile(r"/video/(?P<id>[0-9]+)")


def known_video(url: str) -> tuple[str, str] | None:
    """(yt-dlp extractor key, id) for a common YouTube or Vimeo URL, None when unsure."""
    if not _PRINTABLE_ASCII.fullmatch(url) or ";" in url:
        return None
    parts = _URL.fullmatch(url)
    if parts is None or not _FRAGMENT.fullmatch(parts["fragment"] or ""):
        return None
    host, path, query = parts["host"], parts["path"], parts["query"] or ""
    if not _clean_names(query):
        return None
    if host in _YOUTUBE_HOSTS or host in _NOCOOKIE_HOSTS:
        return _youtube(url, host, path, query)
    if host == "youtu.be":
        return _youtu_be(url, path)
    if host in _VIMEO_HOSTS:
        return _vimeo(_VIMEO_PATH, path)
    if host == "player.vimeo.com":
        return _vimeo(_VIMEO_PLAYER_PATH, path)
    return None


def _youtube(url: str, host: str, path: str, query: str) -> tuple[str, str] | None:
    """A video page, or a playlist page (which yt-dlp's YoutubeTab claims).

    With a `list=` in the query yt-dlp's video extractor steps aside; on a watch page
    the playlist extractor claims the URL and the video is preferred again (as in
    `urls._match_extractor`), but embeds and shorts with a list go elsewhere.
    """
    has_list = _has_list(url)
    if path == "/watch":
        video_id = _first_v(query)
        if video_id is None or (has_list and host in _NOCOOKIE_HOSTS):
            return None
        return "Youtube", video_id
    if path == "/playlist" and host in _YOUTUBE_HOSTS:
        return _playlist(query)
    shaped = _YOUTUBE_ID_PATH.fullmatch(path)
    if shaped is None or has_list or shaped["id"] in _NOT_YOUTUBE_IDS:
        return None
    return "Youtube", shaped["id"]


def _youtu_be(url: str, path: str) -> tuple[str, str] | None:
    """`youtu.be/ID`, also with the query glued on by `&` as real vaults write it."""
    shaped = _YOUTU_BE_PATH.fullmatch(path)
    if shaped is None or _has_list(url):
        return None
    return "Youtube", shaped["id"]


def _first_v(query: str) -> str | None:
    """The id yt-dlp reads from a watch page: the first `v=` parameter's value."""
    for param in query.split("&"):
        if param.startswith("v="):
            value = param[2:]
            return value if _YOUTUBE_ID.fullmatch(value) else None
    return None


def _playlist(query: str) -> tuple[str, str] | None:
    """`playlist?list=ID`, with only the few harmless parameters that sharing adds."""
    first, *rest = query.split("&")
    name, _, list_id = first.partition("=")
    if name != "list" or not _PLAYLIST_ID.fullmatch(list_id):
        return None
    for param in rest:
        extra, _, value = param.partition("=")
        if extra not in _PLAYLIST_EXTRAS or not _PLAIN_VALUE.fullmatch(value):
            return None
    return "YoutubeTab", list_id


def _vimeo(shape: re.Pattern[str], path: str) -> tuple[str, str] | None:
    """A Vimeo video page: by id, with an unlisted hash, or inside a channel or group.

    A channel or group named by digits alone would let yt-dlp read its name as the
    video id, so those are left to it.
    """
    shaped = shape.fullmatch(path)
    if shaped is None:
        return None
    folder = shaped.groupdict().get("channel") or shaped.groupdict().get("group")
    if folder is not None and folder.isdigit():
        return None
    return "Vimeo", shaped["id"]


def _has_list(url: str) -> bool:
    """yt-dlp's own test: its YouTube video extractor refuses URLs with a `list`."""
    return bool(parse_qs(urlparse(url).query).get("list", [None])[0])


def _clean_names(query: str) -> bool:
    """Parameter names as written, so that decoding (`%6Cist`) cannot change them."""
    return all(
        _PARAM_NAME.fullmatch(param.partition("=")[0]) for param in query.split("&") if param
    )
