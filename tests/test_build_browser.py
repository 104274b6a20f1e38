"""The site in a real browser: headless Chromium driven by Playwright, served by `serve`.

Needs Debian's `chromium`, Playwright's Python package, ffmpeg (to make the test video)
and axe-core's `axe.min.js` (from the `axe-playwright-python` package, or the file named
by $AXE_CORE_JS); the tests skip when one is missing, and fail under CI=true. Screenshots go to
$NOTEBOOK_RUNNER_ARTIFACTS (default: test-artifacts/browser/, ignored by git).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api
from tool_support import missing, require_executable, require_file

from notebook_runner.commands import build
from notebook_runner.serve.live import LiveSite
from notebook_runner.serve.server import PreviewServer
from notebook_runner.video import VideoStore, info_from_ytdlp, recognise

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
require_file(CHROMIUM, "apt-get install chromium", module_level=True)
require_executable("ffmpeg", "ffmpeg", module_level=True)

pytestmark = pytest.mark.slow
# A 1300 s grey VP8 video of 40 kB: long enough to seek to 20:40, quick to make.
FFMPEG_ARGS = [
    "ffmpeg",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    "color=c=gray:s=64x36:r=1",
]
FFMPEG_ARGS += ["-t", "1300", "-c:v", "libvpx", "-g", "30", "-b:v", "10k"]

LECTURE = """---
tags: [video]
---
# Lecture

![[lecture.webm]]

```timestamp
12:34
```
## Convolutions
Kernels slide over the image.

```timestamp
20:40
```
## Pooling
Pooling shrinks the feature map.

> [!example]- Folded example
> Hidden until opened.
"""
YOUTUBE = """# Online

```timestamp-url
https://www.youtube.com/watch?v=hBBOjCiFcuo
```

