"""Which URLs from a note may become a link, a player or a source: read as a browser
reads them.

Every URL in a note (and in the video metadata stored beside it) is hostile until
checked: a time link to `javascript:alert(1)//x.mp4` runs script in the reader's
browser when clicked. A browser forgives a lot before it reads a scheme (the WHATWG URL
standard): it drops leading and trailing control characters and spaces, removes tabs
and newlines anywhere, ignores case, and takes `\\` for `/` in web URLs, so
`\\x01 JaVa\\tScRiPt:` is `javascript:`. The scheme is read here the same way, from
the text and again with its HTML character references decoded (`&#106;avascript:`),
so that a value written into an attribute without escaping would still be safe.

Allowed (README, "The site"): `http`, `https`, `mailto` (links only), `file` URLs of
this computer, and relative references. Refused: every other scheme (`javascript:`,
`data:`, `vbscript:`, a Windows drive `C:\\...` that browsers read as a scheme),
protocol-relative `//host` and `\\\\host` (where they lead depends on how the site is
opened: from disk they become `file://host/...`), and `file://host/...` naming another
computer (Windows opens those over SMB and sends the user's credentials). Verdicts are
cached per distinct URL: a vault repeats the same few lecture URLs.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

LINK_SCHEMES = frozenset({"http", "https", "mailto", "file"})
VIDEO_SCHEMES = frozenset({"http", "https", "file"})
WEB_SCHEMES = frozenset({"http", "https"})

_IGNORED_AROUND = "".join(chr(code) for code in range(0x21))  # C0 controls and space
_TABS_AND_NEWLINES = str.maketrans("", "", "\t\n\r")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SLASHES = frozenset("/\\")
_FILE_HOST_END = re.compile(r"[/\\?#]")
_LOCAL_HOSTS = frozenset({"", "localhost"})


@lru_cache(maxsize=8192)
def refusal(url: str, schemes: frozenset[str] = LINK_SCHEMES) -> str | None:
    """Why a browser must not be handed `url` ("uses the javascript: scheme"); None
    when it may. `schemes`: the schemes allowed where it goes (`VIDEO_SCHEMES` for videos)."""
    reason = _refusal(url, schemes)
    if reason is None and "&" in url:
        reason = _refusal(html.unescape(url), schemes)
    return reason


def is_safe(url: str, schemes: frozenset[str] = LINK_SCHEMES) -> bool:
    return refusal(url, schemes) is None


def is_web_address(url: str) -> bool:
    """An absolute http(s) URL, as a browser reads it: a link out of the site, a remote
    image."""
    return is_safe(url, WEB_SCHEMES) and _SCHEME.match(_as_read(url)) is not None


def _as_read(url: str) -> str:
    """The text a browser parses: control characters and spaces around it dropped,
    tabs and newlines inside removed."""
    return url.strip(_IGNORED_AROUND).translate(_TABS_AND_NEWLINES)


def _refusal(url: str, schemes: frozenset[str]) -> str | None:
    text = _as_read(url)
    scheme = _SCHEME.match(text)
    if scheme is None:
        if text[:1] in _SLASHES and text[1:2] in _SLASHES:
            return "starts with // (no scheme)"
        return None
    name = scheme.group(1).lower()
    if len(name) == 1:
        return "is a Windows drive path"
    if name not in schemes:
        return f"uses the {name}: scheme"
    if name == "file":
        host = _file_host(text[scheme.end() :])
        if host not in _LOCAL_HOSTS:
            return f"is a file:// URL on another computer ({host})"
    return None


def _file_host(rest: str) -> str:
    """The host of a `file:` URL after its colon: only `//host/...` (slashes either
    way) names one."""
    if not (rest[:1] in _SLASHES and rest[1:2] in _SLASHES):
        return ""
    after = rest[2:]
    end = _FILE_HOST_END.search(after)
    return (after[: end.start()] if end else after).lower()
