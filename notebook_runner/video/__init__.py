"""Takes `Note`s; gives their lecture videos: time links, `VideoInfo` from the committed
store (or from yt-dlp, for `videos fetch`), video diagnostics and chapter tracks.

Split by job: `urls` (offline recognition with yt-dlp's extractors, time links),
`metadata` (the normalised info and its committed store), `fetch` (asking yt-dlp,
failing fast), `refs` (which video each timestamp belongs to), `checks` (diagnostics)
and `vtt` (chapters track). Everything callers need is importable from here, except
`fetch`: it imports yt-dlp's downloader, which only `videos fetch` needs.
"""

from notebook_runner.video.checks import VideoChecks, video_diagnostics
from notebook_runner.video.metadata import (
    Chapter,
    StoreError,
    VideoInfo,
    VideoStore,
    info_from_ytdlp,
)
from notebook_runner.video.refs import (
    VideoUse,
    note_videos,
    timestamp_video,
    vault_videos,
    with_link_timestamps,
)
from notebook_runner.video.urls import (
    VideoKind,
    VideoSource,
    link_at,
    recognise,
    timestamp_from_link,
    url_start,
)
from notebook_runner.video.vtt import chapter_count, write_vtt

__all__ = [
    "Chapter",
    "StoreError",
    "VideoChecks",
    "VideoInfo",
    "VideoKind",
    "VideoSource",
    "VideoStore",
    "VideoUse",
    "chapter_count",
    "info_from_ytdlp",
    "link_at",
    "note_videos",
    "recognise",
    "timestamp_from_link",
    "timestamp_video",
    "url_start",
    "vault_videos",
    "video_diagnostics",
    "with_link_timestamps",
    "write_vtt",
]
