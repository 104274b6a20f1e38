"""The preview server of `serve`: the in-memory site over HTTP, with live reload.

Python's `http.server` answers no Range requests, and without them Chromium cannot seek
a `<video>` (it silently stays at 0), so every response here honours a single
`Range: bytes=a-b` (`ranges.py`). Vault files are streamed from the disk, only the range
asked for, and only while their real path is still inside the vault
(`vault.open_inside`). HTML pages get a small live-reload script added on the way out
(the built files never contain it): it listens on `/_live/events` (Server-Sent Events)
and reloads the page when a rebuild changed files.
"""

from __future__ import annotations

import mimetypes
import os
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from notebook_runner.render.attachments import TEXT_PREFIX
from notebook_runner.render.videos import FILES_PREFIX
from notebook_runner.serve.live import LiveSite, Refresh
from notebook_runner.serve.ranges import ByteRange, requested_range
from notebook_runner.vault import open_inside

EVENTS_PATH = "/_live/events"
SCRIPT_PATH = "/_live/reload.js"
_RELOAD_SCRIPT = b"""(function () {
  var source = new EventSource("/_live/events");
  source.onmessage = function () { window.location.reload(); };
})();
"""
_TAG = f'<script src="{SCRIPT_PATH}"></script>\n</body>'.encode()
_EVENT_WAIT_S = 15.0
ATTACHMENT_FOLDERS = (FILES_PREFIX, TEXT_PREFIX)


class PreviewServer(ThreadingHTTPServer):
    """Serves `live.site`; `publish` tells open pages that a rebuild changed files."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], live: LiveSite) -> None:
        super().__init__(address, _Handler)
        self.live = live
        self.lock = threading.Lock()
        self.version = 0
        self.changed = threading.Condition(self.lock)

    def refresh(self, paths: list[Path]) -> Refresh:
        with self.lock:
            result = self.live.refresh(paths)
            if result.changed:
                self.version += 1
                self.changed.notify_all()
        return result

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """A browser that stops a video download half-way or leaves a page while it loads
        closes the connection under us: normal, not worth a traceback on the console.
        Anything else is reported as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def lookup(self, path: str) -> tuple[bytes | Path | None, str]:
        """The body (bytes in memory or a vault file) for a site path, and its type."""
        with self.lock:
            site = self.live.site
            found: bytes | Path | None = site.files.get(path) or site.copies.get(path)
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        return found, kind


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the command reports rebuilds, not every request."""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS_PATH:
            self._events()
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, _RELOAD_SCRIPT, "text/javascript; charset=utf-8", with_body)
            return
        name = path.lstrip("/")
        if name == "" or name.endswith("/"):
            name += "index.html"
        body, kind = self.server.lookup(name)
        sandbox = name.startswith(ATTACHMENT_FOLDERS)
        if isinstance(body, Path):
            opened = open_inside(body, self.server.live.root)
            if opened is not None:
                with opened:
                    self._send_file(opened, kind, with_body, sandbox)
                return
            body = None  # gone, or now a link out of the vault: as if never there
        status = HTTPStatus.OK
        if body is None:
            body, kind = self.server.lookup("404.html")
            status = HTTPStatus.NOT_FOUND
        data = body if isinstance(body, bytes) else b""
        if status == HTTPStatus.NOT_FOUND:
            # The 404 page links relative to the site root, but is shown at any depth.
            data = data.replace(b"<head>", b'<head>\n<base href="/">', 1)
        if kind.startswith("text/html"):
            data = data.replace(b"</body>", _TAG, 1)
        self._send(status, data, kind, with_body, sandbox and status == HTTPStatus.OK)

    def _send(
        self, status: HTTPStatus, data: bytes, kind: str, with_body: bool, sandbox: bool = False
    ) -> None:
        """A page or file in memory, whole or the range asked for."""
        part = requested_range(self.headers.get("Range"), len(data)) if status == 200 else None
        if part == "unsatisfiable":
            self._unsatisfiable(len(data))
            return
        self._headers(status, kind, len(data), part, sandbox)
        if with_body:
            start, end = (0, len(data)) if part is None else (part.start, part.end + 1)
            self.wfile.write(data[start:end])

    def _send_file(self, file: BinaryIO, kind: str, with_body: bool, sandbox: bool) -> None:
        """A vault file, streamed straight from the disk: a range of a 1 GiB lecture
        reads only that range, and memory stays the same whatever the file's size."""
        size = os.fstat(file.fileno()).st_size
        part = requested_range(self.headers.get("Range"), size)
        if part == "unsatisfiable":
            self._unsatisfiable(size)
            return
        self._headers(HTTPStatus.OK, kind, size, part, sandbox)
        if with_body and size:
            start, length = (0, size) if part is None else (part.start, part.length)
            self.connection.sendfile(file, start, length)

    def _headers(
        self, status: HTTPStatus, kind: str, size: int, part: ByteRange | None, sandbox: bool
    ) -> None:
        """`sandbox`: a vault file, which must not act in the site's origin even if it
        is a document (`attachments.py`): it gets an opaque origin, and no type guessed."""
        self.send_response(status if part is None else HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", kind)
        self.send_header("X-Content-Type-Options", "nosniff")
        if sandbox:
            self.send_header("Content-Security-Policy", "sandbox")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        if part is not None:
            self.send_header("Content-Range", f"bytes {part.start}-{part.end}/{size}")
        self.send_header("Content-Length", str(size if part is None else part.length))
        self.end_headers()

    def _unsatisfiable(self, size: int) -> None:
        self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
        self.send_header("Content-Range", f"bytes */{size}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self) -> None:
        """One Server-Sent Event per rebuild that changed something; a comment keeps the
        connection alive so proxies and browsers do not drop it."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with self.server.lock:
            seen = self.server.version
        try:
            while True:
                current = self._wait_for_change(seen)
                message = b": ping\n\n" if current == seen else b"data: reload\n\n"
                seen = current
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _wait_for_change(self, seen: int) -> int:
        server = self.server
        with server.changed:
            server.changed.wait_for(lambda: server.version != seen, _EVENT_WAIT_S)
            return server.version
