"""Starting note processes, runner side: a warm fork server, or one interpreter per note.

The fork server (`execute.server`) is a separate, single-threaded Python process that
imports the configured modules (e.g. torch) once and then forks one child per note, so
no note pays Python and torch start-up. It is separate from the runner because the
runner (a CLI with a progress bar, or pytest) may have threads of its own, and forking
a multi-threaded process is unsafe.

This module is what the runner needs to start and talk to it, and nothing more: `check`
starts the server before it imports the parser and the runner, so every import here
delays the server's preload (torch: over a second), which is the longest step of a
check of torch notes.

Protocol on the runner <-> server socket: the runner sends `(job_id, NoteJob)`; the
server answers `("started", job_id, pid)` and, once it has reaped the child,
`("exited", job_id, exit_code)` (negative: killed by that signal). It exits when the
runner closes the socket (including when the runner dies), killing what is left. If
the server dies first (a note can kill its parent), `events` ends with
`("lost", 0, status)`, the status of its keeper (128 + N: the server was killed by
signal N), and `restarted` gives a new server in its place.

Where `fork` is unavailable, `SpawnLauncher` starts `python` per note instead, with the
same job and the same reporting.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Protocol

from notebook_runner.execute.protocol import MessageReader, encode, read_available

if TYPE_CHECKING:
    from notebook_runner.execute.sandbox import NoteJob

Event = tuple[str, int, int]

CLOSE_TIMEOUT_S = 5.0
"""How long closing waits for the server (and the notes it kills) before killing it."""

# `os._exit`: tearing down an interpreter that imported torch takes the better part of a
# second, which the runner would wait for on every check; the server has nothing to flush.
_SERVER_BOOT = (
    "import os, sys, json; sys.path[:] = json.loads(sys.argv[1]); "
    "from notebook_runner.execute.server import serve; "
    "os._exit(serve(int(sys.argv[2]), tuple(json.loads(sys.argv[3]))))"
)
_CHILD_BOOT = (
    "import sys, json, pickle; sys.path[:] = json.loads(sys.argv[1]); "
    "from notebook_runner.execute.sandbox import run_job; run_job(pickle.load(sys.stdin.buffer))"
)


class Launcher(Protocol):
    def start(self, job_id: int, job: NoteJob) -> None: ...

    def fileno(self) -> int | None:
        """A descriptor that becomes readable when events arrive; None: poll."""

    def events(self) -> list[Event]: ...

    def restarted(self) -> Launcher:
        """A working launcher in place of one whose events ended with "lost"."""


def kill_group(pid: int) -> None:
    """SIGKILL the note process and everything it started in its process group."""
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(target, signal.SIGKILL)


class ForkServer:
    def __init__(self, preload: tuple[str, ...]) -> None:
        self.preload = preload
        self._socket, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _SERVER_BOOT,
                json.dumps(sys.path),
                str(theirs.fileno()),
                json.dumps(list(preload)),
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            process_group=0,  # Ctrl-C is the runner's; a note's group kill spares it
        )
        theirs.close()
        self._socket.setblocking(False)
        self._reader = MessageReader()
        self.used = False

    def start(self, job_id: int, job: NoteJob) -> None:
        """A server that died meanwhile is not an error here: its end of file, read by
        `events`, reports it."""
        self.used = True
        self._socket.setblocking(True)
        try:
            self._socket.sendall(encode((job_id, job)))
        except OSError:
            pass
        finally:
            self._socket.setblocking(False)

    def fileno(self) -> int | None:
        return self._socket.fileno()

    def events(self) -> list[Event]:
        try:
            messages, eof = read_available(self._socket.fileno(), self._reader)
        except ConnectionError:
            messages, eof = [], True
        if eof:
            messages.append(("lost", 0, self._ended()))
        return messages

    def _ended(self) -> int:
        """The keeper's status once it has ended what the dead server left behind."""
        try:
            return self.process.wait(timeout=CLOSE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def restarted(self) -> ForkServer:
        return replace_fork_server(self)

    def close(self) -> None:
        """Stop the server with an orderly end of file, then wait for it to exit.

        The runner stops reading once it has every note's results, so the server's last
        `exited` events are usually still unread here. Closing a Unix socket that holds
        unread data makes the kernel reset the connection instead of ending it, and the
        server then meets `ConnectionResetError` where it expects end of file. So shut our
        sending side first, drop whatever the server still sends until it closes its end
        (it does so on our end of file), and only then close."""
        deadline = time.monotonic() + CLOSE_TIMEOUT_S
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_WR)
            self._drain(deadline)
        self._socket.close()
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _drain(self, deadline: float) -> None:
        self._socket.setblocking(True)
        while (left := deadline - time.monotonic()) > 0:
            self._socket.settimeout(left)
            if not self._socket.recv(1 << 16):
                return

    def discard(self) -> None:
        """Stop a server that never started a note, at once: it may still be importing
        its preload (torch: over a second), which an orderly close would wait for."""
        self._socket.close()
        self.process.kill()
        self.process.wait()


class SpawnLauncher:
    """One fresh interpreter per note: slower, but needs nothing beyond subprocess."""

    def __init__(self) -> None:
        self._processes: dict[int, subprocess.Popen[bytes]] = {}
        self._queued: list[Event] = []

    def start(self, job_id: int, job: NoteJob) -> None:
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD_BOOT, json.dumps(sys.path)],
            stdin=subprocess.PIPE,
            start_new_session=True,
        )
        assert process.stdin is not None
        process.stdin.write(pickle.dumps(job))
        process.stdin.close()
        self._processes[job_id] = process
        self._queued.append(("started", job_id, process.pid))

    def fileno(self) -> int | None:
        return None

    def restarted(self) -> SpawnLauncher:
        return self  # never lost

    def events(self) -> list[Event]:
        events, self._queued = self._queued, []
        for job_id, process in list(self._processes.items()):
            code = process.poll()
            if code is not None:
                events.append(("exited", job_id, code))
                del self._processes[job_id]
        return events


_server: ForkServer | None = None


def start_launcher(preload: tuple[str, ...], start_method: str | None = None) -> None:
    """Start the fork server ahead of `check_notes`, which will then use it: its preload
    import (torch: over a second) overlaps with whatever the caller does meanwhile, such
    as importing the parser and reading the vault. A server no note ended up needing is
    stopped at exit without waiting for its import."""
    if uses_fork_server(start_method):
        fork_server(preload)


def uses_fork_server(start_method: str | None) -> bool:
    return start_method != "spawn" and hasattr(os, "fork")


def fork_server(preload: tuple[str, ...]) -> ForkServer:
    """The warm server, reused across checks in one runner process (pytest runs one
    check per note) and restarted only when the preload list changes."""
    global _server
    if _server is not None and (_server.preload != preload or _server.process.poll() is not None):
        _server.close()
        _server = None
    if _server is None:
        _server = ForkServer(preload)
    return _server


def replace_fork_server(lost: ForkServer) -> ForkServer:
    """A new server with the same preload, in the place of one that died (also as the
    one later checks in this process use)."""
    global _server
    lost.close()
    server = ForkServer(lost.preload)
    if _server is lost:
        _server = server
    return server


@atexit.register
def _stop_server() -> None:
    global _server
    if _server is not None:
        if _server.used:
            _server.close()
        else:
            _server.discard()
        _server = None
