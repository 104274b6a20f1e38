"""Bounded capture of what a block prints: the head and the tail are kept.

A snippet that prints 100 MB must not fill the report, the cache or the memory of
the runner; the start of the output usually says what happened and the end says how
it finished, so both are kept and the middle is replaced by a marker.
"""

from __future__ import annotations

import io
import os
from collections import deque

KEEP_CHARS = 20_000
"""Characters kept at each end of one block's stdout or stderr."""


def truncation_marker(dropped: int, unit: str = "characters") -> str:
    return f"\n... [{dropped} {unit} not shown] ...\n"


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
        self._keep = keep
        self._head: list[str] = []
        self._head_len = 0
        self._tail: deque[str] = deque()
        self._tail_len = 0
        self._dropped = 0

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
        room = self._keep - self._head_len
        if room > 0:
            self._head.append(text[:room])
            self._head_len += len(self._head[-1])
            self._add_tail(text[room:])
        else:
            self._add_tail(text)
        return len(text)

    def _add_tail(self, text: str) -> None:
        if not text:
            return
        if len(text) > self._keep:
            self._dropped += len(text) - self._keep
            text = text[-self._keep :]
        self._tail.append(text)
        self._tail_len += len(text)
        while self._tail_len > self._keep:
            excess = self._tail_len - self._keep
            first = self._tail[0]
            if len(first) <= excess:
                self._tail.popleft()
                self._tail_len -= len(first)
                self._dropped += len(first)
            else:
                self._tail[0] = first[excess:]
                self._tail_len -= excess
                self._dropped += excess

    def getvalue(self) -> str:
        middle = truncation_marker(self._dropped) if self._dropped else ""
        return "".join(self._head) + middle + "".join(self._tail)


def read_bounded(path: str, keep: int = KEEP_CHARS * 4) -> str:
    """A descriptor-level capture file, head and tail only (`keep` bytes each)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return ""
    try:
        size = os.fstat(fd).st_size
        if size <= 2 * keep:
            data = os.pread(fd, size, 0)
            return data.decode("utf-8", "replace")
        head = os.pread(fd, keep, 0).decode("utf-8", "replace")
        tail = os.pread(fd, keep, size - keep).decode("utf-8", "replace")
        return head + truncation_marker(size - 2 * keep, "bytes") + tail
    finally:
        os.close(fd)
