"""A note's elements by line and by key, built once per note and then reused.

Every token the renderer meets looks up what the parser found at its line (a heading's
id, a Python block, a timestamp and its number, a wiki-link, a block's stored result),
and every link into a note looks its heading up by key. Searching the note for each
token made a page quadratic in its headings, blocks, timestamps and links: 52,000
headings and blocks took 139 s to build. Notes are frozen, so what is built from one
is remembered for as long as it is the same object (compared by identity: hashing a
note would hash all it holds); the last few hundred are kept.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Generic, TypeVar

from notebook_runner.execute.results import BlockResult, NoteResult
from notebook_runner.model import CodeBlock, Heading, Note, Timestamp, WikiLink

__all__ = ["NoteLookups", "heading_key", "headings_by_key", "lookups", "result_blocks"]

_KEPT = 512
Owner = TypeVar("Owner")
Built = TypeVar("Built")
_LinkKey = tuple[int, str, str | None, str | None, bool]


class _Remembered(Generic[Owner, Built]):
    """`build(owner)`, remembered per owner object (kept alive while remembered, so its
    `id` cannot be reused by another)."""

    def __init__(self, build: Callable[[Owner], Built]) -> None:
        self._build = build
        self._kept: dict[int, tuple[Owner, Built]] = {}

    def __call__(self, owner: Owner) -> Built:
        known = self._kept.get(id(owner))
        if known is not None and known[0] is owner:
            return known[1]
        if len(self._kept) >= _KEPT:
            self._kept.clear()
        built = self._build(owner)
        self._kept[id(owner)] = (owner, built)
        return built


class NoteLookups:
    """The first heading id, Python block, timestamp (with its number from 1) and each
    wiki-link of a note, by line: what the renderer's rules ask for a token."""

    def __init__(self, note: Note) -> None:
        self.heading_ids: dict[int, str] = {}
        for heading in note.headings:
            self.heading_ids.setdefault(heading.line, heading.id)
        self.python_blocks: dict[int, CodeBlock] = {}
        for block in note.code_blocks:
            if block.is_python:
                self.python_blocks.setdefault(block.line, block)
        self.stamps: dict[int, tuple[int, Timestamp]] = {}
        for number, stamp in enumerate(note.timestamps, start=1):
            self.stamps.setdefault(stamp.line, (number, stamp))
        self._links: dict[_LinkKey, WikiLink] = {}
        for link in note.links:
            key = (link.line, link.target, link.heading, link.block, link.embed)
            self._links.setdefault(key, link)

    def link(self, meta: Mapping[str, Any]) -> WikiLink | None:
        """The parsed (and, once resolved, resolved) link a wiki-link token stands for:
        the first with the same line and parts, so no one re-reads the link text."""
        key = (meta["line"], meta["target"], meta["heading"], meta["block"], meta["embed"])
        return self._links.get(key)


@lru_cache(maxsize=1 << 16)
def heading_key(text: str) -> str:
    """Headings match ignoring case, punctuation and spacing, as Obsidian's links do.
    Cached: every link into a note folds all of that note's headings again."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum()) or " ".join(folded.split())


def _by_key(headings: tuple[Heading, ...]) -> dict[str, Heading]:
    found: dict[str, Heading] = {}
    for heading in headings:
        found.setdefault(heading_key(heading.text), heading)
    return found


def _result_blocks(result: NoteResult) -> dict[int, BlockResult]:
    found: dict[int, BlockResult] = {}
    for block in result.blocks:
        found.setdefault(block.line, block)
    return found


lookups = _Remembered(NoteLookups)
"""A note's `NoteLookups`."""
headings_by_key = _Remembered(_by_key)
"""A note's headings (its `headings` tuple) by `heading_key`, the first of each key."""
result_blocks = _Remembered(_result_blocks)
"""A stored note result's blocks by line, the first at each line."""
