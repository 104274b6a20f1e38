"""What the text of a `timestamp-url` block or an embed points at.

Only the shape of an address is judged here (a web page, an image, a media file);
which video site it belongs to is yt-dlp's job, in `notebook_runner.video`.
"""

from __future__ import annotations

MEDIA_SUFFIXES = (".mp4", ".webm", ".mkv", ".mov", ".m4v", ".ogv", ".mp3", ".m4a", ".ogg", ".wav")


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif", ".ico")


def is_image_address(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith(IMAGE_SUFFIXES)


def local_embed_target(text: str) -> str:
    """`![[lecture.mp4]]` or `[[lecture.mp4]]` in a URL block names a vault file."""
    if text.startswith(("![[", "[[")) and text.endswith("]]"):
        return text.lstrip("!")[2:-2].split("|", 1)[0].strip()
    return text


def is_media_file(text: str) -> bool:
    """A `file://` URL or a path to an audio/video file: played by an HTML5 player."""
    lowered = text.lower().split("#", 1)[0]
    return lowered.startswith("file://") or lowered.endswith(MEDIA_SUFFIXES)


def split_markdown_link(text: str) -> tuple[str, str | None]:
    """`[title](url)` as the plugin pastes it; the title may itself hold brackets."""
    if text.startswith("[") and text.endswith(")"):
        middle = text.rfind("](")
        if middle > 0:
            return text[middle + 2 : -1].strip().strip("<>").strip(), text[1:middle]
    return text.strip("<>").strip(), None
