"""Headings and block ids as links compare against them (`[[Note#A#B]]`, `[[Note#^id]]`).

Headings compare case-insensitively, ignoring punctuation and whitespace, so that
`[[Note#What's new?]]` finds `## Whats new`. In `[[Note#A#B]]` each part must be found
inside the section of the part before it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from notebook_runner.model import Heading, Note, NoteSummary, fold
from notebook_runner.resolve.hints import MAX_SUGGESTIONS, SIMILARITY_CUTOFF

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def heading_key(text: str) -> str:
    """Headings match ignoring case, punctuation and spacing, as Obsidian's links do."""
    folded = fold(text)
    return _NOT_LETTER_OR_DIGIT.sub("", folded) or " ".join(folded.split())


def heading_parts(written: str) -> list[str]:
    """`[[Note##H]]` and `[[Note#H#]]` mean `[[Note#H]]` to Obsidian."""
    return [part for part in written.split("#") if part.strip()]


class HeadingKeys(dict[str, str]):
    """`heading_key` memoised for one resolve: vaults repeat headings (`Summary`) and
    links repeat the headings they point to."""

    def __missing__(self, text: str) -> str:
        key = self[text] = heading_key(text)
        return key


class Outline:
    """A note's headings and block ids, in the forms links are compared in; one per
    note linked to with a subpath, so it is kept small."""

    __slots__ = ("_block_ids", "_blocks", "_found", "_heading_keys", "_keys", "headings")

    def __init__(self, note: Note | NoteSummary, keys: HeadingKeys) -> None:
        self.headings: tuple[Heading, ...] = note.headings
        self._heading_keys = keys
        self._keys = [keys[heading.text] for heading in note.headings]
        self._blocks = note.block_ids
        self._block_ids: dict[str, str] | None = None
        self._found: dict[str, bool] = {}  # chains (`A#B`) checked already

    @property
    def block_ids(self) -> dict[str, str]:
        """Folded id -> id as written; built on first use, as most links name none."""
        if self._block_ids is None:
            self._block_ids = {fold(block.id): block.id for block in self._blocks}
        return self._block_ids

    def has_heading(self, written: str) -> bool:
        """`written` is a link's heading part (`H1#H2`); a chain is cached, as many links
        share one."""
        if "#" not in written:
            return not written.strip() or self._heading_keys[written] in self._keys
        found = self._found.get(written)
        if found is None:
            keys = [self._heading_keys[part] for part in heading_parts(written)]
            found = self._found[written] = self._chain_from(keys, 0, len(self._keys))
        return found

    def _chain_from(self, keys: Sequence[str], start: int, end: int) -> bool:
        if not keys:
            return True
        for index in range(start, end):
            if self._keys[index] == keys[0] and self._chain_from(
                keys[1:], index + 1, self._section_end(index, end)
            ):
                return True
        return False

    def _section_end(self, index: int, end: int) -> int:
        level = self.headings[index].level
        for after in range(index + 1, end):
            if self.headings[after].level <= level:
                return after
        return end

    def closest_headings(self, part: str) -> list[str]:
        """Same heading first (the chain was wrong), then similar spellings."""
        key = self._heading_keys[part]
        same = [h.text for h, k in zip(self.headings, self._keys, strict=True) if k == key]
        by_fold = {fold(h.text): h.text for h in self.headings}
        similar = difflib.get_close_matches(
            fold(part), list(by_fold), MAX_SUGGESTIONS, SIMILARITY_CUTOFF
        )
        ranked = dict.fromkeys([*same, *(by_fold[s] for s in similar)])
        return list(ranked)[:MAX_SUGGESTIONS]

    def closest_blocks(self, block: str) -> list[str]:
        matches = difflib.get_close_matches(
            fold(block), list(self.block_ids), MAX_SUGGESTIONS, SIMILARITY_CUTOFF
        )
        return [self.block_ids[match] for match in matches]
