""" "Did you mean" for a target that names no file: the closest existing names.

difflib alone scans every name (~50 ms for 10,000 notes) for each unknown target, so
candidates are first narrowed to the names sharing the most trigrams with it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from notebook_runner.model import fold
from notebook_runner.resolve.names import looks_like_attachment

MAX_SUGGESTIONS = 3
SIMILARITY_CUTOFF = 0.6
# Long digit runs are generated (`Pasted image 20240701222017.png`): names differing only
# there are different files, not typos, so they are never suggested for each other.
_GENERATED_NUMBER = re.compile(r"\d{6,}")
# Candidates examined by difflib per unknown name, and name occurrences counted to pick
# them: enough for a good answer, few enough that a vault with thousands of notes and
# thousands of broken links still resolves in about a second.
_SHORTLIST = 12
_POSTINGS_BUDGET = 2000
# `_trigrams` slices; a name longer than this is sliced with a fresh list.
_SLICES = [slice(start, start + 3) for start in range(256)]


class Suggester:
    """Closest names by difflib, narrowed first by shared trigrams."""

    def __init__(self, names: Mapping[str, str]) -> None:
        """`names` maps each folded name to its display spelling."""
        self._display = names
        self._keys = list(names)
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(self._keys):
            for gram in _trigrams(key):
                self._postings[gram].append(index)
        self._numbered: dict[int, tuple[str, tuple[str, ...]]] = {}
        self._cache: dict[str, list[str]] = {}

    def closest(self, word: str) -> list[str]:
        """Up to four names close to `word`, best first, folded: one more than is shown,
        in case one of them is the linking note itself."""
        key = fold(word)
        matches = self._cache.get(key)
        if matches is None:
            matches = self._cache[key] = self._closest(key)
        return matches

    def spelled(self, key: str) -> str:
        """A folded name as its file spells it."""
        return self._display[key]

    def _closest(self, key: str) -> list[str]:
        skeleton, numbers = _numbering(key)
        candidates = []
        for index in self._shortlist(key):
            other_skeleton, other_numbers = self._numbering_of(index)
            if other_skeleton != skeleton or other_numbers == numbers:
                candidates.append(self._keys[index])
        return difflib.get_close_matches(key, candidates, MAX_SUGGESTIONS + 1, SIMILARITY_CUTOFF)

    def _numbering_of(self, index: int) -> tuple[str, tuple[str, ...]]:
        """Computed for shortlisted names only: most names are never a candidate."""
        numbering = self._numbered.get(index)
        if numbering is None:
            numbering = self._numbered[index] = _numbering(self._keys[index])
        return numbering

    def _shortlist(self, key: str) -> Iterable[int]:
        """Names sharing the most trigrams with `key`, counted over its rarer trigrams
        only: a gram every name contains costs time and tells nothing. Equally rare
        grams are taken in alphabetical order, so that ties break the same way in
        every run (set order changes with Python's string hash seed)."""
        if len(self._keys) <= _SHORTLIST:
            return range(len(self._keys))
        grams = sorted(gram for gram in _trigrams(key) if gram in self._postings)
        postings = sorted((self._postings[gram] for gram in grams), key=len)
        shared: Counter[int] = Counter()
        budget = _POSTINGS_BUDGET
        for posting in postings:
            if shared and len(posting) > budget:
                break
            shared.update(posting)
            budget -= len(posting)
        return [index for index, _ in shared.most_common(_SHORTLIST)]


def _numbering(key: str) -> tuple[str, tuple[str, ...]]:
    """A name's form with generated numbers blanked out, and those numbers."""
    stem = key.rpartition(".")[0] if looks_like_attachment(key) else key
    return _GENERATED_NUMBER.sub("#", stem), tuple(_GENERATED_NUMBER.findall(stem))


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    count = len(padded) - 2
    slices = _SLICES[:count] if count <= len(_SLICES) else _long_slices(count)
    return set(map(padded.__getitem__, slices))


def _long_slices(count: int) -> list[slice]:
    return [slice(start, start + 3) for start in range(count)]
