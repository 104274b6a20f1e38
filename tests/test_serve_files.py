"""`serve` and the vault's files: only files inside the vault, only the bytes asked for.

Issue 13, items 9 and 10: an attachment swapped for a symlink to a file outside the vault
while serving was served; a Range request read the whole file (1-4 s and 1 GiB of memory
for 1 KiB of a 1 GiB lecture), and a 5,000-digit Range value raised instead of answering.
"""

from __future__ import annotations

import http.client
import os
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from serve_support import get, previewing

from notebook_runner.serve.ranges import ByteRange, requested_range
from notebook_runner.serve.server import PreviewServer

NOTE = "# Lecture\n\n![[lecture.mp4]]\n\n[[handout.txt]] [[other.txt]]\n"
HANDOUT = b"the handout\n"
SECRET = b"root:x:0:0:secret outside the vault\n"
VIDEO = bytes(range(256)) * 4
GIB = 1 << 30
MARKS = {0: b"HEAD", 512 << 20: b"MIDDLE", GIB - 4: b"TAIL"}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Lecture.md").write_text(NOTE, encoding="utf-8")
    (root / "lecture.mp4").write_bytes(VIDEO)
    (root / "handout.txt").write_bytes(HANDOUT)
    (root / "other.txt").write_bytes(b"other\n")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    return root


@pytest.fixture
def server(vault: Path) -> Iterator[PreviewServer]:
    yield from previewing(vault)


# --- item 9: files outside the vault -------------------------------------------------------


def test_an_attachment_swapped_for_a_link_out_of_the_vault_is_not_served(
    server: PreviewServer, vault: Path
) -> None:
    assert get(server, "/_files/handout.txt")[::2] == (200, HANDOUT)
    (vault / "handout.txt").unlink()
    (vault / "handout.txt").symlink_to(vault.parent / "secret.txt")
    status, _, body = get(server, "/_files/handout.txt")
    assert status == 404
    assert SECRET not in body
    status, _, body = get(server, "/_files/handout.txt", Range="bytes=0-9")
    assert (status, SECRET[:10] in body) == (404, False)


def test_an_attachment_swapped_for_a_link_to_etc_passwd_is_not_served(
    server: PreviewServer, vault: Path
) -> None:
    (vault / "handout.txt").unlink()
    (vault / "handout.txt").symlink_to("/etc/passwd")
    status, _, body = get(server, "/_files/handout.txt")
    assert status == 404
    assert b"root:" not in body


def test_a_link_to_another_file_of_the_vault_is_still_served(
    server: PreviewServer, vault: Path
) -> None:
    (vault / "handout.txt").unlink()
    (vault / "handout.txt").symlink_to(vault / "other.txt")
    assert get(server, "/_files/handout.txt")[::2] == (200, b"other\n")


def test_an_attachment_replaced_by_a_named_pipe_does_not_hang_the_request(
    server: PreviewServer, vault: Path
) -> None:
    (vault / "handout.txt").unlink()
    os.mkfifo(vault / "handout.txt")
    assert get(server, "/_files/handout.txt")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/_files/../../secret.txt",
        "/_files/%2e%2e/%2e%2e/secret.txt",
        "/_files/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/_files/..%5c..%5csecret.txt",
        "/_files\\..\\..\\secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2Fetc%2Fpasswd",
        "http://evil.example/etc/passwd",
        "/_files/handout.txt%00.html",
        "/_files/handout.txt%00",
        "/_files/HANDOUT.TXT",
    ],
)
def test_paths_that_leave_the_site_are_not_found(
    server: PreviewServer, vault: Path, path: str
) -> None:
    status, _, body = get(server, path)
    assert status == 404
    assert SECRET not in body and b"root:" not in body and HANDOUT not in body


# --- item 10: ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=1000-", ByteRange(1000, 1023)),
        ("bytes=-24", ByteRange(1000, 1023)),
        ("bytes=-5000", ByteRange(0, 1023)),
        ("bytes=1000-99999", ByteRange(1000, 1023)),
        ("Bytes = 0 - 0", ByteRange(0, 0)),
        ("bytes=0-" + "9" * 5000, ByteRange(0, 1023)),
        ("bytes=-" + "9" * 5000, ByteRange(0, 1023)),
        ("bytes=" + "0" * 5000 + "5-" + "0" * 5000 + "6", ByteRange(5, 6)),
        ("bytes=1024-", "unsatisfiable"),
        ("bytes=1024-2000", "unsatisfiable"),
        ("bytes=" + "9" * 5000 + "-", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        (None, None),
        ("", None),
        ("bytes=0-1,5-9", None),
        ("bytes=5-2", None),
        ("bytes=-", None),
        ("items=0-5", None),
        ("bytes=a-b", None),
        ("bytes=0x10-", None),
        ("bytes=٣-٤", None),
    ],
)
def test_range_headers_are_read_as_rfc_9110_says(
    header: str | None, expected: ByteRange | str | None
) -> None:
    assert requested_range(header, 1024) == expected


