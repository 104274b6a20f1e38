"""Attachments that could run script in the site's origin are copied so that they cannot.

Issue 13, item 13: `[[evil.html]]` and `![[evil.svg]]` copied into `_files/` fired alerts
in the site's origin. Active files are now copied as plain text under `_text/` (links
save them under their own name), and SVGs are written as an SVG that shows the original
as an image. What a browser does with them is tested in `test_browser_security.py`.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import get, previewing

from notebook_runner.config import SiteConfig
from notebook_runner.pipeline import open_vault
from notebook_runner.publish.site import SiteBuild, build_site
from notebook_runner.render.attachments import (
    download_attribute,
    site_file,
    svg_as_image,
)
from notebook_runner.serve.server import PreviewServer

SVG_NS = "{http://www.w3.org/2000/svg}"
EVIL_SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"'
    b' viewBox="0 0 120 80" onload="alert(1)"><script>alert(document.domain)</script>'
    b'<rect width="120" height="80" fill="red"/></svg>\n'
)
EVIL_HTML = b"<html><body><script>alert(document.domain)</script></body></html>\n"
NOTE = """# Note

[[evil.html]] ![[evil.svg]] [[evil.svg]] [md](evil.html) ![img](evil.svg) ![[page.xhtml]]
[[notes.pdf]] ![[photo.png]]
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("evil.html", "_text/evil.html.txt"),
        ("deep/Evil.HTM", "_text/deep/Evil.HTM.txt"),
        ("a.xhtml", "_text/a.xhtml.txt"),
        ("a.shtml", "_text/a.shtml.txt"),
        ("feed.xml", "_text/feed.xml.txt"),
        ("style.xsl", "_text/style.xsl.txt"),
        ("page.mht", "_text/page.mht.txt"),
        ("page.mhtml", "_text/page.mhtml.txt"),
        ("pic.svgz", "_text/pic.svgz.txt"),
        ("app.js", "_text/app.js.txt"),
        ("app.mjs", "_text/app.mjs.txt"),
        ("pic.svg", "_files/pic.svg"),
        ("notes.pdf", "_files/notes.pdf"),
        ("photo.png", "_files/photo.png"),
        ("lecture.mp4", "_files/lecture.mp4"),
        ("evil.html.txt", "_files/evil.html.txt"),
    ],
)
def test_active_files_are_copied_as_text_in_a_folder_of_their_own(path: str, expected: str) -> None:
    assert site_file(path) == expected


def test_only_links_to_text_copies_download_under_the_file_name() -> None:
    assert download_attribute('_text/deep/a&b".html.txt') == ' download="a&amp;b&quot;.html"'
    assert download_attribute("_files/evil.html.txt") == ""
    assert download_attribute("notes/evil.html") == ""


def _image_of(wrapper: bytes) -> tuple[ET.Element, ET.Element, bytes]:
    root = ET.fromstring(wrapper)
    [image] = list(root)
    prefix = "data:image/svg+xml;base64,"
    href = image.attrib["href"]
    assert href.startswith(prefix)
    return root, image, base64.b64decode(href.removeprefix(prefix))


def test_an_svg_becomes_an_svg_showing_it_as_an_image() -> None:
    wrapper = svg_as_image(EVIL_SVG)
    root, image, original = _image_of(wrapper)
    assert original == EVIL_SVG
    assert (root.tag, image.tag) == (f"{SVG_NS}svg", f"{SVG_NS}image")
    assert root.attrib == {"width": "120", "height": "80", "viewBox": "0 0 120 80"}
    assert image.attrib["width"] == "120" and image.attrib["height"] == "80"
    assert b"script" not in wrapper and b"onload" not in wrapper


