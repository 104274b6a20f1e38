"""The preview server of `serve`: the in-memory site over HTTP, with live reload.

Python's `http.server` answers no Range requests, and without them Chromium cannot seek
a `<video>` (it silently stays at 0), so every response here honours a single
`Range: bytes=a-b`. HTML pages get a small live-reload script added on the way out
(the built files never contain it): it listens on `/_live/events` (Server-Sent Events)
and reloads the page when a rebuild changed files.
"""

from __future__ import annotations

import mimetypes
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from notebook_runner.serve.live import LiveSite, Refresh

EVENTS_PATH = "/_live/events"
SCRIPT_PATH = "/_live/reload.js"
_RELOAD_SCRIPT = b"""(function () {
  var source = new EventSource("/_live/events");
  source.onmessage = function () { window.location.reload(); };
})();
"""
_TAG = f'<script src="{SCRIPT_PATH}"></script>\n</body>'.encode()
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_EVENT_WAIT_S = 15.0


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
        status = HTTPStatus.OK
        if body is None:
            body, kind = self.server.lookup("404.html")
            status = HTTPStatus.NOT_FOUND
        data = body.read_bytes() if isinstance(body, Path) else (body or b"")
        if status == HTTPStatus.NOT_FOUND:
            # The 404 page links relative to the site root, but is shown at any depth.
            data = data.replace(b"<head>", b'<head>\n<base href="/">', 1)
        if kind.startswith("text/html"):
            data = data.replace(b"</body>", _TAG, 1)
        self._send(status, data, kind, with_body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, with_body: bool) -> None:
        start, end = 0, len(data) - 1
        requested = self.headers.get("Range")
        if requested and status == HTTPStatus.OK:
            parsed = _parse_range(requested, len(data))
            if parsed is None:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = parsed
            status = HTTPStatus.PARTIAL_CONTENT
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(max(0, end - start + 1)))
        self.end_headers()
        if with_body:
            self.wfile.write(data[start : end + 1])

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


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """`bytes=a-b`, `bytes=a-` or `bytes=-n` (the last n bytes); None if unsatisfiable."""
    match = _RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end and start < size else None
