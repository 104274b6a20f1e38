"""The notes a `build` worker has at hand, and the others, read when a page needs them.

A worker reads and parses its own share of the vault. A page may transclude a note of
another share, whose text and whole note the worker has not got: these mappings read
and parse such a note on first use, so the renderer can treat every note as present.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from notebook_runner.model import Diagnostic, Note, SourceFile
from notebook_runner.parse import parse_tokens
from notebook_runner.resolve.resolver import Resolver
from notebook_runner.vault import VaultListing
from notebook_runner.video import with_link_timestamps


class NoteSources(Mapping[str, str]):
    """Every note's text by path (what `SiteIndex.sources` holds): the share's own, read
    when it is parsed, and another share's note read from disk when a page transcludes
    it. Iterates over every note."""

    def __init__(self, listing: VaultListing) -> None:
        self.listing = listing
        self.files: dict[str, SourceFile] = {}
        self._known = frozenset(listing.notes)

    def read(self, path: str) -> tuple[SourceFile, list[Diagnostic]]:
        source, problems = self.listing.read(path)
        self.files[path] = source
        return source, problems

    def source(self, path: str) -> SourceFile:
        if path not in self._known:
            raise KeyError(path)
        known = self.files.get(path)
        return known if known is not None else self.read(path)[0]

    def __getitem__(self, path: str) -> str:
        return self.source(path).text

    def __contains__(self, path: object) -> bool:
        return path in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self.listing.notes)

    def __len__(self) -> int:
        return len(self.listing.notes)


class NotesAtHand(Mapping[str, Note]):
    """Whole notes for pages: the share's own, and another share's note parsed here
    when a page first needs all of it (transcluding it). Iterates over every note."""

    def __init__(self, own: Mapping[str, Note], sources: NoteSources, resolver: Resolver) -> None:
        self._notes = dict(own)
        self._sources = sources
        self._resolver = resolver

    def __getitem__(self, path: str) -> Note:
        note = self._notes.get(path)
        if note is None:
            note, _, _ = parse_tokens(self._sources.source(path))  # KeyError for no such note
            note = self._resolver.resolve_note(with_link_timestamps(note), [])
            self._notes[path] = note
        return note

    def __contains__(self, path: object) -> bool:
        return path in self._sources

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)
