"""Notes as notebooks: one notebook per note, in any jupytext format.

The first cell holds the note's title and properties (see `header`). Text becomes
Markdown cells (see `markdown`), split before top-level headings so that Jupyter's
outline can fold them; each Python block becomes a code cell with the stored
check results as its outputs. Block options that a notebook runner understands become
the standard cell tags: `skip` (and a note's `execute: false`) is `skip-execution`,
`raises=` is `raises-exception`; all options are also kept in the cell metadata under
`notebook_runner`, so that reading the notebook back gives the same blocks.

The output folder mirrors the vault: `ML/Lesson 3.md` becomes `ML/Lesson 3.ipynb`, and
attachments the notes link to are copied to the same relative place, so links and
images work from the exported folder as they do in the vault. Nothing in the vault is
written to.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markdown_it.token import Token

from notebook_runner.atomic import write_atomic
from notebook_runner.execute.results import BlockResult
from notebook_runner.model import CodeBlock, Diagnostic, Heading, Note, SourceFile, Vault
from notebook_runner.notebooks.formats import (
    FORMATS,
    as_node,
    code_cell,
    markdown_cell,
    notebook,
    write_text,
)
from notebook_runner.notebooks.header import header_metadata, header_text
from notebook_runner.notebooks.markdown import CellBreak, LinkTargets, Piece, note_pieces
from notebook_runner.notebooks.outputs import block_outputs, ran
from notebook_runner.outputs import (
    EXPORT_MARKER,
    OutputRefused,
    manifest_bytes,
    name_list,
    read_manifest,
)

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "FORMATS",
    "KERNELSPEC",
    "ExportResult",
    "NotebookLinks",
    "SiteLinks",
    "export_vault",
    "jupyter_anchor",
    "note_notebook",
    "note_notebook_dict",
    "output_path",
]

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
METADATA_KEY = "notebook_runner"
SKIP_TAG = "skip-execution"
RAISES_TAG = "raises-exception"
_FALSE = frozenset({"false", "no", "0"})


def output_path(note_path: str, fmt: str) -> str:
    """The exported file of a note, relative to the output folder."""
    return str(PurePosixPath(note_path).with_suffix(FORMATS[fmt]))


def jupyter_anchor(heading: str) -> str:
    """The id Jupyter and Colab give a Markdown heading: its text, spaces as `-`."""
    return heading.strip().replace(" ", "-")


def _heading_key(text: str) -> str:
    """Obsidian matches link headings ignoring case, punctuation and spacing."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(char for char in folded if char.isalnum())


class _HeadingLookup:
    """Each note's headings by Obsidian's matching key, made once per note: matching
    every heading again for each link was quadratic in a long note linking to itself."""

    def __init__(self, notes: Mapping[str, Note]) -> None:
        self._notes = notes
        self._by_key: dict[str, dict[str, Heading]] = {}

    def heading(self, target: str, written: str | None) -> Heading | None:
        """The heading of note `target` that a link's `A#B` subpath names (its last part)."""
        note = self._notes.get(target)
        if note is None or not written:
            return None
        by_key = self._by_key.get(target)
        if by_key is None:
            by_key = self._by_key[target] = {}
            for heading in note.headings:
                by_key.setdefault(_heading_key(heading.text), heading)
        return by_key.get(_heading_key(written.split("#")[-1]))


@dataclass(frozen=True)
class NotebookLinks:
    """Links between the exported files: relative paths inside the output folder."""

    notes: Mapping[str, Note]
    fmt: str = "ipynb"
    headings: _HeadingLookup = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "headings", _HeadingLookup(self.notes))

    def href(self, source: str, target: str, heading: str | None, block: str | None) -> str:
        note = self.notes.get(target)
        path = output_path(target, self.fmt) if note is not None else target
        relative = posixpath.relpath(path, posixpath.dirname(source) or ".")
        found = self.headings.heading(target, heading)
        anchor = quote(jupyter_anchor(found.text), safe="") if found else ""
        return quote(relative, safe="/") + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class SiteLinks:
    """Links to the published site: each note's page under `base_url` (with the site's
    heading and block anchors); attachments stay relative, as they are copied along."""

    notes: Mapping[str, Note]
    base_url: str
    pages: Mapping[str, str]
    fmt: str = "ipynb"
    unpublished: NotebookLinks = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unpublished", NotebookLinks(self.notes, self.fmt))

    def href(self, source: str, target: str, heading: str | None, block: str | None) -> str:
        page = self.pages.get(target)
        if page is None:
            return self.unpublished.href(source, target, heading, block)
        found = self.unpublished.headings.heading(target, heading)
        anchor = "^" + block if block else found.id if found else None
        url = self.base_url.rstrip("/") + "/" + quote(page, safe="/")
        return url + (f"#{quote(anchor, safe='^')}" if anchor else "")


