"""Where each link leads; the problems of those that lead nowhere or to several files.

A vault links the same targets thousands of times (10,000 notes: 110,000 links, 16,000
distinct targets), so everything about a target is worked out once per resolve and the
link loop is left with dictionary lookups.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from notebook_runner.model import Diagnostic, Note, NoteSummary, WikiLink, fold
from notebook_runner.resolve.missing import MissingTargets
from notebook_runner.resolve.names import (
    NO_MATCH,
    NOTE_SUFFIX,
    FileIndex,
    Match,
    looks_like_attachment,
    note_suffix,
    strip_note_suffix,
)
from notebook_runner.resolve.outline import HeadingKeys, Outline
from notebook_runner.resolve.problems import (
    ambiguous_target,
    missing_block,
    missing_heading,
)

# What a blank target (`[[#Heading]]`) matches: the linking note, whichever it is.
_SAME_NOTE = Match(None)
_Record = TypeVar("_Record", Note, WikiLink)
Outlined = Note | NoteSummary
"""What a link's heading or block is checked against: the note, or its summary."""


class Resolver:
    """Indexes built once per vault; per-target results are cached across notes."""

    def __init__(
        self,
        paths: Iterable[str],
        attachments: Sequence[str],
        notes: Mapping[str, Outlined] | None = None,
    ) -> None:
        """`paths`: the vault's notes. Where a link leads depends on file names alone;
        `notes` (path -> note or its summary, every note of the vault) are what its
        problems are checked against (headings, block ids). Without them `resolve_note`
        only resolves: no problem is looked for, no "did you mean" searched, until
        `report` is given them."""
        self._notes = notes
        self._note_files = FileIndex(paths, is_note=True)
        self._attachment_files = FileIndex(attachments, is_note=False)
        self._heading_keys = HeadingKeys()
        self._outlines: dict[str, Outline] = {}
        self._matches: dict[str, Match] = {}
        self._missing = MissingTargets(self._note_files, self._attachment_files)
        # Targets known to lead to a path without a problem.
        self._clean = {**self._attachment_files.verbatim, **self._note_files.verbatim}

    def resolve_note(self, note: Note, out: list[Diagnostic]) -> Note:
        """`note` with its links resolved; with `notes` given, the links' problems are
        appended to `out`."""
        if not note.links:
            return note
        notes = self._notes
        links = []
        for link in note.links:
            if notes is None:
                target = self._target(note, link, None)
            else:
                target = self._checked_target(note, link, notes, out)
            links.append(link if link.resolved == target else _copy_with(link, "resolved", target))
        return _copy_with(note, "links", tuple(links))

    def report(self, note: Note, notes: Mapping[str, Outlined], out: list[Diagnostic]) -> None:
        """Append the problems of `note`'s links to `out`, checked against `notes` (path
        -> note or its summary, every note of the vault)."""
        for link in note.links:
            self._checked_target(note, link, notes, out)

    def _checked_target(
        self, note: Note, link: WikiLink, notes: Mapping[str, Outlined], out: list[Diagnostic]
    ) -> str | None:
        """Where `link` leads, its problems (target, heading, block) appended to `out`."""
        target = self._target(note, link, out)
        if target is not None and (link.heading or link.block) and target in notes:
            self._check_subpath(note, link, target, notes, out)
        return target

    def _target(self, note: Note, link: WikiLink, out: list[Diagnostic] | None) -> str | None:
        """Where `link` leads; with `out`, a target that leads nowhere or to several
        files is reported there. A target known to resolve cleanly costs one lookup."""
        target = self._clean.get(link.target)
        if target is not None:
            return target
        match = self._matches.get(link.target)
        if match is None:
            match = self._match(note.path, link.target)
        if match is _SAME_NOTE:
            return note.path
        if out is not None and match.path is None:
            out.append(self._missing.diagnostic(note.path, link))
        elif out is not None and match.tied:
            out.append(ambiguous_target(note.path, link, match))
        return match.path

    def _match(self, source: str, target: str) -> Match:
        """Cached by target as written, except relative links, which depend on `source`."""
        written = target.strip().rstrip("\\").strip()  # `[[Note\|alias]]` inside tables
        if not target.strip():
            match = _SAME_NOTE
        elif written.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), written))
            return NO_MATCH if joined.startswith("../") else self._lookup(joined, exact=True)
        elif written.startswith("/"):
            match = self._lookup(written.lstrip("/"), exact=True)
        else:
            match = self._lookup(written, exact=False)
        self._matches[target] = match
        if match.path is not None and not match.tied:
            self._clean[target] = match.path
        return match

    def _lookup(self, written: str, exact: bool) -> Match:
        if not written:
            return NO_MATCH
        suffix = note_suffix(written)
        if suffix:
            match = self._note_files.find(fold(strip_note_suffix(written)), exact, suffix)
            if match.path is not None or suffix == NOTE_SUFFIX:
                return match
        indexes = [self._note_files, self._attachment_files]
        if looks_like_attachment(written):
            indexes.reverse()
        key = fold(written)
        for index in indexes:
            match = index.find(key, exact)
            if match.path is not None:
                return match
        return NO_MATCH

    def _check_subpath(
        self,
        note: Note,
        link: WikiLink,
        target: str,
        notes: Mapping[str, Outlined],
        out: list[Diagnostic],
    ) -> None:
        outline = self._outlines.get(target)
        if outline is None:
            outline = self._outlines[target] = Outline(notes[target], self._heading_keys)
        if link.heading and not outline.has_heading(link.heading):
            out.append(missing_heading(note.path, link, outline))
        if link.block and fold(link.block) not in outline.block_ids:
            out.append(missing_block(note.path, link, outline))


def _copy_with(record: _Record, field: str, value: object) -> _Record:
    """`dataclasses.replace(record, field=value)` without running `__init__`, which
    sets every field of the frozen record through `object.__setattr__`: rebuilding
    110,000 links and 10,000 notes that way took a quarter of resolving a large vault.
    Copying `__dict__` keeps every field, including any the model gains later."""
    state = record.__dict__.copy()
    state[field] = value
    copy: _Record = object.__new__(type(record))
    object.__setattr__(copy, "__dict__", state)
    return copy
