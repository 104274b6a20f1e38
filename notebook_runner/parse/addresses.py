"""What the text of a `timestamp-url` block or an embed points at.

Only the shape of an address is judged here (a web page, an image, a media file);
which video site it belongs to is yt-dlp's job, in `notebook_runner.video`.
"""

from __future__ import annotations

from notebook_runner.parse.frontmatter import is_url
from notebook_runner.safe_urls import VIDEO_SCHEMES, refusal

MEDIA_SUFFIXES = (".mp4", ".webm", ".mkv", ".mov", ".m4v", ".ogv", ".mp3", ".m4a", ".ogg", ".wav")


_VIDEO_HINT = "put the video's URL (https://...) or a video file on the line inside the block"

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


def video_address_problem(text: str, url: str) -> tuple[str, str] | None:
    """The message and hint of `timestamp-bad-url` for a block holding `text` whose
    address is `url`; None when `url` may become a video, a player and time links.

    This is where a note's text becomes a video reference, so this is where hostile
    addresses stop (`javascript:alert(1)//x.mp4` ends like a video file): the block is
    then shown as text."""
    if not text:
        return "timestamp-url block is empty", _VIDEO_HINT
    reason = refusal(url, VIDEO_SCHEMES)
    if reason is not None:
        shown = "it is shown as text, never linked or played"
        return f"timestamp-url address {text!r} {reason}: {shown}", _VIDEO_HINT
    if is_url(url) or is_media_file(url):
        return None
    return f"timestamp-url block does not hold a video address: '{text}'", _VIDEO_HINT
