"""Cleaning notes that contain raw HTML, with nh3 (the ammonia sanitiser).

Markdown-it escapes everything a note says except raw HTML, so only pages of notes that
hold raw HTML are cleaned, and the allow-list covers both what people write in Obsidian
(`<mark>`, `<sub>`, `<details>`, `<kbd>`, video iframes) and what our renderer emits
(MathML, callouts, players, highlighted code). Links and sources keep only http(s),
mailto and relative URLs, so `javascript:` and `data:` disappear; an iframe keeps its
`src` only when it points at a known video host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

from notebook_runner.safe_urls import is_safe

_MATHML = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "semantics",
        "annotation",
    ]
)
_EXTRA_TAGS = frozenset(
    [
        "details",
        "summary",
        "mark",
        "sub",
        "sup",
        "kbd",
        "iframe",
        "video",
        "audio",
        "source",
        "input",
        "section",
        "figure",
        "figcaption",
        "button",
        "span",
        "div",
    ]
)
TAGS = frozenset(nh3.ALLOWED_TAGS) | _MATHML | _EXTRA_TAGS

_GENERIC = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden"}
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": _GENERIC,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "details": {"open"},
    "ol": {"start"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "input": {"type", "checked", "disabled"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading"},
    "video": {"src", "controls", "preload", "width", "height", "poster"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type"},
    "button": {"type"},
    "math": {"xmlns", "display"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
    "mi": {"mathvariant"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"},
    "mspace": {"width"},
    "mpadded": {"width", "lspace"},
    "annotation": {"encoding"},
}
VIDEO_HOSTS = frozenset(
    {
        "www.youtube.com",
        "youtube.com",
        "www.youtube-nocookie.com",
        "youtube-nocookie.com",
        "player.vimeo.com",
    }
)
_URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
_TEXT_ALIGN = re.compile(r"^text-align:\s*(left|right|center)$")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        parts = urlsplit(value)
        return value if parts.scheme == "https" and parts.netloc.lower() in VIDEO_HOSTS else None
    if attribute == "style":
        return value if _TEXT_ALIGN.match(value.strip()) else None
    if attribute in _URL_ATTRIBUTES:  # nh3 keeps `//host`, which the site refuses too
        return value if is_safe(value) else None
    return value


# nh3 serialises canonically (attribute values double-quoted, `"` escaped), so an img
# tag and its attributes can be matched exactly in its output.
_IMG = re.compile(r'<img((?:\s[^\s=>/]+(?:="[^"]*")?)*)\s*/?>')
_IFRAME = re.compile(r'<iframe((?:\s[^\s=>/]+(?:="[^"]*")?)*)>.*?</iframe>', re.DOTALL)


def clean(html: str) -> str:
    """Sanitised HTML; an image or frame whose source was dropped (`data:`, `javascript:`,
    an unknown host) goes too: an `<img>` without `src` is invalid, and an empty frame
    is an empty box."""
    cleaned = _clean(html)
    return _IFRAME.sub(_drop_sourceless, _IMG.sub(_drop_sourceless, cleaned))


def _drop_sourceless(match: re.Match[str]) -> str:
    return match.group(0) if re.search(r'\ssrc="', match.group(1)) else ""


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        generic_attribute_prefixes={"data-"},
        strip_comments=True,
    )
