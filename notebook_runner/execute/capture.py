"""Bounded capture of what a block prints: the head and the tail are kept.

A snippet that prints 100 MB must not fill the report, the cache, a disk or the
memory of anyone; the start of the output usually says what happened and the end says
how it finished, so both are kept and the middle is replaced by a marker saying how
much was left out.

Two levels. `sys.stdout` / `sys.stderr` become `BoundedWriter`s in the note process.
File descriptors 1 and 2 (C code, subprocesses, `os.write`, faulthandler) are FIFOs
read by the runner (`OutputStream`), which keeps head and tail as the bytes arrive, so
nothing unbounded is ever stored, and what a process that crashed wrote is still read.
After each block the note process writes a marker (a secret per note, then the block
index) to both FIFOs: the bytes before it are that block's.
"""

from __future__ import annotations

import io
import os
from collections import deque
from typing import AnyStr, Generic

KEEP_CHARS = 20_000
"""Characters kept at each end of one block's Python-level stdout or stderr."""
KEEP_BYTES = KEEP_CHARS * 4
"""Bytes kept at each end of one block's descriptor-level stdout or stderr."""
INDEX_BYTES = 4
READ_SIZE = 1 << 16
READS_PER_WAKE = 16
"""Reads of one FIFO per wake-up of the runner: one snippet writing without end must
not keep the runner from watching the others' deadlines."""


def truncation_marker(dropped: int, unit: str = "characters") -> str:
    return f"\n... [{dropped} {unit} not shown] ...\n"


class HeadTail(Generic[AnyStr]):
    """The first and last `keep` characters (or bytes) of what is added, and how many
    were dropped between them."""

    def __init__(self, empty: AnyStr, keep: int) -> None:
        self._empty: AnyStr = empty
        self._keep = keep
        self._head: list[AnyStr] = []
        self._head_len = 0
        self._tail: deque[AnyStr] = deque()
        self._tail_len = 0
        self.dropped = 0

    def add(self, piece: AnyStr) -> None:
        room = self._keep - self._head_len
        if room > 0:
            self._head.append(piece[:room])
            self._head_len += len(self._head[-1])
            piece = piece[room:]
        if piece:
            self._add_tail(piece)

    def _add_tail(self, piece: AnyStr) -> None:
        if len(piece) > self._keep:
            self.dropped += len(piece) - self._keep
            piece = piece[-self._keep :]
        self._tail.append(piece)
        self._tail_len += len(piece)
        while self._tail_len > self._keep:
            excess = self._tail_len - self._keep
            first = self._tail[0]
            if len(first) <= excess:
                self._tail.popleft()
                self._tail_len -= len(first)
                self.dropped += len(first)
            else:
                self._tail[0] = first[excess:]
                self._tail_len -= excess
                self.dropped += excess

    def head(self) -> AnyStr:
        return self._empty.join(self._head)

    def tail(self) -> AnyStr:
        return self._empty.join(self._tail)

    @property
    def tail_length(self) -> int:
        return self._tail_len


class BoundedWriter(io.TextIOBase):
    """What `sys.stdout` / `sys.stderr` become during a block.

    `fileno()` answers the real (redirected) descriptor, so code that hands
    `sys.stdout` to a subprocess still has its output captured, at the descriptor level.
    """

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, fileno: int, keep: int = KEEP_CHARS) -> None:
        super().__init__()
        self._fileno = fileno
        self._kept = HeadTail("", keep)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fileno

    def write(self, text: str) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._kept.add(text)
        return len(text)

    def getvalue(self) -> str:
        dropped = self._kept.dropped
        middle = truncation_marker(dropped) if dropped else ""
        return self._kept.head() + middle + self._kept.tail()


class OutputStream:
    """The runner's end of one FIFO that is a note process's fd 1 or 2."""

    def __init__(self, fd: int, marker: bytes, keep: int = KEEP_BYTES) -> None:
        self.fd = fd
        self.marker = marker
        self._keep = keep
        self._carry = b""
        self._current = HeadTail(b"", keep)
        self._blocks: dict[int, str] = {}

    def drain(self, reads: int = READS_PER_WAKE) -> None:
        """Read what is there (at most `reads` chunks); never blocks."""
        for _ in range(reads):
            try:
                chunk = os.read(self.fd, READ_SIZE)
            except BlockingIOError:
                return
            data, self._carry = self._carry + chunk if self._carry else chunk, b""
            self._feed(data)
            if len(chunk) < READ_SIZE:  # the FIFO is empty: spare a read that fails
                return

    def _feed(self, data: bytes) -> None:
        start = 0
        end = len(self.marker) + INDEX_BYTES
        while (found := data.find(self.marker, start)) >= 0 and found + end <= len(data):
            self._current.add(data[start:found])
            index = int.from_bytes(data[found + len(self.marker) : found + end], "big")
            self._blocks[index] = _text(self._current)
            self._current = HeadTail(b"", self._keep)
            start = found + end
        # what may be the beginning of a marker waits for the next chunk
        cut = found if found >= 0 else max(start, len(data) - end + 1)
        self._current.add(data[start:cut])
        self._carry = data[cut:]

    def block(self, index: int) -> str:
        """What block `index` wrote, once its marker has been read."""
        return self._blocks.pop(index, "")

    def pending(self) -> str:
        """What the block in progress wrote so far (the one a crash interrupted)."""
        return _text(self._current) + self._carry.decode("utf-8", "replace")


def _text(kept: HeadTail[bytes]) -> str:
    head = kept.head().decode("utf-8", "replace")
    if not (kept.dropped or kept.tail_length):
        return head
    middle = truncation_marker(kept.dropped, "bytes") if kept.dropped else ""
    return head + middle + kept.tail().decode("utf-8", "replace")
