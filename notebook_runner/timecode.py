"""Video times as people and the Timestamp Notes plugin write them.

Accepted: `mm:ss`, `m:ss`, `h:mm:ss` (minutes may exceed 59 when no hours are given,
since `75:30` is unambiguous). Two slips of the plugin itself are read the way the
plugin meant them, with a warning, because real vaults are full of them and the user
cannot easily find their cause: a seconds or minutes field of `010` (the plugin pads
10 to `010`) is 10, and a field of exactly `60` (the plugin rounds 59.6 up) carries
into the next unit. Anything else (`17.23`, `12:5`, words) is an error, with a
suggestion when one reading is plausible, so the user is told "did you mean 17:23?"
instead of just "bad time".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR_SLIPS = re.compile(r"[.,;h'\N{FULLWIDTH COLON}\N{PRIME}]")
_TIME_INSIDE = re.compile(r"\d{1,2}(?::\d{2}){1,2}")


@dataclass(frozen=True)
class TimeParse:
    """The reading of one written time.

    `seconds` is None exactly when `error` is set. `warning` explains a reading that
    needed a fix; `suggestion` is the time as it should be written, when known.
    """

    seconds: int | None
    warning: str | None = None
    error: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class _Field:
    value: int
    fixed: bool


def format_timecode(seconds: int) -> str:
    """`m:ss` below an hour, `h:mm:ss` from an hour on, as YouTube shows times."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def parse_timecode(text: str) -> TimeParse:
    """Read `text` as a time; never raises, whatever the text."""
    written = text.strip()
    if not written:
        return TimeParse(None, error="the time is empty", suggestion=None)
    parsed = _parse_strict(written)
    if parsed is not None:
        return parsed
    suggestion = _suggest(written)
    return TimeParse(
        None,
        error=f"'{written}' is not a time (expected mm:ss, m:ss or h:mm:ss)",
        suggestion=suggestion,
    )


def _parse_strict(written: str) -> TimeParse | None:
    parts = written.split(":")
    if len(parts) not in (2, 3) or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    fields = [_sub_field(part) for part in parts[1:]]
    if any(field is None for field in fields):
        return None
    lead = int(parts[0])
    units = [field.value for field in fields if field is not None]
    seconds = lead * 60 + units[0] if len(units) == 1 else lead * 3600 + units[0] * 60 + units[1]
    if not any(field.fixed for field in fields if field is not None):
        return TimeParse(seconds)
    fixed = format_timecode(seconds)
    return TimeParse(
        seconds,
        warning=(
            f"time '{written}' is malformed (as the Timestamp Notes plugin sometimes"
            f" writes it); read as {fixed}"
        ),
        suggestion=fixed,
    )


def _sub_field(part: str) -> _Field | None:
    """A minutes or seconds field: two digits below 60, or one of the plugin's slips."""
    if len(part) == 2 and int(part) < 60:
        return _Field(int(part), fixed=False)
    if len(part) == 2 and int(part) == 60:
        return _Field(60, fixed=True)
    if len(part) == 3 and part[0] == "0" and int(part) < 60:
        return _Field(int(part), fixed=True)
    return None


def _suggest(written: str) -> str | None:
    """The one plausible time the user meant, or None when guessing would mislead."""
    repaired = _SEPARATOR_SLIPS.sub(":", written.replace(" ", ""))
    if repaired != written:
        parsed = _parse_strict(repaired)
        if parsed is not None and parsed.seconds is not None:
            return format_timecode(parsed.seconds)
    found = _TIME_INSIDE.search(written)
    if found is not None and found.group() != written:
        parsed = _parse_strict(found.group())
        if parsed is not None and parsed.seconds is not None:
            return format_timecode(parsed.seconds)
    return None
