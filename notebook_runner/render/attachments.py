"""Where a vault file is put in the site, so that no attachment runs script in its origin.

Attachments are copied under `_files/`, in the site's own origin: an `evil.html` there,
opened from a link (or by typing its URL), would run its scripts with the site's cookies
and storage. A static host such as GitHub Pages sets no headers we choose, so what is
copied, and under which name, is what keeps it inert:

- Files a browser would run as a document (HTML, XHTML, XML and XSLT, MHTML, compressed
  SVG, JavaScript) are copied as `_text/<path>.txt`, which every host and `file://`
  serve as plain text (a folder of their own: `<path>.txt` under `_files/` could be
  another attachment's name); links to them carry `download="<name>"`, so a click
  saves the file under its own name instead of showing it.
- An SVG is written as a small SVG of our own that shows the original as an image
  (`<image href="data:image/svg+xml;base64,...">`): an image never runs scripts, so the
  file is safe both in `<img>` and opened directly, and it keeps the original's size.
- Everything else (images, video, audio, PDF, notebooks) is copied as it is.

`serve` adds `Content-Security-Policy: sandbox` to everything under `_files/` and
`_text/` on top of this, and `X-Content-Type-Options: nosniff` to every answer
(`server.py`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path

from notebook_runner.model import Diagnostic
from notebook_runner.render.videos import FILES_PREFIX
from notebook_runner.vault import open_inside

TEXT_PREFIX = "_text/"
ACTIVE_SUFFIXES = (
    ".html",
    ".htm",
    ".shtml",
    ".xhtml",
    ".xht",
    ".xml",
    ".xsl",
    ".xslt",
    ".svgz",
    ".mht",
    ".mhtml",
    ".js",
    ".mjs",
)
INERT_SUFFIX = ".txt"
SVG_SUFFIX = ".svg"

_SVG_TAG = re.compile(rb"<svg\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""\b(width|height|viewBox)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LENGTH = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:px|pt|pc|mm|cm|in|em|ex)?")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_ROOT_TAG_LIMIT = 1 << 16  # the root tag comes first; a long prologue is not worth reading


def site_file(path: str) -> str:
    """The site path of the vault file `path`."""
    if is_active(path):
        return f"{TEXT_PREFIX}{path}{INERT_SUFFIX}"
    return f"{FILES_PREFIX}{path}"


def is_active(path: str) -> bool:
    """A file a browser would open as a document able to run script (SVG aside, which
    is made safe by `svg_as_image` and keeps its name)."""
    return path.lower().endswith(ACTIVE_SUFFIXES)


def download_name(site_path: str) -> str | None:
    """The file's own name when `site_path` is the text copy of an active file: links
    to it save it under that name."""
    if not site_path.startswith(TEXT_PREFIX):
        return None
    return site_path.removesuffix(INERT_SUFFIX).rpartition("/")[2]


def download_attribute(site_path: str) -> str:
    """` download="name"` for a link to `site_path`, or ""."""
    name = download_name(site_path)
    return f' download="{escape(name)}"' if name else ""


def attachment_files(
    root: Path, used: Iterable[str]
) -> tuple[dict[str, Path], dict[str, bytes], list[Diagnostic]]:
    """The vault files `used` by pages: those copied as they are (site path -> file),
    and the SVGs, written as `svg_as_image` of their bytes (site path -> bytes)."""
    copies: dict[str, Path] = {}
    written: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for path in used:
        if not path.lower().endswith(SVG_SUFFIX):
            copies[site_file(path)] = root / path
            continue
        opened = open_inside(root / path, root)
        if opened is None:
            message = f"cannot read {path} any more; it is left out of the site"
            problems.append(Diagnostic(path, 1, "warning", "attachment-unreadable", message))
            continue
        with opened:
            written[site_file(path)] = svg_as_image(opened.read())
    return copies, written, problems


def svg_as_image(original: bytes) -> bytes:
    """An SVG showing `original` as an image: nothing of it but its bytes (base64) and
    its validated size reaches the file, so whatever script it holds never runs."""
    width, height, view_box = _root_size(original)
    attributes = ""
    if width and height:
        attributes += f' width="{width}" height="{height}"'
    place = 'width="100%" height="100%"'
    if view_box:
        x, y, w, h = view_box.split()
        attributes += f' viewBox="{view_box}"'
        place = f'x="{x}" y="{y}" width="{w}" height="{h}"'
    data = base64.b64encode(original).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{attributes}>'
        f'<image {place} href="data:image/svg+xml;base64,{data}"/></svg>\n'
    ).encode("ascii")


def _root_size(original: bytes) -> tuple[str | None, str | None, str | None]:
    """width, height and viewBox of the root `<svg>` tag, each only when well-formed."""
    tag = _SVG_TAG.search(original[:_ROOT_TAG_LIMIT])
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(tag.group(1) if tag else b""):
        value = (match.group(2) or match.group(3) or b"").decode("ascii", "replace").strip()
        found.setdefault(match.group(1).decode("ascii"), value)
    width, height = (found.get(name, "") for name in ("width", "height"))
    numbers = found.get("viewBox", "").replace(",", " ").split()
    view_box = (
        " ".join(numbers) if len(numbers) == 4 and all(map(_NUMBER.fullmatch, numbers)) else None
    )
    return (
        width if _LENGTH.fullmatch(width) else None,
        height if _LENGTH.fullmatch(height) else None,
        view_box,
    )
