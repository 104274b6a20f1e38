"""Asking yt-dlp for video metadata (never the video), failing fast when offline.

A blocked or absent network must cost seconds, not minutes: one short socket
timeout, no retries, and once a site has not answered, the other videos of that
site are not tried (each still gets its own diagnostic). So the first video of each
site is fetched as a probe, all sites in parallel, and only then the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from yt_dlp import YoutubeDL  # type: ignore[import-untyped, unused-ignore]
from yt_dlp.networking.exceptions import HTTPError, TransportError  # type: ignore[import-untyped, unused-ignore]
from yt_dlp.utils import YoutubeDLError  # type: ignore[import-untyped, unused-ignore]

from notebook_runner.model import Diagnostic
from notebook_runner.video.metadata import StoreError, VideoInfo, VideoStore, info_from_ytdlp
from notebook_runner.video.refs import VideoUse
from notebook_runner.video.urls import VideoSource

DEFAULT_TIMEOUT = 5.0
DEFAULT_WORKERS = 4
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NOISE = re.compile(r"^ERROR: |;? ?please report this issue.*$|\s*\(caused by .*\)$", re.DOTALL)


class FetchError(Exception):
    """A fetch that failed; `network` is True when the site could not be reached at all."""

    def __init__(self, reason: str, network: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.network = network


class _Silent:
    """yt-dlp logger that keeps quiet: failures come back as exceptions, not output."""

    def debug(self, message: str) -> None:
        pass

    def info(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass

    def error(self, message: str) -> None:
        pass


def fetch_metadata(source: VideoSource, timeout: float = DEFAULT_TIMEOUT) -> VideoInfo:
    """One metadata request through yt-dlp; raises FetchError, never anything else."""
    # Typed as Any: the stubs' options TypedDict misdescribes options yt-dlp accepts
    # (`skip_download: bool`, `cachedir: False`, a float `socket_timeout`).
    options: Any = {
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "skip_download": True,
        "noplaylist": True,
        "extract_flat": "in_playlist",
        "ignore_no_formats_error": True,
        "check_formats": False,
        "socket_timeout": timeout,
        "retries": 0,
        "extractor_retries": 0,
        "cachedir": False,
        "logger": _Silent(),
    }
    try:
        with YoutubeDL(options) as downloader:
            info = downloader.extract_info(source.url, download=False)
    except YoutubeDLError as error:
        raise _fetch_error(error, timeout) from error
    except (OSError, ValueError) as error:
        raise FetchError(str(error), network=isinstance(error, OSError)) from error
    if not isinstance(info, Mapping):
        raise FetchError("yt-dlp returned no metadata", network=False)
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    return info_from_ytdlp(source, info, fetched_at)


def _fetch_error(error: BaseException, timeout: float) -> FetchError:
    """A short reason; whether the network itself failed decides if the site is skipped."""
    for cause in _causes(error):
        if isinstance(cause, HTTPError):
            return FetchError(f"HTTP error {cause.status}", network=False)
        if isinstance(cause, TimeoutError) or (
            isinstance(cause, TransportError) and "timed out" in str(cause)
        ):
            return FetchError(f"no answer within {timeout:g} s", network=True)
        if isinstance(cause, TransportError):
            return FetchError(f"network error: {_clean(str(cause))}", network=True)
    return FetchError(_clean(str(error)), network=False)


def _causes(error: BaseException) -> Iterable[BaseException]:
    """The error and what caused it; yt-dlp keeps the cause in `exc_info` and `cause`."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        exc_info = getattr(current, "exc_info", None)
        inner = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) > 1 else None
        cause = getattr(current, "cause", None)
        pending += [
            inner if isinstance(inner, BaseException) else None,
            cause if isinstance(cause, BaseException) else None,
            current.__cause__,
            current.__context__,
        ]


def _clean(message: str) -> str:
    return _NOISE.sub("", _ANSI.sub("", message)).strip() or "unknown error"