```timestamp
1:05
```
## Start
"""

# A transcript under notes on the same video, its times written as Markdown links in
# three URL forms (one glued, as people paste them), and an Obsidian video embed.
TRANSCRIPT = """---
url: https://youtu.be/aaaaaaaaaaa
---
## Transcript
[0:09](https://youtu.be/aaaaaaaaaaa?t=9) so today
[0:15](https://youtu.be/aaaaaaaaaaa&t=15) we look at
[1:01](https://www.youtube.com/watch?v=aaaaaaaaaaa&t=61s) the structure
"""
EMBEDDED = """# Embedded

![A talk on kernels](https://www.youtube.com/watch?v=bbbbbbbbbbb)

```timestamp
2:05
```
## Kernels
"""

THUMBNAIL = "https://i.ytimg.com/vi/hBBOjCiFcuo/hqdefault.jpg"
# What `videos fetch` would have stored for the YouTube video of "Online".
YOUTUBE_INFO = {
    "title": "Lesson 3: Neural net foundations",
    "duration": 5110,
    "thumbnail": THUMBNAIL,
    "chapters": [{"start_time": 0, "title": "Welcome"}, {"start_time": 30, "title": "Setup"}],
}
# A 1x1 PNG, served in place of the remote thumbnail.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _store_video_metadata(vault: Path) -> None:
    source = recognise("https://www.youtube.com/watch?v=hBBOjCiFcuo")
    VideoStore(vault).save(source, info_from_ytdlp(source, YOUTUBE_INFO, "2026-01-01T00:00:00"))


def _axe_script() -> str | None:
    named = os.environ.get("AXE_CORE_JS")
    if named and Path(named).is_file():
        return Path(named).read_text(encoding="utf-8")
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "axe.min.js"
        if bundled.is_file():
            return bundled.read_text(encoding="utf-8")
    return None


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(
        os.environ.get("NOTEBOOK_RUNNER_ARTIFACTS") or REPO / "test-artifacts" / "browser"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    vault = tmp_path_factory.mktemp("vault")
    (vault / "Lecture.md").write_text(LECTURE, encoding="utf-8")
    (vault / "Online.md").write_text(YOUTUBE, encoding="utf-8")
    (vault / "Transcript.md").write_text(TRANSCRIPT, encoding="utf-8")
    (vault / "Embedded.md").write_text(EMBEDDED, encoding="utf-8")
    _store_video_metadata(vault)
    subprocess.run(
        [*FFMPEG_ARGS, str(vault / "lecture.webm")],
        check=True,
    )
    server = PreviewServer(("127.0.0.1", 0), LiveSite(vault))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host!s}:{port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--autoplay-policy=no-user-gesture-required"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def test_clicking_a_time_seeks_the_local_video(page: Any, site_url: str, artifacts: Path) -> None:
    page.goto(site_url + "lecture.html")
    page.wait_for_function("document.getElementById('video-1').readyState >= 1")
    page.locator(".note-body a.timestamp-link", has_text="▶ 12:34").click()
    page.wait_for_function("Math.abs(document.getElementById('video-1').currentTime - 754) < 1")
    assert page.url == site_url + "lecture.html"  # seeking, not leaving the page
    page.wait_for_selector("h2.playing")
    playing = page.locator(".playing h2, h2.playing").all_inner_texts()
    assert playing == ["Convolutions"]
    page.screenshot(path=str(artifacts / "lecture-playing.png"), full_page=True)


def test_search_finds_a_note(page: Any, site_url: str, artifacts: Path) -> None:
    page.goto(site_url + "index.html")
    page.fill("#search-input", "pooling")
    results = page.locator("#search-results a")
    results.first.wait_for()
    assert results.all_inner_texts() == ["Lecture"]
    page.screenshot(path=str(artifacts / "search.png"))
    results.first.click()
    page.wait_for_url(site_url + "lecture.html")


def test_folded_callout_opens(page: Any, site_url: str) -> None:
    page.goto(site_url + "lecture.html")
    callout = page.locator("details.callout")
    assert callout.get_attribute("open") is None
    callout.locator("summary").click()
    assert callout.get_attribute("open") == ""
    assert page.locator("details.callout .callout-content").is_visible()


def test_pages_make_no_request_outside_localhost(page: Any, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for name in ("index.html", "lecture.html", "online.html", "transcript.html", "embedded.html"):
        page.goto(site_url + name)
        page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(site_url) for url in requested)


def test_works_opened_from_disk_without_a_server(
    browser: Any, tmp_path: Path, site_url: str
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Lecture.md").write_text(LECTURE, encoding="utf-8")
    parser = argparse.ArgumentParser()
    build.register(parser.add_subparsers())
    args = parser.parse_args(["build", str(vault), "-o", str(tmp_path / "site"), "--no-cache"])
    assert args.handler(args, io.StringIO(), io.StringIO()) == 0
    context = browser.new_context()
    disk = context.new_page()
    disk.goto((tmp_path / "site" / "index.html").as_uri())
    disk.fill("#search-input", "kernels")
    disk.locator("#search-results a").first.wait_for()
    assert disk.locator("#search-results a").all_inner_texts() == ["Lecture"]
    context.close()


@pytest.mark.parametrize("name", ["index.html", "lecture.html", "online.html", "_tags/video.html"])
def test_no_serious_accessibility_violations(
    page: Any, site_url: str, name: str, artifacts: Path
) -> None:
    script = _axe_script()
    if script is None:
        missing("axe-core not available (install axe-playwright-python or set AXE_CORE_JS)")
    page.goto(site_url + name)
    page.add_script_tag(content=script)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    page.screenshot(path=str(artifacts / (name.replace("/", "-") + ".png")), full_page=True)
    assert serious == []


# A stand-in for the YouTube IFrame API: records what the page asks of the player.
FAKE_YOUTUBE_API = """
window.YT = {Player: function (element, options) {
  window.fakeYouTube = {options: options, seeks: []};
  var player = this;
  this.seekTo = function (t) { window.fakeYouTube.seeks.push(t); };
  this.playVideo = function () {};
  this.getPlayerState = function () { return 2; };
  setTimeout(function () { options.events.onReady({target: player}); }, 0);
}};
window.onYouTubeIframeAPIReady();
"""


def test_youtube_api_loads_only_after_a_click_then_seeks(page: Any, site_url: str) -> None:
    asked: list[str] = []

    def fake(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=FAKE_YOUTUBE_API)

    page.route("https://www.youtube.com/**", fake)
    page.goto(site_url + "online.html")
    page.wait_for_load_state("networkidle")
    assert asked == []
    page.locator(".note-body a.timestamp-link", has_text="▶ 1:05").click()
    page.wait_for_function("window.fakeYouTube && window.fakeYouTube.seeks.length > 0")
    assert asked == ["https://www.youtube.com/iframe_api"]
    options = page.evaluate("window.fakeYouTube.options")
    assert (options["host"], options["videoId"]) == (
        "https://www.youtube-nocookie.com",
        "hBBOjCiFcuo",
    )
    assert page.evaluate("window.fakeYouTube.seeks") == [65]
    assert page.url == site_url + "online.html"


def test_chromium_loads_the_chapters_track_of_a_local_video(page: Any, site_url: str) -> None:
    page.goto(site_url + "lecture.html")
    page.wait_for_function(
        "(() => { const t = document.querySelector('#video-1 track');"
        " return t && t.track.cues && t.track.cues.length > 0; })()"
    )
    cues = page.evaluate(
        "Array.from(document.querySelector('#video-1 track').track.cues)"
        ".map(c => [c.startTime, c.text])"
    )
    assert cues == [[754, "Convolutions"], [1240, "Pooling"]]


def _fake_youtube(page: Any) -> tuple[list[str], list[str]]:
    """Serve the IFrame API and the thumbnail locally; record what the page asked for."""
    api: list[str] = []
    thumbnails: list[str] = []

    def fake_api(route: Any) -> None:
        api.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=FAKE_YOUTUBE_API)

    def fake_thumbnail(route: Any) -> None:
        thumbnails.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://www.youtube.com/**", fake_api)
    page.route("https://i.ytimg.com/**", fake_thumbnail)
    return api, thumbnails


def test_video_thumbnail_is_fetched_only_when_play_is_clicked(page: Any, site_url: str) -> None:
    api, thumbnails = _fake_youtube(page)
    page.goto(site_url + "online.html")
    page.wait_for_load_state("networkidle")
    assert page.locator(".video-card .video-title").inner_text() == (
        "Lesson 3: Neural net foundations"
    )
    assert (api, thumbnails) == ([], [])
    page.locator(".video-card button.player-load").click()
    page.wait_for_function("window.fakeYouTube && window.fakeYouTube.seeks.length > 0")
    assert (api, thumbnails) == (["https://www.youtube.com/iframe_api"], [THUMBNAIL])


def test_clicking_a_chapter_seeks_the_player(page: Any, site_url: str) -> None:
    _fake_youtube(page)
    page.goto(site_url + "online.html")
    page.locator(".video-chapters a.timestamp-link", has_text="▶ 0:30").click()
    page.wait_for_function("window.fakeYouTube && window.fakeYouTube.seeks.length > 0")
    assert page.evaluate("window.fakeYouTube.seeks") == [30]
    assert page.url == site_url + "online.html"


def test_markdown_time_links_seek_the_notes_player(page: Any, site_url: str) -> None:
    """`[0:15](https://youtu.be/ID&t=15)` under `url: https://youtu.be/ID`: a click
    plays the note's video from 0:15, on the page; the glued href is repaired."""
    _fake_youtube(page)
    page.goto(site_url + "transcript.html")
    link = page.locator(".note-body a.timestamp-link", has_text="0:15")
    assert link.get_attribute("href") == "https://youtu.be/aaaaaaaaaaa?t=15"
    link.click()
    page.wait_for_function("window.fakeYouTube && window.fakeYouTube.seeks.length > 0")
    assert page.evaluate("window.fakeYouTube.options.videoId") == "aaaaaaaaaaa"
    assert page.evaluate("window.fakeYouTube.seeks") == [15]
    assert page.url == site_url + "transcript.html"


def test_an_obsidian_video_embed_plays_in_place(page: Any, site_url: str) -> None:
    _fake_youtube(page)
    page.goto(site_url + "embedded.html")
    player = page.locator(".note-body figure.player")
    assert player.locator(".player-title").inner_text() == "A talk on kernels"
    page.locator(".note-body a.timestamp-link", has_text="2:05").click()
    page.wait_for_function("window.fakeYouTube && window.fakeYouTube.seeks.length > 0")
    assert page.evaluate("[window.fakeYouTube.options.videoId, window.fakeYouTube.seeks]") == [
        "bbbbbbbbbbb",
        [125],
    ]


def test_a_video_card_before_play_shows_title_length_and_a_play_button(
    page: Any, site_url: str, artifacts: Path
) -> None:
    page.goto(site_url + "online.html")
    page.wait_for_load_state("networkidle")
    poster = page.locator(".video-card .player-poster")
    assert poster.locator(".player-title").inner_text() == "Lesson 3: Neural net foundations"
    assert poster.locator(".player-length").inner_text() == "1:25:10"
    button = poster.locator("button.player-load")
    assert button.get_attribute("aria-label") == "Play the video: Lesson 3: Neural net foundations"
    box, middle = poster.bounding_box(), button.bounding_box()
    assert box and middle and box["height"] > 100  # a 16:9 frame, not a line of text
    centre = (middle["x"] + middle["width"] / 2, middle["y"] + middle["height"] / 2)
    assert abs(centre[0] - (box["x"] + box["width"] / 2)) < 2
    assert abs(centre[1] - (box["y"] + box["height"] / 2)) < 2
    page.screenshot(path=str(artifacts / "video-card.png"), full_page=True)


# An IFrame API that loads but whose player never gets ready: a blocked iframe.
NEVER_READY_API = "window.YT = {Player: function () {}}; window.onYouTubeIframeAPIReady();"


@pytest.mark.parametrize("network", ["offline", "blocked"])
def test_a_player_that_cannot_load_says_so_and_offers_the_time_link(
    page: Any, site_url: str, network: str, artifacts: Path
) -> None:
    if network == "offline":
        page.route("https://www.youtube.com/**", lambda route: route.abort("internetdisconnected"))
    else:
        page.route(
            "https://www.youtube.com/**",
            lambda route: route.fulfill(content_type="text/javascript", body=NEVER_READY_API),
        )
    page.goto(site_url + "online.html")
    started = page.evaluate("performance.now()")
    page.locator(".note-body a.timestamp-link", has_text="▶ 1:05").click()
    error = page.locator(".video-card .player-error")
    error.wait_for(timeout=10_000)
    waited = (page.evaluate("performance.now()") - started) / 1000
    assert waited < 8
    assert error.get_attribute("role") == "alert"
    fallback = error.locator("a")
    assert (fallback.inner_text(), fallback.get_attribute("href")) == (
        "Watch from 1:05 on the video's site",
        "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=65s",
    )
    page.screenshot(path=str(artifacts / f"player-{network}.png"))
    moment = "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=65s"
    with page.expect_request(moment) as followed:  # the time link is a plain link now
        page.locator(".note-body a.timestamp-link", has_text="▶ 1:05").click()
    assert followed.value.is_navigation_request()
