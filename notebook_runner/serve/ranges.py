"""HTTP Range requests as `serve` answers them (RFC 9110, section 14).

Browsers need ranges to seek a `<video>`; they send one range (`bytes=a-b`, `bytes=a-`
or the suffix `bytes=-n`). The choices, for anything else:

- a header we cannot read, another unit, several ranges, or `a-b` with `b < a`: the
  header is ignored and the whole file is sent with 200, as RFC 9110 allows (a
  multipart answer would help no browser seeking a video);
- a start at or past the end, or an empty suffix (`bytes=-0`): 416 with
  `Content-Range: bytes */size`;
- an end past the end: the range stops at the last byte.

Numbers are compared, never converted whole: a 5,000-digit value in a header must not
raise (Python refuses to read integers that long) or cost time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_ONE_RANGE = re.compile(r"bytes[ \t]*=[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*", re.IGNORECASE)
# Larger than any file: more digits than this are read as "beyond the end".
_MAX_DIGITS = 18
_BEYOND = 10**_MAX_DIGITS


@dataclass(frozen=True)
class ByteRange:
    """Bytes `start` to `end` of a file, both included."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


Unsatisfiable = Literal["unsatisfiable"]


def requested_range(header: str | None, size: int) -> ByteRange | Unsatisfiable | None:
    """The range to send of a `size`-byte file; None to send it whole (no header, or one
    that is ignored), "unsatisfiable" for a 416."""
    match = _ONE_RANGE.fullmatch(header or "")
    if match is None:
        return None
    first, last = (_number(text) for text in match.groups())
    if first is None and last is None:
        return None
    if first is None:
        assert last is not None
        if last == 0 or size == 0:
            return "unsatisfiable"
        return ByteRange(max(0, size - last), size - 1)
    if last is not None and last < first:
        return None
    if first >= size:
        return "unsatisfiable"
    return ByteRange(first, size - 1 if last is None else min(last, size - 1))


def _number(digits: str) -> int | None:
    if not digits:
        return None
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= _MAX_DIGITS else _BEYOND
