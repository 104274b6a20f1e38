"""Hostile notes in a real browser (headless Chromium via Playwright): nothing a note says
runs script in the site's origin.

Needs Debian's `chromium` and Playwright's Python package; skips when one is missing,
fails under CI=true (see `tool_support`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api
from tool_support import require_file

from notebook_runner.render.live import LiveSite
from notebook_runner.render.server import PreviewServer

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
    server = PreviewServer(("127.0.0.1", 0), LiveSite(vault))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


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