Fetcher = Callable[[VideoSource, float], VideoInfo]


@dataclass
class FetchReport:
    """What `videos fetch` did, by video key. `kept`: stored metadata left as it is,
    among them the `unrefreshed` ones whose refresh failed; `failed`: videos that have
    no metadata because their fetch failed."""

    fetched: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unrefreshed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def fetch_videos(
    uses: Mapping[str, VideoUse],
    store: VideoStore,
    refresh: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    fetcher: Fetcher = fetch_metadata,
) -> FetchReport:
    """Fetch and store metadata of every video not yet stored (all of them on refresh).

    Local files are skipped (yt-dlp cannot describe them without reading them); a
    failed fetch keeps the stored entry, reported with a warning instead of an error.
    """
    report = FetchReport()
    todo: dict[str, list[VideoUse]] = {}
    for key, use in uses.items():
        if use.source.kind == "local":
            report.skipped.append(key)
        elif not refresh and _stored(store, use.source) is not None:
            report.kept.append(key)
        else:
            todo.setdefault(_site_of(use.source), []).append(use)

    def attempt(use: VideoUse) -> VideoInfo | FetchError:
        return _attempt(use, timeout, fetcher)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        probes = [group[0] for group in todo.values()]
        outcomes = dict(zip(probes, pool.map(attempt, probes), strict=True))
        rest = [use for group in todo.values() for use in group[1:]]
        reachable = [use for use in rest if _site_reachable(use, probes, outcomes)]
        outcomes.update(zip(reachable, pool.map(attempt, reachable), strict=True))
    for use in (use for group in todo.values() for use in group):
        outcome = outcomes.get(use) or _skipped_after(use, probes)
        _record(use, outcome, store, report)
    return report


def _attempt(use: VideoUse, timeout: float, fetcher: Fetcher) -> VideoInfo | FetchError:
    try:
        return fetcher(use.source, timeout)
    except FetchError as error:
        return error


def _site_of(source: VideoSource) -> str:
    """Requests to one site share a fate: generic URLs are grouped by host instead."""
    if source.kind == "generic":
        return f"host:{(urlsplit(source.url).hostname or '').lower()}"
    return source.site


def _site_probe(use: VideoUse, probes: list[VideoUse]) -> VideoUse:
    site = _site_of(use.source)
    return next(probe for probe in probes if _site_of(probe.source) == site)


def _site_reachable(
    use: VideoUse, probes: list[VideoUse], outcomes: Mapping[VideoUse, VideoInfo | FetchError]
) -> bool:
    outcome = outcomes[_site_probe(use, probes)]
    return not (isinstance(outcome, FetchError) and outcome.network)


def _skipped_after(use: VideoUse, probes: list[VideoUse]) -> FetchError:
    probe = _site_probe(use, probes)
    return FetchError(
        f"not tried: the same site did not answer for {probe.source.url}", network=True
    )


def _record(
    use: VideoUse, outcome: VideoInfo | FetchError, store: VideoStore, report: FetchReport
) -> None:
    key = use.source.key
    if isinstance(outcome, VideoInfo):
        store.save(use.source, outcome)
        report.fetched.append(key)
        return
    previous = _stored(store, use.source)
    (report.unrefreshed if previous else report.failed).append(key)
    if previous:
        report.kept.append(key)
    report.diagnostics.append(
        Diagnostic(
            path=use.path,
            line=use.line,
            severity="warning" if previous else "error",
            code="video-fetch-failed",
            message=f"could not fetch metadata of {use.source.url}: {outcome.reason}",
            hint=f"kept the metadata fetched at {previous.fetched_at}" if previous else None,
        )
    )


def _stored(store: VideoStore, source: VideoSource) -> VideoInfo | None:
    """A stored entry that cannot be read counts as missing: fetching replaces it."""
    try:
        return store.load(source)
    except StoreError:
        return None
