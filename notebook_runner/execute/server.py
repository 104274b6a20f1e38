"""The warm fork server, server side: preload once, then fork one process per note.

Started by `execute.launchers.ForkServer` as `python -c ...` with the runner's
`sys.path`. It only imports: a parent that has run a torch op with several threads
would deadlock its forked children. It is a child subreaper, so processes a snippet left
behind are reaped too, and it kills what is left when the runner closes the socket.
The protocol is described in `execute.launchers`.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import os
import select
import signal
import socket
import sys

from notebook_runner.execute.launchers import kill_group
from notebook_runner.execute.limits import prepare_for_fork
from notebook_runner.execute.protocol import MessageReader, encode
from notebook_runner.execute.sandbox import NoteJob, run_job

EXIT_RUNNER_LOST = 3
"""The server's exit status when the connection broke instead of ending."""


def serve(socket_fd: int, preload: tuple[str, ...]) -> int:
    """The server's exit status: 0 when the runner closed the connection in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle
    _become_subreaper()
    _preload(preload)
    channel = socket.socket(fileno=socket_fd)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, int] = {}
    try:
        _serve_loop(channel, (wake_read, wake_write), children)
    except ConnectionError:  # the runner died without closing: not a clean end
        return EXIT_RUNNER_LOST
    finally:
        for pid in children:
            kill_group(pid)
    return 0


def _preload(modules: tuple[str, ...]) -> None:
    """Import quietly: warnings printed at import time (e.g. torch without numpy) are
    not the user's business here, and a failing import is reported by the note process.

    Then do the note processes' common set-up once (`prepare_for_fork`), and freeze
    everything out of the garbage collector's reach: a note process's collections then
    never walk the server's objects, so they do not copy their pages (copy-on-write)
    into every note process."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for module in modules:
            with contextlib.suppress(BaseException):
                __import__(module)
    prepare_for_fork()
    gc.freeze()


def _serve_loop(channel: socket.socket, wake: tuple[int, int], children: dict[int, int]) -> None:
    reader = MessageReader()
    while True:
        readable, _, _ = select.select([channel.fileno(), wake[0]], [], [])
        if wake[0] in readable:
            with contextlib.suppress(BlockingIOError):
                os.read(wake[0], 4096)
            _reap(children, channel)
        if channel.fileno() in readable:
            data = channel.recv(1 << 16)
            if not data:
                return
            for job_id, job in reader.feed(data):
                pid = _fork_note(job, channel, wake)
                children[pid] = job_id
                channel.sendall(encode(("started", job_id, pid)))


def _fork_note(job: NoteJob, channel: socket.socket, wake: tuple[int, int]) -> int:
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in wake:
            os.close(fd)
        channel.close()
        os.setpgid(0, 0)
        run_job(job)
    with contextlib.suppress(OSError):  # both sides set it: no window without a group
        os.setpgid(pid, pid)
    return pid


def _reap(children: dict[int, int], channel: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        job_id = children.pop(pid, None)
        if job_id is not None:
            channel.sendall(encode(("exited", job_id, os.waitstatus_to_exitcode(status))))


def _become_subreaper() -> None:
    if not sys.platform.startswith("linux"):
        return
    pr_set_child_subreaper = 36
    ctypes.CDLL(None).prctl(pr_set_child_subreaper, 1, 0, 0, 0)
