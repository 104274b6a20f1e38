"""The resolve stage: a whole vault, or only what an edit in `serve` can change."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from notebook_runner.model import Diagnostic, Note, Vault
from notebook_runner.resolve.indexes import backlinks, tag_index, updated_backlinks, updated_tags
from notebook_runner.resolve.resolver import Resolver

_PATH = attrgetter("path")


def resolve_vault(
    notes: Sequence[Note], attachments: Sequence[str] = (), report: bool = True
) -> tuple[Vault, list[Diagnostic]]:
    """Resolve every wiki-link of every note and index backlinks and tags.

    Notes come back in path order with `links` replaced; the input is never mutated.
    `report=False` skips looking for the links' problems (no diagnostics), for a
    process that gets them from elsewhere: each of `build`'s workers resolves the vault
    the main process also resolves and reports on.
    """
    ordered = sorted(notes, key=_PATH)
    files = sorted(set(attachments))
    resolver = Resolver(ordered, files, report)
    diagnostics: list[Diagnostic] = []
    resolved = [resolver.resolve_note(note, diagnostics) for note in ordered]
    notes_out = [note for note, _ in resolved]
    vault = Vault(
        notes=tuple(notes_out),
        backlinks=backlinks([note.path for note in ordered], [targets for _, targets in resolved]),
        tags=tag_index(notes_out),
        attachments=tuple(files),
    )
    return vault, diagnostics


def resolve_changed(vault: Vault, changed: Sequence[Note]) -> tuple[Vault, list[Diagnostic]]:
    """`vault` after its notes in `changed` were edited (parsed again, same paths).

    The same result as `resolve_vault` on all notes, for a fraction of the work. The
    diagnostics are the complete link problems of every note it resolved again: the
    changed notes, and the notes linking into a changed note whose headings or block
    ids changed (their subpaths are checked again).
    Raises ValueError for a note that is not in `vault` (use `resolve_vault` then).
    """
    by_path = {note.path: note for note in vault.notes}
    unknown = [note.path for note in changed if note.path not in by_path]
    if unknown:
        raise ValueError(f"not in the vault: {', '.join(unknown)}")
    edited = {note.path: note for note in changed}
    before = {path: by_path[path] for path in edited}
    by_path.update(edited)
    resolver = Resolver(list(by_path.values()), vault.attachments)
    again = set(edited)
    for path, note in edited.items():
        if _outline_key(note) != _outline_key(before[path]):
            again.update(vault.backlinks.get(path, ()))
    diagnostics: list[Diagnostic] = []
    for path in sorted(again):
        by_path[path] = resolver.resolve_note(by_path[path], diagnostics)[0]
    notes = tuple(by_path[note.path] for note in vault.notes)
    updated = Vault(
        notes=notes,
        backlinks=updated_backlinks(vault.backlinks, before, by_path),
        tags=updated_tags(vault.tags, before, by_path),
        attachments=vault.attachments,
    )
    return updated, diagnostics


def _outline_key(note: Note) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What links into a note are checked against."""
    return tuple(h.text for h in note.headings), tuple(b.id for b in note.block_ids)
