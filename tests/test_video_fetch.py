"""Fetching metadata for real, without the internet: a video made by ffmpeg, served on
127.0.0.1 to yt-dlp's generic extractor; and a proxy that never answers, standing in
for an offline or blocked network."""

from __future__ import annotations

import argparse
import functools
import io
import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tool_support import require_executable

from notebook_runner.commands import videos
from notebook_runner.model import Diagnostic
from notebook_runner.video import Chapter, VideoInfo, VideoStore, VideoUse, recognise
from notebook_runner.video.fetch import FetchError, fetch_metadata, fetch_videos
from notebook_runner.video.urls import VideoSource

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")
NO_PROXY_VARIABLES = ("no_proxy", "NO_PROXY")
YOUTUBE = "https://www.youtube.com/watch?v=hBBOjCiFcuo"
VIMEO = "https://vimeo.com/76979871"
FFMPEG_TEST_VIDEO = ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=4:size=64x48"]
FFMPEG_TEST_VIDEO += ["-c:v", "mpeg4"]

LECTURE_PAGE = """<!doctype html><html><head><title>Lesson 3 page</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "VideoObject",
"name": "Lesson 3", "duration": "PT4S", "thumbnailUrl": "{base}/thumb.jpg",
"contentUrl": "{base}/lesson3.mp4", "author": {{"@type": "Person", "name": "J. Howard"}},
"uploadDate": "2022-01-01", "hasPart": [
{{"@type": "Clip", "name": "Intro", "startOffset": 0, "endOffset": 2}},
{{"@type": "Clip", "name": "Gradient descent", "startOffset": 2, "endOffset": 4}}]}}</script>
</head><body><p>Lecture 3</p></body></html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def media_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_executable("ffmpeg", "ffmpeg")
    folder = tmp_path_factory.mktemp("media")
    subprocess.run(
        [*FFMPEG_TEST_VIDEO, str(folder / "lesson3.mp4")],
        check=True,
        timeout=60,
    )
    return folder


@pytest.fixture
def media_server(media_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Base URL of a local web server holding the video and a lecture page about it."""
    for name in (*PROXY_VARIABLES, *NO_PROXY_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    handler = functools.partial(_QuietHandler, directory=str(media_folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = LECTURE_PAGE.format(base=base)
    (media_folder / "lesson3.html").write_text(page, encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """All traffic goes to a proxy that accepts connections and never answers."""
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(64)
    proxy = f"http://127.0.0.1:{black_hole.getsockname()[1]}"
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, proxy)
    for name in NO_PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield
    black_hole.close()


def test_the_generic_extractor_reads_a_served_video_file(media_server: str) -> None:
    url = f"{media_server}/lesson3.mp4"
    info = fetch_metadata(recognise(url), timeout=5)
    assert (info.site, info.id, info.url, info.title) == ("Generic", "lesson3", url, "lesson3")
    assert (info.duration, info.chapters) == (None, ())


def test_a_lecture_page_gives_length_chapters_uploader_and_thumbnail(media_server: str) -> None:
    url = f"{media_server}/lesson3.html"
    info = fetch_metadata(recognise(url), timeout=5)
    assert info == VideoInfo(
        site="Generic",
        id="lesson3",
        url=url,
        title="Lesson 3",
        uploader="J. Howard",
        duration=4.0,
        chapters=(Chapter(0.0, 2.0, "Intro"), Chapter(2.0, 4.0, "Gradient descent")),
        thumbnail=f"{media_server}/thumb.jpg",
        fetched_at=info.fetched_at,
    )
    assert info.fetched_at.endswith("+00:00")


def test_a_missing_page_is_an_http_error_not_a_network_failure(media_server: str) -> None:
    with pytest.raises(FetchError) as raised:
        fetch_metadata(recognise(f"{media_server}/gone.mp4"), timeout=5)
    assert (raised.value.reason, raised.value.network) == ("HTTP error 404", False)


@pytest.mark.usefixtures("offline")
def test_offline_a_fetch_gives_up_within_seconds() -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as raised:
        fetch_metadata(recognise(YOUTUBE), timeout=1)
    assert (raised.value.reason, raised.value.network) == ("no answer within 1 s", True)
    assert time.monotonic() - started < 8


def uses(*urls: str, path: str = "Lesson 3.md") -> dict[str, VideoUse]:
    return {
        recognise(url).key: VideoUse(recognise(url), path, line) for line, url in enumerate(urls, 1)
    }


def test_fetched_entries_are_stored_then_kept_and_survive_a_failed_refresh(
    media_server: str, media_folder: Path, tmp_path: Path
) -> None:
    page, video = f"{media_server}/lesson3.html", f"{media_server}/lesson3.mp4"
    store = VideoStore(tmp_path)
    first = fetch_videos(uses(page, video), store, timeout=5)
    assert (sorted(first.fetched), first.diagnostics) == (sorted(uses(page, video)), [])
    again = fetch_videos(uses(page, video), VideoStore(tmp_path), timeout=5)
    assert (again.fetched, sorted(again.kept)) == ([], sorted(uses(page, video)))

    before = store.path_for(recognise(page)).read_text(encoding="utf-8")
    (media_folder / "lesson3.html").unlink()
    refreshed = fetch_videos(uses(page), VideoStore(tmp_path), refresh=True, timeout=5)
    fetched_at = json.loads(before)["fetched_at"]
    assert refreshed.diagnostics == [
        Diagnostic(
            "Lesson 3.md",
            1,
            "warning",
            "video-fetch-failed",
            f"could not fetch metadata of {page}: HTTP error 404",
            f"kept the metadata fetched at {fetched_at}",
        )
    ]
    assert store.path_for(recognise(page)).read_text(encoding="utf-8") == before


def test_a_site_that_does_not_answer_is_asked_only_once(tmp_path: Path) -> None:
    asked: list[str] = []
    lock = threading.Lock()

    def fetcher(source: VideoSource, timeout: float) -> VideoInfo:
        with lock:
            asked.append(source.url)
        if source.kind == "youtube":
            raise FetchError(f"no answer within {timeout:g} s", network=True)
        return VideoInfo(
            source.site, source.id, source.url, "Vimeo talk", None, 60.0, (), None, "t"
        )

    first, second, third = (
        f"https://youtu.be/{name}" for name in ("AAAAAAAAAAA", "BBBBBBBBBBB", "CCCCCCCCCCC")
    )
    report = fetch_videos(
        uses(first, second, third, VIMEO), VideoStore(tmp_path), timeout=2, fetcher=fetcher
    )
    assert sorted(asked) == [VIMEO, first]
    assert report.fetched == [recognise(VIMEO).key]
    skipped = f"not tried: the same site did not answer for {first}"
    assert [(d.line, d.severity, d.message) for d in report.diagnostics] == [
        (1, "error", f"could not fetch metadata of {first}: no answer within 2 s"),
        (2, "error", f"could not fetch metadata of {second}: {skipped}"),
        (3, "error", f"could not fetch metadata of {third}: {skipped}"),
    ]


def test_local_files_are_not_fetched(tmp_path: Path) -> None:
    def fetcher(source: VideoSource, timeout: float) -> VideoInfo:
        raise AssertionError(f"asked for {source.url}")

    report = fetch_videos(uses("file:///srv/talk.mp4"), VideoStore(tmp_path), fetcher=fetcher)
    assert (report.skipped, report.diagnostics) == ([recognise("file:///srv/talk.mp4").key], [])


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    videos.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    status = args.handler(args, out, err)
    return status, out.getvalue(), err.getvalue()


NOTE = """# {title}
```timestamp-url
 {url}
 ```

```timestamp
 0:30
 ```
### Start
"""


def vault_with(root: Path, **notes: str) -> Path:
    for title, url in notes.items():
        (root / f"{title}.md").write_text(NOTE.format(title=title, url=url), encoding="utf-8")
    return root


@pytest.mark.usefixtures("offline")
def test_videos_fetch_offline_finishes_in_seconds_with_one_report_per_video(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, A=YOUTUBE, B=VIMEO, C="https://youtu.be/hBBOjCiFcuo", D="talk.mp4")
    started = time.monotonic()
    status, out, _ = run("videos", "fetch", str(vault), "--timeout", "1")
    assert time.monotonic() - started < 10
    assert status == 1
    failed = "no answer within 1 s [video-fetch-failed]"
    assert out.splitlines() == [
        f"A.md:3: error: could not fetch metadata of {YOUTUBE}: {failed}",
        f"B.md:3: error: could not fetch metadata of {VIMEO}: {failed}",
        "3 videos: 0 fetched, 0 kept, 2 failed, 1 local",
    ]


def test_videos_fetch_stores_served_videos(media_server: str, tmp_path: Path) -> None:
    vault = vault_with(tmp_path, A=f"{media_server}/lesson3.html")
    assert run("videos", "fetch", str(vault)) == (
        0,
        "1 videos: 1 fetched, 0 kept, 0 failed, 0 local\n",
        "",
    )
    stored = VideoStore(vault).load(recognise(f"{media_server}/lesson3.html"))
    assert stored is not None and stored.title == "Lesson 3"


def test_videos_vtt_writes_the_notes_chapters(tmp_path: Path) -> None:
    (tmp_path / "vault" / ".obsidian").mkdir(parents=True)
    vault = vault_with(tmp_path / "vault", A=YOUTUBE)
    store = VideoStore(vault)
    info = VideoInfo("Youtube", "hBBOjCiFcuo", YOUTUBE, "Lesson 3", None, 90.0, (), None, "t")
    store.save(recognise(YOUTUBE), info)
    target = tmp_path / "out" / "A.vtt"
    target.parent.mkdir()
    assert run("videos", "vtt", str(vault / "A.md"), "-o", str(target)) == (0, "", "")
    assert target.read_text(encoding="utf-8") == (
        "WEBVTT\n\nchapter-1\n00:00:30.000 --> 00:01:30.000\nStart\n"
    )
    status, out, _ = run("videos", "vtt", str(vault / "A.md"))
    assert (status, out) == (0, target.read_text(encoding="utf-8"))


def test_videos_vtt_refuses_a_missing_note(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    assert run("videos", "vtt", str(missing)) == (
        2,
        "",
        f"notebook-runner: error: {missing} is not a file\n",
    )


@pytest.mark.usefixtures("offline")
def test_a_refresh_offline_keeps_the_stored_metadata_and_counts_it_kept(tmp_path: Path) -> None:
    """Each video's warning says its metadata was kept; the count says so too, instead
    of 'kept' in the warnings and '0 kept, 2 failed' in the summary."""
    vault = vault_with(tmp_path, A=YOUTUBE, B=VIMEO)
    for url, site in ((YOUTUBE, "Youtube"), (VIMEO, "Vimeo")):
        source = recognise(url)
        info = VideoInfo(site, source.id, url, "Talk", None, 90.0, (), None, "2026-01-02")
        VideoStore(vault).save(source, info)
    status, out, _ = run("videos", "fetch", str(vault), "--refresh", "--timeout", "1")
    kept = "no answer within 1 s (kept the metadata fetched at 2026-01-02) [video-fetch-failed]"
    assert (status, out.splitlines()) == (
        1,
        [
            f"A.md:3: warning: could not fetch metadata of {YOUTUBE}: {kept}",
            f"B.md:3: warning: could not fetch metadata of {VIMEO}: {kept}",
            "2 videos: 0 fetched, 2 kept (2 could not be refreshed), 0 failed, 0 local",
        ],
    )


def test_videos_vtt_of_a_note_without_timestamps_says_so(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    note = tmp_path / "Plain.md"
    note.write_text("# Plain\n\nNo times here.\n", encoding="utf-8")
    assert run("videos", "vtt", str(note)) == (
        1,
        "",
        f"notebook-runner: error: {note} has no timestamps\n",
    )
    vault = vault_with(tmp_path, A=YOUTUBE)
    assert run("videos", "vtt", str(vault / "A.md"), "--video", VIMEO) == (
        1,
        "",
        f"notebook-runner: error: {vault / 'A.md'} has no timestamps of {VIMEO}\n",
    )


def test_videos_vtt_reads_markdown_link_timestamps(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    note = tmp_path / "Talk.md"
    note.write_text(
        "---\nurl: https://youtu.be/hBBOjCiFcuo\n---\n## Intro\n"
        "[0:09](https://youtu.be/hBBOjCiFcuo?t=9) hello\n",
        encoding="utf-8",
    )
    status, out, _ = run("videos", "vtt", str(note))
    assert (status, out.splitlines()[2:4]) == (0, ["chapter-1", "00:00:09.000 --> 00:10:09.000"])