@pytest.mark.parametrize(
    ("tag", "root_attributes", "place"),
    [
        (b"<svg viewBox='-5,-5 10 10'>", {"viewBox": "-5 -5 10 10"}, ("-5", "-5", "10", "10")),
        (b'<svg width="10mm" height="2.5in">', {"width": "10mm", "height": "2.5in"}, None),
        (b'<svg width="100%" height="50">', {}, None),
        (b'<svg width="1&quot; onload=&quot;x" height="5">', {}, None),
        (b"<svg width='1\" onload=\"alert(1)' height='5'>", {}, None),
        (b'<svg viewBox="0 0 1 javascript:x">', {}, None),
        (b"not an svg at all", {}, None),
    ],
)
def test_only_a_well_formed_size_of_the_original_is_kept(
    tag: bytes, root_attributes: dict[str, str], place: tuple[str, ...] | None
) -> None:
    root, image, _ = _image_of(svg_as_image(tag + b"</svg>"))
    assert root.attrib == root_attributes
    expected = (
        dict(zip(("x", "y", "width", "height"), place, strict=True))
        if place
        else {
            "width": "100%",
            "height": "100%",
        }
    )
    assert {k: v for k, v in image.attrib.items() if k != "href"} == expected


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Note.md").write_text(NOTE, encoding="utf-8")
    (root / "evil.html").write_bytes(EVIL_HTML)
    (root / "evil.svg").write_bytes(EVIL_SVG)
    (root / "page.xhtml").write_bytes(EVIL_HTML)
    (root / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n")
    return root


def _site(vault: Path) -> SiteBuild:
    workspace = open_vault(vault, use_cache=False)
    sources = {source.path: source.text for source in workspace.loaded.sources}
    return build_site(vault, workspace.vault, sources, {}, SiteConfig())


def test_the_site_holds_no_active_attachment_under_its_own_name(vault: Path) -> None:
    site = _site(vault)
    assert site.copies == {
        "_files/notes.pdf": vault / "notes.pdf",
        "_files/photo.png": vault / "photo.png",
        "_text/evil.html.txt": vault / "evil.html",
        "_text/page.xhtml.txt": vault / "page.xhtml",
    }
    assert site.files["_files/evil.svg"] == svg_as_image(EVIL_SVG)
    assert site.diagnostics == ()


def test_links_point_at_the_safe_copies(vault: Path) -> None:
    page = _site(vault).files["note.html"].decode("utf-8")
    assert (
        '<a class="internal-link" href="_text/evil.html.txt" download="evil.html">evil.html</a>'
        ' <img class="embed" src="_files/evil.svg" alt="evil.svg" loading="lazy">'
        ' <a class="internal-link" href="_files/evil.svg">evil.svg</a>'
        ' <a href="_text/evil.html.txt" download="evil.html">md</a>'
        ' <img src="_files/evil.svg" alt="img" loading="lazy" />'
        ' <a class="embed-file" href="_text/page.xhtml.txt" download="page.xhtml">page.xhtml</a>'
    ) in page


def test_an_svg_that_cannot_be_read_any_more_is_left_out_and_reported(vault: Path) -> None:
    workspace = open_vault(vault, use_cache=False)
    sources = {source.path: source.text for source in workspace.loaded.sources}
    (vault / "evil.svg").unlink()
    site = build_site(vault, workspace.vault, sources, {}, SiteConfig())
    assert "_files/evil.svg" not in site.files
    assert [(d.path, d.severity, d.code, d.message) for d in site.diagnostics] == [
        (
            "evil.svg",
            "warning",
            "attachment-unreadable",
            "cannot read evil.svg any more; it is left out of the site",
        )
    ]


@pytest.fixture
def server(vault: Path) -> Iterator[PreviewServer]:
    yield from previewing(vault)


def _headers(server: PreviewServer, path: str) -> tuple[int, dict[str, str]]:
    status, headers, _ = get(server, path)
    return status, headers


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/_text/evil.html.txt", "text/plain; charset=utf-8"),
        ("/_files/evil.svg", "image/svg+xml"),
        ("/_files/notes.pdf", "application/pdf"),
    ],
)
def test_serve_sandboxes_every_vault_file(server: PreviewServer, path: str, kind: str) -> None:
    status, headers = _headers(server, path)
    assert (status, headers["Content-Type"]) == (200, kind)
    assert headers["Content-Security-Policy"] == "sandbox"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_serve_does_not_sandbox_the_pages(server: PreviewServer) -> None:
    status, headers = _headers(server, "/note.html")
    assert (status, "Content-Security-Policy" in headers) == (200, False)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert _headers(server, "/_files/evil.html")[0] == 404


def test_serve_shows_an_edited_svg_as_its_new_image(server: PreviewServer, vault: Path) -> None:
    edited = EVIL_SVG.replace(b"red", b"blue")
    (vault / "evil.svg").write_bytes(edited)
    refresh = server.refresh([vault / "evil.svg"])
    assert "_files/evil.svg" in refresh.changed
    assert server.live.site.files["_files/evil.svg"] == svg_as_image(edited)