def note_notebook(
    note: Note,
    text: str,
    targets: LinkTargets,
    results: Sequence[BlockResult] = (),
    tokens: Sequence[Token] | None = None,
    line_breaks: bool = False,
) -> NotebookNode:
    """The notebook of one note; `results` are its blocks' stored check results, `tokens`
    the note's token stream from `parse.parse_tokens` when the caller has it;
    `line_breaks`: the vault shows single line breaks (`InlineWriter`)."""
    return as_node(note_notebook_dict(note, text, targets, results, tokens, line_breaks))


def note_notebook_dict(
    note: Note,
    text: str,
    targets: LinkTargets,
    results: Sequence[BlockResult] = (),
    tokens: Sequence[Token] | None = None,
    line_breaks: bool = False,
) -> dict[str, Any]:
    """`note_notebook` as plain dicts and lists, which `formats.write_text` takes too:
    the site writes thousands of `.ipynb` files and needs no `NotebookNode`s."""
    by_line = {result.line: result for result in results}
    skip_all = note.frontmatter.get("execute") is False
    header = header_text(note)
    cells: list[dict[str, Any]] = []
    if header:
        cells.append(markdown_cell(header, "cell-1"))
        cells[0]["metadata"] = {METADATA_KEY: {"header": True}}
    counter = 0
    for piece in _merged(note_pieces(note, text, targets, tokens, line_breaks)):
        cell_id = f"cell-{len(cells) + 1}"
        if isinstance(piece, str):
            cells.append(markdown_cell(piece, cell_id))
            continue
        result = by_line.get(piece.line)
        outputs: list[dict[str, Any]] = []
        count = None
        if result is not None and ran(result):
            counter += 1
            count = counter
            outputs = block_outputs(result, counter)
        metadata = _cell_metadata(piece, skip_all)
        cells.append(code_cell(_cell_source(piece), cell_id, metadata, outputs, count))
    metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        METADATA_KEY: header_metadata(note),
    }
    return notebook(cells, metadata)


def _merged(pieces: Sequence[Piece]) -> list[str | CodeBlock]:
    """Markdown cells (cell breaks honoured, empty text dropped) and code blocks."""
    merged: list[str | CodeBlock] = []
    for piece in pieces:
        if isinstance(piece, CellBreak):
            continue
        if isinstance(piece, str):
            if piece and not piece.isspace():
                merged.append(piece.strip("\n"))
            continue
        merged.append(piece)
    return merged


def _cell_source(block: CodeBlock) -> str:
    """The block's code without blank lines around it, which text formats do not keep."""
    lines = block.code.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    start = next((index for index, line in enumerate(lines) if line.strip()), len(lines))
    return "\n".join(lines[start:])


def _cell_metadata(block: CodeBlock, skip_all: bool) -> dict[str, object]:
    tags = []
    if skip_all or block.options.get("skip", "false").lower() not in _FALSE:
        tags.append(SKIP_TAG)
    if block.options.get("raises", "true") != "true":
        tags.append(RAISES_TAG)
    metadata: dict[str, object] = {}
    if tags:
        metadata["tags"] = tags
    if block.options:
        metadata[METADATA_KEY] = dict(block.options)
    return metadata


@dataclass(frozen=True)
class ExportResult:
    """What was written, as paths relative to the output folder."""

    notebooks: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()


