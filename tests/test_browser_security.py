"""Hostile notes in a real browser (headless Chromium via Playwright): nothing a note says
runs script in the site's origin.

Needs Debian's `chromium` and Playwright's Python package; skips when one is missing,
fails under CI=true (see `tool_support`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api
from serve_support import previewing, running, url_of
from tool_support import require_file

from notebook_runner.commands import build

CHROMIUM = Path("/usr/bin/chromium")
require_file(CHROMIUM, "apt-get install chromium", module_level=True)

pytestmark = pytest.mark.slow

# The script sets a flag instead of alerting, so that the test can see whether it ran.
PWN = "void(window.__pwned=1)"
HOSTILE_TIMESTAMPS = f"""# Evil

```timestamp-url
javascript:{PWN}//.mp4
```

```timestamp
0:10
```
## Part one

```timestamp-url
[Lecture](JaVaScRiPt:{PWN}//x.mp4)
```

```timestamp
0:20
```
## Part two

```timestamp-url
\x01javascript:{PWN}//x.mp4
```

```timestamp
0:30
```
## Part three
"""


def serve(vault: Path) -> Iterator[str]:
    for server in previewing(vault):
        yield url_of(server)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    vault = tmp_path_factory.mktemp("vault")
    (vault / "Evil.md").write_text(HOSTILE_TIMESTAMPS, encoding="utf-8")
    yield from serve(vault)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def test_clicking_a_hostile_timestamp_runs_no_script(page: Any, site_url: str) -> None:
    page.goto(site_url + "evil.html")
    times = page.locator(".timestamp, .video-outline li")
    assert times.count() == 6  # three in the body, three in the outline
    for index in range(times.count()):
        times.nth(index).locator("a, span").first.click()
        page.wait_for_timeout(50)
    clickable = page.locator(".note-body a, .video-outline a:not(.outline-section)")
    for index in range(clickable.count()):
        clickable.nth(index).click()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.url.startswith(site_url)


# --- attachments that are documents (issue 13, item 13) ----------------------------------------

# Each script leaves a mark in the origin it runs in, and raises a dialog the test sees.
MARK = "localStorage.setItem('pwned', location.href); alert(document.domain)"
ACTIVE = {
    "evil.html": f"<html><body><script>{MARK}</script>evil</body></html>\n",
    "evil.xml": (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        f"<script>{MARK}</script></body></html>\n"
    ),
    "evil.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" '
        f'onload="{MARK}"><script>{MARK}</script>'
        '<rect width="120" height="80" fill="red"/></svg>\n'
    ),
}
ATTACHMENTS_NOTE = """# Attachments

[[evil.html]] [[evil.svg]] [html](evil.html) [[evil.xml]]

![[evil.svg]]
"""
# Where the copies are, and where the originals were before (both must be harmless).
DIRECT = [
    "_text/evil.html.txt",
    "_text/evil.xml.txt",
    "_files/evil.svg",
    "_files/evil.html",
    "_files/evil.xml",
]


class _QuietFiles(SimpleHTTPRequestHandler):
    """A static host like GitHub Pages: types from extensions, no headers of ours."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def attachments_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    vault = tmp_path_factory.mktemp("attachments")
    (vault / "Attachments.md").write_text(ATTACHMENTS_NOTE, encoding="utf-8")
    for name, text in ACTIVE.items():
        (vault / name).write_text(text, encoding="utf-8")
    return vault


@pytest.fixture(scope="module")
def built_site(attachments_vault: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    parser = argparse.ArgumentParser()
    build.register(parser.add_subparsers())
    args = parser.parse_args(["build", str(attachments_vault), "-o", str(out), "--no-cache"])
    assert args.handler(args, io.StringIO(), io.StringIO()) == 0
    return out


def _static_host(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietFiles, directory=str(site))
    for server in running(ThreadingHTTPServer(("127.0.0.1", 0), handler)):
        yield url_of(server)


@pytest.fixture(params=["serve", "static host", "from disk"])
def attachments_url(
    request: pytest.FixtureRequest, attachments_vault: Path, built_site: Path
) -> Iterator[str]:
    if request.param == "serve":
        yield from serve(attachments_vault)
    elif request.param == "static host":
        yield from _static_host(built_site)
    else:
        yield built_site.as_uri() + "/"


def _visit(page: Any, url: str) -> None:
    """Open `url` and give its scripts their chance; a download or a missing file
    (which Playwright reports as errors) runs nothing."""
    with contextlib.suppress(sync_api.Error):
        page.goto(url)
    page.wait_for_timeout(100)


def test_attachments_run_no_script_in_the_site_origin(page: Any, attachments_url: str) -> None:
    dialogs: list[str] = []

    def seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    note = attachments_url + "attachments.html"
    page.goto(note)
    page.wait_for_function("document.querySelector('img.embed').complete")
    size = page.locator("img.embed").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [120, 80]  # the SVG still shows, at its own size
    links = page.locator(".note-body a")
    hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert len(hrefs) == 4
    for href in hrefs:
        page.goto(note)
        page.locator(f'.note-body a[href="{href}"]').first.click()
        page.wait_for_timeout(100)
    for path in DIRECT:
        _visit(page, attachments_url + path)
    page.goto(note)
    assert (dialogs, page.evaluate("localStorage.getItem('pwned')")) == ([], None)
