"""Recognising video URLs offline, with yt-dlp's own extractors, and linking into them.

yt-dlp already knows the URL shapes of every video site it supports, and keeps them
up to date; copying its patterns here would rot. So a URL is matched against its
extractor classes, in yt-dlp's own order with the Generic extractor last, without any
network access. Only the lazy extractor classes are touched, so no extractor module
is imported and the regexes compile once per process; results are cached per URL
because a vault repeats the same few lecture URLs hundreds of times. yt-dlp itself is
imported on first use only, and the common YouTube and Vimeo shapes never need it
(`hosts.py` matches them exactly, and falls through to yt-dlp when unsure), so a
build whose vault names only those videos never pays its import time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from notebook_runner.safe_urls import VIDEO_SCHEMES, is_safe
from notebook_runner.timecode import parse_timecode
from notebook_runner.video.hosts import known_video

VideoKind = Literal["youtube", "vimeo", "site", "generic", "local", "unknown"]

_TIME_PARAMS = ("t", "start", "time_continue")
_SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")
_EMBED = re.compile(r"!?\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")
_WEB_SCHEMES = ("http", "https")
# The times written in real vaults (`762`, `953s`, `31m31s`), read without importing
# yt-dlp; its `parse_duration` reads these exactly so, and everything else goes to it.
_PLAIN_SECONDS = re.compile(r"[0-9]{1,9}")
_PLAIN_DURATION = re.compile(r"(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,9})s)?")
# Every extension yt-dlp knows is lower-case ASCII letters and digits (a test checks it),
# so a path ending otherwise needs no import to be told it is not a media file.
_EXTENSION_SHAPE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class VideoSource:
    """What a URL points at, as far as can be known offline.

    `site` is the yt-dlp extractor key ("Youtube", "Vimeo", "Generic", ...), "local"
    for files and "" when the text is not a video reference at all (kind "unknown").
    `url` is the URL as written (trimmed, unwrapped from `![[...]]`); `start` is the
    time already in it (`&t=1m30s`, `#t=90`), in whole seconds.
    """

    kind: VideoKind
    site: str
    id: str | None
    url: str
    start: int | None = None

    @property
    def key(self) -> str:
        """A file-name-safe identity: two URLs of the same video share it.

        Site ids that are not safe as file names, and URLs without an id (generic
        pages, local files), are replaced by a short hash so the key stays stable.
        """
        if self.id is not None and _SAFE_ID.fullmatch(self.id):
            return f"{self.site}-{self.id}"
        name = self.id if self.id is not None else _without_time(self.url)
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]
        return f"{self.site or 'unknown'}-{digest}"

    @property
    def is_video(self) -> bool:
        """True when the URL surely names a video, not just any web page."""
        if self.kind in ("youtube", "vimeo", "site", "local"):
            return True
        return self.kind == "generic" and _has_media_extension(_path_of(self.url))


@lru_cache(maxsize=8192)
def recognise(url: str) -> VideoSource:
    """Classify `url` without network access; never raises, whatever the text. An
    address no browser may be handed as a video (`javascript:`, `//host`, see
    `safe_urls`) is "unknown", so it never becomes a player or a time link."""
    text = _unwrap(url.strip())
    if not text or not is_safe(text, VIDEO_SCHEMES):
        return VideoSource("unknown", "", None, text)
    parts = _split(text) if "\n" not in text else None
    if parts is None:
        return VideoSource("unknown", "", None, text)
    scheme = parts.scheme.lower()
    start = url_start(text)
    if scheme == "file" or (_is_path(scheme) and _has_media_extension(parts.path)):
        return VideoSource("local", "local", None, text, start)
    if scheme in _WEB_SCHEMES and parts.netloc:
        site, video_id = _match_extractor(text)
        return VideoSource(_kind_of(site), site, video_id, text, start)
    if _is_path(scheme):
        site, video_id = _match_extractor(f"https://{text}")
        if site != "Generic":
            return VideoSource(_kind_of(site), site, video_id, text, start)
    return VideoSource("unknown", "", None, text, start)


def link_at(url: str, seconds: int) -> str:
    """The URL that opens the video at `seconds`, in the form each site understands."""
    before, after = _link_around_time(url)
    return f"{before}{max(0, int(seconds))}{after}"


_PROBE_SECONDS = 987654321


@lru_cache(maxsize=8192)
def _link_around_time(url: str) -> tuple[str, str]:
    """What comes before and after the seconds in every `link_at(url, ...)`: a page
    links each timestamp twice (outline and body), so a URL is taken apart once, not
    per link. The time is always the link's last parameter or its fragment, so the last
    occurrence of a probe time is where any time goes."""
    before, _, after = _link_at(url, _PROBE_SECONDS).rpartition(str(_PROBE_SECONDS))
    return before, after


def _link_at(url: str, seconds: int) -> str:
    source = recognise(url)
    if source.kind == "youtube":
        return _youtube_link(source, seconds)
    if source.kind == "vimeo":
        return _with_fragment(source.url, f"t={seconds}s")
    return _with_fragment(source.url, f"t={seconds}")


def timestamp_from_link(url: str, text: str) -> int | None:
    """Seconds for a markdown link that is really a timestamp (`[12:34](youtu.be/ID?t=754)`).

    The link text must itself be a time, as Media Extended writes it: a link titled
    "Lecture 5 - YouTube" that happens to carry `&t=571` is a bookmark, not a point
    in the note's outline. The time in the URL wins (it is where the click goes).
    """
    written = parse_timecode(text).seconds if text.strip() else None
    if written is None:
        return None  # most links: decided without the extractor scan
    source = recognise(url)
    if not source.is_video:
        return None
    return source.start if source.start is not None else written


def url_start(url: str) -> int | None:
    """The time already in a URL: `t=`, `start=` or `time_continue=` in the query,
    or a media fragment `#t=90` / `#t=1m30s` / `#t=npt:90,100`.

    A query glued to the path with `&` and no `?` (`youtu.be/ID&t=762`, common in
    real vaults, and which YouTube itself accepts) is read as the query too.
    """
    parts = _split(url)
    if parts is None:
        return None
    query = parts.query or parts.path.partition("&")[2]
    for name, value in parse_qsl(query):
        if name in _TIME_PARAMS:
            return _seconds(value)
    for name, value in parse_qsl(parts.fragment):
        if name == "t":
            return _seconds(value.removeprefix("npt:").partition(",")[0])
    return None


def _seconds(value: str) -> int | None:
    plain = _plain_seconds(value)
    return plain if plain is not None else _parsed_seconds(value)


def _plain_seconds(value: str) -> int | None:
    """The common written times, or None to let yt-dlp read the rest."""
    if _PLAIN_SECONDS.fullmatch(value):
        return int(value)
    units = _PLAIN_DURATION.fullmatch(value)
    if units is None or not value:
        return None
    hours, minutes, seconds = (int(part or 0) for part in units.groups())
    return hours * 3600 + minutes * 60 + seconds


def _parsed_seconds(value: str) -> int | None:
    from yt_dlp.utils import parse_duration  # type: ignore[import-untyped, unused-ignore]

    duration = parse_duration(value)
    if duration is None or duration < 0:
        return None
    return int(duration)


@cache
def _extractors() -> tuple[Any, ...]:
    from yt_dlp.extractor import gen_extractor_classes  # type: ignore[import-untyped, unused-ignore]

    return tuple(gen_extractor_classes())


def _match_extractor(url: str) -> tuple[str, str | None]:
    """The common shapes without yt-dlp, the rest by its extractors."""
    return known_video(url) or _claiming_extractor(url)


def _claiming_extractor(url: str) -> tuple[str, str | None]:
    """The first extractor that claims `url`, as yt-dlp itself would choose.

    A playlist page that also names a video (`watch?v=ID&list=PL...`) is claimed by
    a playlist extractor first; the note means the video, so a video extractor
    whose pattern matches is preferred then, as yt-dlp does with `--no-playlist`.
    """
    extractors = _extractors()
    claimed = next((each for each in extractors if _claims(each, url)), None)
    if claimed is None:
        return "Generic", None
    if getattr(claimed, "_RETURN_TYPE", None) != "video" and claimed.ie_key() != "Generic":
        claimed = next((each for each in extractors if _names_a_video(each, url)), claimed)
    return claimed.ie_key(), _extractor_id(claimed, url)


# yt-dlp's own URL code raises on some malformed text (`https://[`); user text must
# never crash recognition, so any failure of an extractor's check means "not mine".
def _claims(extractor: Any, url: str) -> bool:
    try:
        return bool(extractor.suitable(url))
    except Exception:
        return False


def _names_a_video(extractor: Any, url: str) -> bool:
    if getattr(extractor, "_RETURN_TYPE", None) != "video":
        return False
    try:
        return extractor._match_valid_url(url) is not None
    except Exception:
        return False


def _extractor_id(extractor: Any, url: str) -> str | None:
    try:
        video_id = extractor._match_id(url)
    except Exception:
        return None
    return str(video_id) if video_id else None


def _kind_of(site: str) -> VideoKind:
    if site.startswith("Youtube"):
        return "youtube"
    if site.startswith("Vimeo"):
        return "vimeo"
    if site == "Generic":
        return "generic"
    return "site"


def _unwrap(text: str) -> str:
    """`![[lecture.mp4]]` and `<https://...>` as written in notes, down to the target."""
    embed = _EMBED.fullmatch(text)
    if embed is not None:
        return embed.group(1).strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1].strip()
    return text


def _split(url: str) -> SplitResult | None:
    """urlsplit, or None for text it refuses (`[` reads as a broken IPv6 host)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _path_of(url: str) -> str:
    parts = _split(url)
    return parts.path if parts is not None else ""