def export_vault(
    vault: Vault,
    sources: Sequence[SourceFile],
    vault_root: Path,
    out_dir: Path,
    fmt: str,
    targets: LinkTargets,
    results: Mapping[str, Sequence[BlockResult]] | None = None,
    line_breaks: bool = False,
) -> tuple[ExportResult, list[Diagnostic]]:
    """Write one notebook per note, and the attachments they link to, under `out_dir`;
    `line_breaks`: the vault shows single line breaks (`InlineWriter`).

    A note that cannot be written is reported and the others are still exported. A file
    in the way that an earlier export did not write (the folder's marker lists what
    export wrote, see `outputs`) refuses the whole export before anything is written:
    `OutputRefused` lists them.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown notebook format {fmt!r}; known: {', '.join(FORMATS)}")
    texts = {source.path: source.text for source in sources}
    known = results or {}
    notebooks = {output_path(note.path, fmt): note for note in vault.notes}
    wanted = _attachments_wanted(vault)
    earlier = _claim(out_dir, [*notebooks, *wanted])
    written: list[str] = []
    diagnostics: list[Diagnostic] = []
    for relative, note in notebooks.items():
        stored = known.get(note.path, ())
        text = texts.get(note.path, "")
        exported = note_notebook_dict(note, text, targets, stored, line_breaks=line_breaks)
        problem = _write(out_dir / relative, write_text(exported, fmt), note.path)
        if problem is None:
            written.append(relative)
        else:
            diagnostics.append(problem)
    copied = _copy_attachments(wanted, vault_root, out_dir, diagnostics)
    _record(out_dir, [*earlier, *written, *copied])
    return ExportResult(tuple(written), tuple(copied)), diagnostics


def _claim(out_dir: Path, planned: Sequence[str]) -> frozenset[str]:
    """Refuse files in the way that export did not write; else record `planned` as ours
    before writing (a crash half-way leaves them claimed), and give what earlier
    exports wrote."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputRefused(f"output {out_dir} exists and is not a folder")
    manifest = read_manifest(out_dir, EXPORT_MARKER)
    earlier = frozenset() if manifest is None else manifest.files or frozenset()
    foreign = [
        path
        for path in sorted(planned)
        if os.path.lexists(out_dir / path) and (manifest is None or not manifest.owns_file(path))
    ]
    if foreign:
        raise OutputRefused(
            f"output folder {out_dir} holds files that export did not write where it would "
            f"write: {name_list(foreign)}; move them away or choose another folder"
        )
    _record(out_dir, [*earlier, *planned])
    return earlier


def _record(out_dir: Path, paths: Sequence[str]) -> None:
    try:
        write_atomic(out_dir / EXPORT_MARKER, manifest_bytes("export", set(paths)))
    except OSError as error:
        raise OutputRefused(f"cannot write {out_dir / EXPORT_MARKER}: {error.strerror}") from None


def _write(path: Path, text: str, note_path: str) -> Diagnostic | None:
    """Write through a temporary file, so an interrupted export leaves no half notebook."""
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        message = f"cannot write {path}: {error.strerror or error}"
        return Diagnostic(note_path, 1, "error", "export-failed", message)
    return None


def _attachments_wanted(vault: Vault) -> dict[str, tuple[str, int]]:
    """Vault files the notes link to, each with the first note and line linking it."""
    notes = {note.path for note in vault.notes}
    wanted: dict[str, tuple[str, int]] = {}
    for note in vault.notes:
        for link in note.links:
            if link.resolved is not None and link.resolved not in notes:
                wanted[link.resolved] = (note.path, link.line)
    return dict(sorted(wanted.items()))


def _copy_attachments(
    wanted: Mapping[str, tuple[str, int]],
    vault_root: Path,
    out_dir: Path,
    diagnostics: list[Diagnostic],
) -> list[str]:
    copied = []
    for relative, (path, line) in wanted.items():
        try:
            (out_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(vault_root / relative, out_dir / relative)
        except OSError as error:
            message = f"cannot copy attachment {relative}: {error.strerror or error}"
            diagnostics.append(Diagnostic(path, line, "warning", "export-failed", message))
            continue
        copied.append(relative)
    return copied
