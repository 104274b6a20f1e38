"""Length-prefixed pickled messages between the runner, the fork server and note processes.

Pickle is safe here: both ends are this package, started by the runner itself.
"""

from __future__ import annotations

import os
import pickle
import struct
from typing import Any

_HEADER = struct.Struct("!I")
READ_SIZE = 1 << 16


def encode(message: Any) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def write_message(fd: int, message: Any) -> None:
    """Blocking write of one whole message (a pipe may accept it in pieces)."""
    data = memoryview(encode(message))
    while data:
        written = os.write(fd, data)
        data = data[written:]


class MessageReader:
    """Reassembles messages from chunks read off a non-blocking descriptor."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> list[Any]:
        self._buffer += chunk
        messages = []
        while len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            end = _HEADER.size + size
            if len(self._buffer) < end:
                break
            messages.append(pickle.loads(self._buffer[_HEADER.size : end]))
            del self._buffer[:end]
        return messages


def read_available(fd: int, reader: MessageReader) -> tuple[list[Any], bool]:
    """Drain a non-blocking descriptor; the flag is True at end of file (seen by the
    read after the last data: the caller's next wake-up)."""
    messages: list[Any] = []
    while True:
        try:
            chunk = os.read(fd, READ_SIZE)
        except BlockingIOError:
            return messages, False
        if not chunk:
            return messages, True
        messages.extend(reader.feed(chunk))
        if len(chunk) < READ_SIZE:  # all there was: spare a read that would fail
            return messages, False