def _is_path(scheme: str) -> bool:
    """No scheme: a path (a Windows drive `C:\\...` never gets here, see `recognise`)."""
    return not scheme


def _has_media_extension(path: str) -> bool:
    extension = path.rpartition(".")[2].lower()
    if "." not in path or not _EXTENSION_SHAPE.fullmatch(extension):
        return False
    from yt_dlp.utils import KNOWN_EXTENSIONS  # type: ignore[import-untyped, unused-ignore]

    return extension in KNOWN_EXTENSIONS


def _without_time(url: str) -> str:
    """The URL minus its start time, so `?t=1` and `?t=2` of one page share a key."""
    parts = _split(url)
    if parts is None:
        return url
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in _TIME_PARAMS])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _with_fragment(url: str, fragment: str) -> str:
    return f"{url.partition('#')[0]}#{fragment}"


def _youtube_link(source: VideoSource, seconds: int) -> str:
    """`watch?v=ID&t=754s` (keeping host and other params) or `youtu.be/ID?t=754`."""
    parts = urlsplit(source.url)
    host = (parts.hostname or "").lower()
    if host == "youtu.be" and source.id:
        params = _params_without_time(parts.query)
        return f"https://youtu.be/{source.id}?{urlencode([*params, ('t', str(seconds))])}"
    if parts.path == "/watch" or not (source.site == "Youtube" and source.id):
        params = [*_params_without_time(parts.query), ("t", f"{seconds}s")]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))
    return f"https://www.youtube.com/watch?v={source.id}&t={seconds}s"


def _params_without_time(query: str) -> list[tuple[str, str]]:
    return [(name, value) for name, value in parse_qsl(query) if name not in _TIME_PARAMS]
