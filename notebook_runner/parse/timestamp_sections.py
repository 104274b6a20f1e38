"""Where each timestamp belongs: its section heading, its label and the lines it covers.

Real notes disagree on where a timestamp goes: the Timestamp Notes plugin's users put
it right before the heading it introduces (the seed note), others right after a
heading, or before a paragraph, image or transcript line with no heading at all. The
rule: the section is the heading directly after the timestamp, else the heading
directly before it (blank lines and invisible blocks aside), else none; the label is
the section, else the first words of what follows; the range ends before the next
timestamp or before a heading of the section's level or higher.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from notebook_runner.model import Heading, Timestamp
from notebook_runner.parse.token_text import plain_text

LABEL_WORDS = 8
_TRANSPARENT = frozenset({"timestamp_url", "comment_block"})


@dataclass
class PendingTimestamp:
    """A readable timestamp whose section and range wait for the whole note."""

    index: int
    text: str
    seconds: int
    line: int
    fence_line: int
    video: str | None


@dataclass
class _Placement:
    section: Heading | None
    first_line: int
    level: int


def place_timestamps(
    stamps: Sequence[PendingTimestamp],
    tokens: Sequence[Token],
    headings: Sequence[Heading],
    heading_at: dict[int, Heading],
    last_line: int,
) -> tuple[Timestamp, ...]:
    """Timestamps with section, label and range, once the whole note has been walked."""
    if not stamps:
        return ()
    return tuple(_Sections(tokens, headings, heading_at).timestamps(stamps, last_line))


class _Sections:
    """The note's headings indexed for the questions each timestamp asks (the heading
    above a line, the next heading at or above a level after it), so that placing every
    timestamp costs a lookup per timestamp rather than a pass over all the headings: a
    note of 10,000 timestamps and as many headings took seconds to parse."""

    def __init__(
        self, tokens: Sequence[Token], headings: Sequence[Heading], heading_at: dict[int, Heading]
    ) -> None:
        self.tokens = tokens
        self.headings = headings
        self.heading_at = heading_at
        self.lines = [heading.line for heading in headings]
        # next_within[level][i]: the first heading from position i on whose level is at
        # most `level` (len(headings): none).
        count = len(headings)
        self.next_within = [[count] * (count + 1) for _ in range(7)]
        for position in range(count - 1, -1, -1):
            for level in range(1, 7):
                following = self.next_within[level][position + 1]
                chosen = position if headings[position].level <= level else following
                self.next_within[level][position] = chosen

    def timestamps(self, stamps: Sequence[PendingTimestamp], last_line: int) -> list[Timestamp]:
        placements = [self._place(stamp) for stamp in stamps]
        result = []
        for number, (stamp, place) in enumerate(zip(stamps, placements, strict=True)):
            boundaries = [last_line + 1]
            if number + 1 < len(placements):
                boundaries.append(placements[number + 1].first_line)
            closing = self._closing_heading(stamp.fence_line, place)
            if closing is not None:
                boundaries.append(closing.line)
            section = place.section.text if place.section else None
            label = section or self._label_after(stamp) or stamp.text
            end_line = max(min(boundaries) - 1, stamp.line)
            result.append(
                Timestamp(
                    stamp.text, stamp.seconds, stamp.line, stamp.video, section, label, end_line
                )
            )
        return result

    def _closing_heading(self, line: int, place: _Placement) -> Heading | None:
        """The first heading after `line` at the section's level or higher, other than
        the section itself."""
        levels = self.next_within[place.level]
        found = levels[bisect_right(self.lines, line)]
        if found < len(self.headings) and self.headings[found] is place.section:
            found = levels[found + 1]
        return self.headings[found] if found < len(self.headings) else None

    def _place(self, stamp: PendingTimestamp) -> _Placement:
        after = self._neighbour(stamp.index, 1)
        if after in self.heading_at:
            heading = self.heading_at[after]
            return _Placement(heading, stamp.fence_line, heading.level)
        before = self._neighbour(stamp.index, -1)
        if before >= 0 and self.tokens[before].type == "heading_close":
            heading = self.heading_at[before - 2]
            return _Placement(heading, heading.line, heading.level)
        above = bisect_left(self.lines, stamp.fence_line) - 1
        return _Placement(None, stamp.fence_line, self.headings[above].level if above >= 0 else 6)

    def _neighbour(self, index: int, step: int) -> int:
        """The next block after (step 1) or before (step -1) `index`, passing over
        container boundaries and blocks that show nothing; -1 when there is none."""
        skipped_nesting = -1 if step > 0 else 1
        position = index + step
        while 0 <= position < len(self.tokens):
            token = self.tokens[position]
            if token.nesting != skipped_nesting and token.type not in _TRANSPARENT:
                return position
            position += step
        return -1

    def _label_after(self, stamp: PendingTimestamp) -> str:
        for position in range(stamp.index + 1, len(self.tokens)):
            token = self.tokens[position]
            if token.type in ("timestamp", "heading_open"):
                return ""
            if token.type == "inline":
                words = plain_text(token.children or []).split()
                if words:
                    more = "…" if len(words) > LABEL_WORDS else ""
                    return " ".join(words[:LABEL_WORDS]) + more
        return ""
