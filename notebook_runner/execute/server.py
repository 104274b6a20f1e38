"""The warm fork server, server side: preload once, then fork one process per note.

Started by `execute.launchers.ForkServer` as `python -c ...` with the runner's
`sys.path`. It only imports: a parent that has run a torch op with several threads
would deadlock its forked children. The protocol is described in `execute.launchers`.

The process the runner starts is a small keeper; the server is its child, in a process
group of its own. Both are child subreapers (see `processes`), and so is every note
process: what a note leaves when its process ends is re-parented to the server, which
kills it at once (`kill_strays`), and everything left when the runner closes the socket.
A note can still kill its parent, the server, other than through `os.kill` (which
`audit` refuses), e.g. with a shell's `kill`: the note processes then die with it
(`die_with_parent`), what they had started is re-parented to the keeper, which ends it
all and exits, and the runner starts a new server. A server a
note stopped (SIGSTOP) is continued by the keeper. The server ignores SIGTERM, SIGHUP
and SIGINT (Ctrl-C is the runner's to handle): it ends when the runner closes the
connection, or dies.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import select
import signal
import socket

from notebook_runner.execute.failures import SIGNAL_STATUS
from notebook_runner.execute.launchers import kill_group
from notebook_runner.execute.limits import become_subreaper, die_with_parent, prepare_for_fork
from notebook_runner.execute.processes import end_children, kill_strays
from notebook_runner.execute.protocol import MessageReader, encode
from notebook_runner.execute.sandbox import NoteJob, run_job

EXIT_RUNNER_LOST = 3
"""The server's exit status when the connection broke instead of ending."""
IGNORED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def serve(socket_fd: int, preload: tuple[str, ...]) -> int:
    """The exit status of the keeper (the server's), or of the server in its child."""
    for signum in IGNORED:
        signal.signal(signum, signal.SIG_IGN)
    become_subreaper()
    server = os.fork()
    if server:
        os.close(socket_fd)  # the runner sees end of file as soon as the server is gone
        return _keep(server)
    os.setpgid(0, 0)  # a note signalling its parent's process group misses the keeper
    become_subreaper()  # not inherited through fork
    die_with_parent()
    return _serve(socket_fd, preload)


def _keep(server: int) -> int:
    while True:
        _, status = os.waitpid(server, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            break
        os.kill(server, signal.SIGCONT)
    end_children()
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else SIGNAL_STATUS - code


def _serve(socket_fd: int, preload: tuple[str, ...]) -> int:
    """0 when the runner closed the connection in order."""
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
        end_children()
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
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
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
    """Report the note processes that ended, then end what they left behind."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        job_id = children.pop(pid, None)
        if job_id is not None:
            channel.sendall(encode(("exited", job_id, os.waitstatus_to_exitcode(status))))
    kill_strays(children)
