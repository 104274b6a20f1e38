"""`serve`: the in-memory site over HTTP, Range requests, and page-by-page refresh."""

from __future__ import annotations

import http.client
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synth import generate_vault
from notebook_runner.serve.live import LiveSite
from notebook_runner.serve.server import EVENTS_PATH, SCRIPT_PATH, PreviewServer

FIXTURE_VAULT = Path(__file__).resolve().parent / "fixtures" / "site" / "vault"
VIDEO = bytes(range(256)) * 4


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(FIXTURE_VAULT, copy)
    (copy / "media" / "lecture.mp4").write_bytes(VIDEO)
    return copy


@pytest.fixture
def server(vault: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(("127.0.0.1", 0), LiveSite(vault))
    thread = threading.Thread(
        target=preview.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield preview
    preview.shutdown()
    preview.server_close()


def _get(server: PreviewServer, path: str, **headers: str) -> http.client.HTTPResponse:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=5)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_pages_are_served_with_the_reload_script(server: PreviewServer) -> None:
    response = _get(server, "/")
    body = response.read()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    tag = f'<script src="{SCRIPT_PATH}"></script>\n</body>'.encode()
    assert body == server.live.site.files["index.html"].replace(b"</body>", tag, 1)
    assert tag not in server.live.site.files["index.html"]  # built pages never carry it


def test_unknown_paths_get_the_404_page(server: PreviewServer) -> None:
    response = _get(server, "/no/such/page.html")
    assert response.status == 404
    body = response.read()
    assert b"Page not found" in body
    assert body.startswith(b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<base href="/">\n')


def test_percent_encoded_paths_are_found(server: PreviewServer) -> None:
    assert _get(server, "/topics/convolutions.html").status == 200
    assert _get(server, "/_tags/ml/vision.html").status == 200


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, 1023), ("bytes=-24", 1000, 1023)],
)
def test_range_requests_return_partial_content(
    server: PreviewServer, header: str, start: int, end: int
) -> None:
    response = _get(server, "/_files/media/lecture.mp4", Range=header)
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes {start}-{end}/{len(VIDEO)}"
    assert response.getheader("Accept-Ranges") == "bytes"
    assert response.read() == VIDEO[start : end + 1]


def test_unsatisfiable_range_is_416(server: PreviewServer) -> None:
    response = _get(server, "/_files/media/lecture.mp4", Range="bytes=5000-6000")
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{len(VIDEO)}"


def test_whole_file_without_range(server: PreviewServer) -> None:
    response = _get(server, "/_files/media/lecture.mp4")
    assert (response.status, response.getheader("Content-Type")) == (200, "video/mp4")
    assert response.read() == VIDEO


def test_editing_a_note_rerenders_it_and_what_shows_it(vault: Path) -> None:
    live = LiveSite(vault)
    note = vault / "Topics" / "Convolutions.md"
    note.write_text(note.read_text().replace("## Padding", "## Strides"))
    refresh = live.refresh([note])
    assert not refresh.full
    # the note with its notebook and chapters track (both hold the heading), Home (links
    # to it and embeds it: re-rendered, unchanged), and the search index
    assert refresh.changed == {
        "topics/convolutions.html",
        "_files/notebooks/topics/convolutions.ipynb",
        "_files/_chapters/topics/convolutions-video-1.vtt",
        "_static/search-index.js",
    }
    assert refresh.rendered_notes == 2
    assert b'id="strides"' in live.site.files["topics/convolutions.html"]


@pytest.mark.parametrize(
    "edit",
    [
        ("Cycle A.md", "Now linking [[Home]] and [[Topics/Convolutions]] #fresh #ml/new\n"),
        ("Home.md", "---\ntags: [Start]\n---\n# Welcome\nNo links any more.\n"),
        ("Topics/Convolutions.md", "# Renamed\nOnly text, [[Cycle B]] and #ML.\n"),
    ],
    ids=["links and tags added", "links and tags removed", "headings replaced"],
)
def test_an_incremental_refresh_gives_the_site_a_full_build_gives(
    vault: Path, edit: tuple[str, str]
) -> None:
    live = LiveSite(vault)
    path, text = edit
    (vault / path).write_text(text, encoding="utf-8")
    refresh = live.refresh([vault / path])
    assert not refresh.full
    fresh = LiveSite(vault)
    assert live.site.files == fresh.site.files
    assert live.site.copies == fresh.site.copies


def test_adding_a_note_rebuilds_everything(vault: Path) -> None:
    live = LiveSite(vault)
    new = vault / "New.md"
    new.write_text("Links to [[Home]].\n")
    refresh = live.refresh([new])
    assert refresh.full
    assert "new.html" in live.site.files
    assert b"new.html" in live.site.files["home.html"]  # backlink on Home


def test_changes_in_the_state_folder_are_ignored(vault: Path) -> None:
    live = LiveSite(vault)
    state = vault / ".notebook-runner" / "cache" / "x.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text("{}")
    assert live.refresh([state]).changed == frozenset()


def test_event_stream_announces_a_rebuild(server: PreviewServer, vault: Path) -> None:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=5)
    connection.request("GET", EVENTS_PATH)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    note = vault / "Home.md"
    time.sleep(0.1)
    note.write_text(note.read_text() + "\nMore text.\n")
    server.refresh([note])
    assert response.fp.readline() == b"data: reload\n"


@pytest.mark.slow
def test_one_note_edit_refreshes_a_1000_note_vault_in_under_300_ms(tmp_path: Path) -> None:
    generate_vault(tmp_path / "vault", 1000, seed=3)
    live = LiveSite(tmp_path / "vault")
    timings = []
    for note in sorted((tmp_path / "vault").rglob("*.md"))[:5]:
        note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        started = time.perf_counter()
        refresh = live.refresh([note])
        timings.append(time.perf_counter() - started)
        assert not refresh.full and refresh.changed
    assert sorted(timings)[len(timings) // 2] < 0.3


def test_a_client_that_hangs_up_is_not_reported_but_other_errors_are(
    server: PreviewServer, capsys: pytest.CaptureFixture[str]
) -> None:
    for error in (BrokenPipeError(), ConnectionResetError(), ValueError("bug")):
        with socket.socket() as connection:
            try:
                raise error
            except Exception:
                server.handle_error(connection, ("127.0.0.1", 1))
    reported = capsys.readouterr().err
    assert reported.count("Exception occurred during processing of request") == 1
    assert "ValueError: bug" in reported
