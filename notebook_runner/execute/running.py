"""One started note as the runner sees it: its FIFOs, its messages, its results.

The note process talks to the runner over three FIFOs in its scratch folder: the
message channel (`("start", i)`, `("done", i, BlockResult)`, `("end",)`, see
`sandbox`) and its fds 1 and 2 (`capture.OutputStream`). The runner holds a writing
end of each too, so that none reads as ended before the note process opens it.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any

from notebook_runner.execute.capture import OutputStream
from notebook_runner.execute.failures import locate_crash, with_source
from notebook_runner.execute.plan import NotePlan
from notebook_runner.execute.protocol import MessageReader, read_available
from notebook_runner.execute.results import BlockError, BlockResult, not_run

FINAL_READS = 64
"""Reads of each output FIFO once the note is over: its last markers are in the pipe
buffer; only a leftover process still writing could make more."""


@dataclass
class Running:
    """`current` is the block the note is in (the last `start` message): the block a
    crash, a timeout or a fork bomb is blamed on. `alone`: run while no other note
    runs (see `scheduler`)."""

    job_id: int
    plan: NotePlan
    folder: str
    work_dir: str
    channel: int
    streams: tuple[OutputStream, OutputStream]
    keep_open: tuple[int, ...]
    started: float
    alone: bool = False
    pid: int | None = None
    current: int | None = None
    deadline: float | None = None
    ended: bool = False
    inputs: tuple[str, ...] | None = None
    note_file: str = ""
    source: tuple[int, ...] | None = None
    """The note file's stat when the note started (`file_stamp`)."""
    reader: MessageReader = field(default_factory=MessageReader)
    results: dict[int, BlockResult] = field(default_factory=dict)

    @classmethod
    def open(cls, job_id: int, plan: NotePlan, folder: str, work_dir: str) -> Running:
        channel, keep_channel = _fifo(os.path.join(folder, "channel"))
        stdout, keep_stdout = _fifo(os.path.join(folder, "stdout"))
        stderr, keep_stderr = _fifo(os.path.join(folder, "stderr"))
        marker = b"\0notebook-runner:" + secrets.token_bytes(16)
        streams = (OutputStream(stdout, marker), OutputStream(stderr, marker))
        keep_open = (keep_channel, keep_stdout, keep_stderr)
        return cls(job_id, plan, folder, work_dir, channel, streams, keep_open, time.monotonic())

    @property
    def marker(self) -> bytes:
        return self.streams[0].marker

    @property
    def descriptors(self) -> tuple[int, int, int]:
        """What the runner's loop waits on for this note."""
        return (self.channel, self.streams[0].fd, self.streams[1].fd)

    def close(self) -> None:
        for fd in (*self.descriptors, *self.keep_open):
            os.close(fd)

    def messages(self) -> list[Any]:
        messages, _ = read_available(self.channel, self.reader)
        return messages

    def read_output(self, fd: int) -> None:
        """Output is read as it comes (a full FIFO would stop the note); each block's
        part is taken once the note is over (`blocks`)."""
        self.streams[fd != self.streams[0].fd].drain()

    def blocks(self, failure: BlockError | None) -> tuple[BlockResult, ...]:
        """Reported blocks with what they wrote to fds 1 and 2; the block the process
        died in gets the failure; blocks never reached are not-run."""
        for stream in self.streams:
            stream.drain(FINAL_READS)
        failed_index = self.current
        if failed_index is None and failure is not None:
            failed_index = next(
                (i for i in range(len(self.plan.blocks)) if i not in self.results), None
            )
        blocks = []
        for index, block in enumerate(self.plan.blocks):
            if index in self.results:
                blocks.append(self._with_output(index, self.results[index]))
            elif index == failed_index and failure is not None:
                blocks.append(self._failed(block.line, failure))
            else:
                blocks.append(not_run(block.line))
        return tuple(blocks)

    def _with_output(self, index: int, result: BlockResult) -> BlockResult:
        stdout, stderr = (stream.block(index) for stream in self.streams)
        if not (stdout or stderr):
            return result
        return replace(result, stdout=result.stdout + stdout, stderr=result.stderr + stderr)

    def _failed(self, line: int, failure: BlockError) -> BlockResult:
        stdout, stderr = (stream.pending() for stream in self.streams)
        error = with_source(self.plan, locate_crash(failure, self.plan.path, stderr))
        duration = time.monotonic() - self.started
        return BlockResult(line, "failed", duration, stdout, stderr, error)


def file_stamp(path: str) -> tuple[int, ...] | None:
    """Size, times and inode: any write, even one that restores the modification time,
    changes the status-change time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _fifo(path: str) -> tuple[int, int]:
    """(read end, write end), both non-blocking."""
    os.mkfifo(path, 0o600)
    read_end = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    return read_end, os.open(path, os.O_WRONLY | os.O_NONBLOCK)