def test_any_range_of_an_empty_file_is_unsatisfiable() -> None:
    assert requested_range("bytes=0-", 0) == "unsatisfiable"
    assert requested_range("bytes=-5", 0) == "unsatisfiable"


@pytest.mark.parametrize(
    ("header", "status", "content_range", "body"),
    [
        ("bytes=0-" + "9" * 5000, 206, "bytes 0-1023/1024", VIDEO),
        ("bytes=" + "9" * 5000 + "-", 416, "bytes */1024", b""),
        ("bytes=0-1,5-9", 200, None, VIDEO),
        ("bytes=5-2", 200, None, VIDEO),
        ("bytes=-500", 206, "bytes 524-1023/1024", VIDEO[524:]),
        ("bytes=500-", 206, "bytes 500-1023/1024", VIDEO[500:]),
        ("bytes=1000-5000", 206, "bytes 1000-1023/1024", VIDEO[1000:]),
        ("bytes=2000-", 416, "bytes */1024", b""),
    ],
)
def test_the_server_answers_every_range_header(
    server: PreviewServer, header: str, status: int, content_range: str | None, body: bytes
) -> None:
    got_status, headers, got_body = get(server, "/_files/lecture.mp4", Range=header)
    assert (got_status, headers.get("Content-Range"), got_body) == (status, content_range, body)
    assert headers["Content-Length"] == str(len(body))


def test_a_range_of_a_file_in_memory_is_answered_too(server: PreviewServer) -> None:
    css = server.live.site.files["_static/site.css"]
    status, headers, body = get(server, "/_static/site.css", Range="bytes=0-14")
    assert (status, headers["Content-Range"], body) == (206, f"bytes 0-14/{len(css)}", css[:15])


def test_head_sends_the_headers_of_the_range_and_no_body(server: PreviewServer) -> None:
    status, headers, body = get(server, "/_files/lecture.mp4", "HEAD", Range="bytes=-24")
    assert (status, headers["Content-Range"], headers["Content-Length"], body) == (
        206,
        "bytes 1000-1023/1024",
        "24",
        b"",
    )


@pytest.fixture
def big_server(vault: Path) -> Iterator[PreviewServer]:
    """The vault's lecture as a sparse 1 GiB file with marks at the start, middle and end."""
    with (vault / "lecture.mp4").open("wb") as video:
        video.truncate(GIB)
        for offset, mark in MARKS.items():
            video.seek(offset)
            video.write(mark)
    yield from previewing(vault)


def _expected(start: int, end: int) -> bytes:
    """Bytes `start`..`end` of the sparse lecture, built from its marks."""
    data = bytearray(end - start + 1)
    for offset, mark in MARKS.items():
        for index, byte in enumerate(mark):
            if start <= offset + index <= end:
                data[offset + index - start] = byte
    return bytes(data)


@pytest.mark.slow
def test_ranges_of_a_1_gib_lecture_are_exact_and_memory_stays_small(
    big_server: PreviewServer,
) -> None:
    ranges = {
        "bytes=0-1023": (0, 1023),
        "bytes=536870910-536870925": (536870910, 536870925),
        "bytes=-500": (GIB - 500, GIB - 1),
        f"bytes={GIB - 10}-": (GIB - 10, GIB - 1),
        f"bytes={GIB - 2}-{GIB * 4}": (GIB - 2, GIB - 1),
    }
    asked = list(ranges) * 4
    tracemalloc.start()
    try:
        with ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(lambda h: get(big_server, "/_files/lecture.mp4", Range=h), asked)
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    for header, (status, headers, body) in zip(asked, answers, strict=True):
        start, end = ranges[header]
        assert (status, headers["Content-Range"]) == (206, f"bytes {start}-{end}/{GIB}")
        assert body == _expected(start, end)
    assert peak < 8 << 20


@pytest.mark.slow
def test_the_whole_1_gib_lecture_streams_in_bounded_memory(big_server: PreviewServer) -> None:
    host, port = big_server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=30)
    tracemalloc.start()
    try:
        connection.request("GET", "/_files/lecture.mp4")
        response = connection.getresponse()
        received, tail = 0, b""
        while chunk := response.read(1 << 20):
            received += len(chunk)
            tail = (tail + chunk)[-4:]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        connection.close()
    assert (response.status, received, tail) == (200, GIB, b"TAIL")
    assert peak < 16 << 20
