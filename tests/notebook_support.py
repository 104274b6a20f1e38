"""Small vaults in memory for the notebook tests: parsed and resolved like the real thing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nbformat import NotebookNode

from notebook_runner.execute import BlockResult
from notebook_runner.model import Note, SourceFile, Vault
from notebook_runner.notebooks.export import NotebookLinks, note_notebook
from notebook_runner.parse import parse_note
from notebook_runner.resolve import resolve_vault


def make_vault(files: Mapping[str, str], attachments: Sequence[str] = ()) -> Vault:
    notes = [parse_note(SourceFile(path, text))[0] for path, text in files.items()]
    vault, _ = resolve_vault(notes, attachments)
    return vault


def export_one(
    files: Mapping[str, str],
    path: str | None = None,
    results: Sequence[BlockResult] = (),
    fmt: str = "ipynb",
) -> NotebookNode:
    """The notebook of `path` (default: the first file) in a vault of `files`."""
    path = path or next(iter(files))
    vault = make_vault(files)
    notes = {note.path: note for note in vault.notes}
    return note_notebook(notes[path], files[path], NotebookLinks(notes, fmt), results)


def markdown_of(notebook: NotebookNode) -> str:
    """All Markdown cells of the note's text (not the title and properties above it),
    joined by a blank line."""
    return "\n\n".join(
        c.source
        for c in notebook.cells
        if c.cell_type == "markdown" and "notebook_runner" not in c.metadata
    )


def note_of(files: Mapping[str, str], path: str) -> Note:
    return next(note for note in make_vault(files).notes if note.path == path)
