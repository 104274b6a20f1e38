"""Servers run in a thread for the length of a test: `serve`'s preview, or a plain host."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

from notebook_runner.serve.live import LiveSite
from notebook_runner.serve.server import PreviewServer

Server = TypeVar("Server", bound=ThreadingHTTPServer)


def running(server: Server) -> Iterator[Server]:
    """`server`, answering in a thread until the generator is closed."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def previewing(vault: Path) -> Iterator[PreviewServer]:
    """`serve`'s server for `vault`, on a free port."""
    yield from running(PreviewServer(("127.0.0.1", 0), LiveSite(vault)))


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


def get(
    server: ThreadingHTTPServer, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request, on a connection of its own."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
