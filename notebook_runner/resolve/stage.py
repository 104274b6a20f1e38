"""The resolve stage: a whole vault, or only what an edit in `serve` can change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from notebook_runner.model import Diagnostic, Note, NoteSummary, Vault, VaultMap
from notebook_runner.resolve.indexes import backlinks, tag_index, updated_backlinks, updated_tags
from notebook_runner.resolve.resolver import Resolver

_PATH = attrgetter("path")


def resolve_vault(
    notes: Sequence[Note], attachments: Sequence[str] = ()
) -> tuple[Vault, list[Diagnostic]]:
    """Resolve every wiki-link of every note and index backlinks and tags.

    Notes come back in path order with `links` replaced; the input is never mutated.
    """
    by_path = {note.path: note for note in sorted(notes, key=_PATH)}
    resolver = Resolver(by_path, sorted(set(attachments)), by_path)
    diagnostics: list[Diagnostic] = []
    resolved = [resolver.resolve_note(note, diagnostics) for note in by_path.values()]
    return assembled_vault(resolved, attachments), diagnostics


def link_resolver(paths: Iterable[str], attachments: Sequence[str] = ()) -> Resolver:
    """Resolves one note's links at a time, from the vault's file names alone:
    `build`'s workers resolve each note as soon as it is parsed (`Resolver.resolve_note`),
    and report its problems once every note's summary is known (`Resolver.report`)."""
    return Resolver(sorted(paths), sorted(set(attachments)))


def assembled_vault(resolved: Iterable[Note], attachments: Sequence[str] = ()) -> Vault:
    """The vault of notes whose links are resolved (`Resolver.resolve_note`,
    `link_resolver`), given in any order: backlinks and tags are indexed here."""
    notes = tuple(sorted(resolved, key=_PATH))
    mapped = vault_map((NoteSummary.of(note) for note in notes), attachments)
    return Vault(notes, mapped.backlinks, mapped.tags, mapped.attachments)


def vault_map(summaries: Iterable[NoteSummary], attachments: Sequence[str] = ()) -> VaultMap:
    """What `assembled_vault(notes).map()` is, from the notes' summaries alone (given
    in any order): what `build`'s workers make of each other's notes."""
    ordered = tuple(sorted(summaries, key=_PATH))
    return VaultMap(
        notes=ordered,
        backlinks=backlinks([s.path for s in ordered], [s.targets for s in ordered]),
        tags=tag_index((s.path, s.tag_names) for s in ordered),
        attachments=tuple(sorted(set(attachments))),
    )


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
    resolver = Resolver(by_path, vault.attachments, by_path)
    again = set(edited)
    for path, note in edited.items():
        if _outline_key(note) != _outline_key(before[path]):
            again.update(vault.backlinks.get(path, ()))
    diagnostics: list[Diagnostic] = []
    for path in sorted(again):
        by_path[path] = resolver.resolve_note(by_path[path], diagnostics)
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
