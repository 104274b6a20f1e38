"""Forward scans that inline rules share, remembered per paragraph.

An inline rule that looks ahead for its end (the next space, the next `]`) from every
candidate start reads the same stretch again for each candidate in it: `[^` written
16,000 times reads 16,000 times to the far end. Where the answer for a position is
also the answer for every later position up to it (the first match of a fixed pattern
at or after `position`), it is remembered, so each stretch is read once.
"""

from __future__ import annotations

import re

from markdown_it.rules_inline import StateInline

_KEY = "notebook_runner.scans"


def first_match(state: StateInline, pattern: re.Pattern[str], position: int) -> int:
    """Where `pattern` first matches in the inline text at or after `position`, else the
    text's length (not bounded by `state.posMax`: callers compare with it)."""
    scans: dict[re.Pattern[str], tuple[str, int, int]] = state.env.setdefault(_KEY, {})
    known = scans.get(pattern)
    if known is not None and known[0] is state.src and known[1] <= position <= known[2]:
        return known[2]
    match = pattern.search(state.src, position)
    found = match.start() if match else len(state.src)
    scans[pattern] = (state.src, position, found)
    return found
