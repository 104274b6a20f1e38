"""Finding and reading the files of a vault, as Obsidian sees them.

Choices, following Obsidian:
- Notes are `*.md` files; every other file is an attachment that embeds can point at.
- Except notebooks, which are notes too: `.ipynb` files and jupytext `py:percent`
  scripts are read as Markdown (`notebooks.ingest`), keep their own path, and bring a
  line map so that problems are reported at their cells. A script paired with an
  `.ipynb` of the same name is that notebook, not a second note nor an attachment. A
  notebook jupytext cannot read is reported and stays an attachment (links to it work).
- Dot-folders (`.obsidian/`, `.git/`, `.trash/`, `.notebook-runner/`) are skipped, as are
  paths matching the config's `vault.ignore` globs and folders below the vault's own
  that `build` or `export` wrote (they hold `outputs.OUTPUT_MARKERS`): a site or
  exported notebooks are never read back as notes. Without `vault.ignore`, Obsidian's
  templates folders are skipped (`obsidian_settings`), as Quartz skips `templates`:
  templates are placeholders, not notes.
- A symlink is followed only when its real target stays inside the vault, so a link to
  `/` or `~` can never pull the whole disk in; each real folder is visited once, under
  its real path when the walk can reach it that way first.
- `serve` checks the rule again each time it serves a file (`open_inside`).
- A file that is not valid UTF-8 is still read (undecodable bytes become U+FFFD) and gets
  a warning at the line of the first bad byte: one odd file must not hide a note.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from notebook_runner.diagnostics import at_line
from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.obsidian_settings import ObsidianSettings, read_obsidian_settings
from notebook_runner.outputs import OUTPUT_MARKERS

if TYPE_CHECKING:
    from notebook_runner.notebooks.ingest import LineMap

NOTE_SUFFIX = ".md"
NOTEBOOK_SUFFIXES = frozenset({".ipynb", ".py"})


@dataclass(frozen=True)
class LoadedVault:
    """The vault's notes (notebooks included, as Markdown) and other files.

    `line_maps` has one entry per note read from a notebook: its lines are generated
    Markdown, and `locate` turns them back into cells."""

    root: Path
    sources: tuple[SourceFile, ...]
    attachments: tuple[str, ...]
    obsidian: ObsidianSettings
    line_maps: Mapping[str, LineMap] = field(default_factory=dict)

    @property
    def attachment_folder(self) -> str | None:
        return self.obsidian.attachment_folder

    def locate(self, path: str, line: int) -> str:
        """Where a person finds note line `line` of `path` (a `diagnostics.Locator`)."""
        return locate_in(self.line_maps, path, line)


def locate_in(line_maps: Mapping[str, LineMap], path: str, line: int) -> str:
    """A note's own `path:line`, or the notebook cell that a line of a notebook's note
    came from."""
    line_map = line_maps.get(path)
    return at_line(path, line) if line_map is None else line_map.location(line)


@dataclass
class _Notebooks:
    """What reading the notebook candidates gave: notes, their maps, the other files."""

    sources: list[SourceFile] = field(default_factory=list)
    line_maps: dict[str, LineMap] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class VaultListing:
    """A vault's files, found but its Markdown notes not read yet: `build` has each of
    its workers read its own share of the notes. Notebooks are read already (telling a
    notebook from a script takes its text), with what reading them found wrong."""

    root: Path
    notes: tuple[str, ...]
    """Every note, Markdown and notebook, in sorted path order."""
    notebooks: Mapping[str, SourceFile]
    attachments: tuple[str, ...]
    obsidian: ObsidianSettings
    line_maps: Mapping[str, LineMap]
    problems: tuple[Diagnostic, ...]

    def read(self, path: str) -> tuple[SourceFile, list[Diagnostic]]:
        """The note at vault path `path` (one of `notes`), and what reading it found."""
        notebook = self.notebooks.get(path)
        if notebook is not None:
            return notebook, []
        return read_note(os.path.join(str(self.root), path), path)


def list_vault(root: Path, ignore: Sequence[str] | None = None) -> VaultListing:
    """Find every note under `root` (see the module docstring), reading only notebooks.
    `ignore`: the `[vault] ignore` globs; None (not set) skips the templates folders."""
    obsidian = read_obsidian_settings(root)
    if ignore is None:
        ignore = [f"{folder}/**" for folder in obsidian.template_folders]
    notes: list[str] = []
    attachments: list[str] = []
    candidates: dict[str, tuple[SourceFile, list[Diagnostic]]] = {}
    top = str(root)
    for relative in sorted(_walk(root.resolve(), ignore)):
        if relative.endswith(NOTE_SUFFIX):
            notes.append(relative)
        elif PurePosixPath(relative).suffix.lower() in NOTEBOOK_SUFFIXES:
            candidates[relative] = read_note(os.path.join(top, relative), relative)
        else:
            attachments.append(relative)
    found = _read_notebooks(candidates)
    return VaultListing(
        root,
        tuple(sorted([*notes, *(source.path for source in found.sources)])),
        {source.path: source for source in found.sources},
        tuple(sorted([*attachments, *found.attachments])),
        obsidian,
        found.line_maps,
        tuple(found.diagnostics),
    )


def load_vault(
    root: Path, ignore: Sequence[str] | None = None
) -> tuple[LoadedVault, list[Diagnostic]]:
    """Read every note under `root` in sorted path order (stable output everywhere)."""
    listing = list_vault(root, ignore)
    sources: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    for path in listing.notes:
        source, problems = listing.read(path)
        sources.append(source)
        diagnostics.extend(problems)
    loaded = LoadedVault(
        root, tuple(sources), listing.attachments, listing.obsidian, listing.line_maps
    )
    return loaded, [*diagnostics, *listing.problems]


def _read_notebooks(candidates: Mapping[str, tuple[SourceFile, list[Diagnostic]]]) -> _Notebooks:
    """Notes from the `.ipynb` and `.py` files that are notebooks; the rest are attachments.

    jupytext is imported only when a vault has such files: it costs a quarter of a
    second that a vault of Markdown notes should not pay."""
    found = _Notebooks()
    if not candidates:
        return found
    from notebook_runner.notebooks.ingest import notebook_format, pick_notebooks, read_notebook

    texts = {path: source.text for path, (source, _) in candidates.items()}
    picked = pick_notebooks(texts)
    for path, fmt in picked.items():
        ingested, problems = read_notebook(path, texts[path], fmt)
        read_problems = [d for d in candidates[path][1] if d.code != "empty-note"]
        found.diagnostics.extend([*read_problems, *problems])
        if ingested is not None:
            found.sources.append(ingested.source)
            found.line_maps[path] = ingested.line_map
    for path, text in texts.items():
        paired = str(PurePosixPath(path).with_suffix(".ipynb")) in found.line_maps
        is_pair = paired and path not in picked and notebook_format(path, text) == "py:percent"
        if path not in found.line_maps and not is_pair:
            found.attachments.append(path)
    return found


def read_note(path: Path | str, relative: str) -> tuple[SourceFile, list[Diagnostic]]:
    """Decode one note; never raises for content, only reports."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        message = f"cannot read note: {error.strerror or error}"
        return SourceFile(relative, ""), [Diagnostic(relative, 1, "error", "unreadable", message)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad_byte = data[error.start]
        message = f"not valid UTF-8 (byte 0x{bad_byte:02x}); undecodable bytes shown as \ufffd"
        hint = "re-save the note as UTF-8"
        warning = Diagnostic(relative, line, "warning", "not-utf8", message, hint)
        return SourceFile(relative, data.decode("utf-8", errors="replace")), [warning]
    if not text.strip():
        return SourceFile(relative, text), [
            Diagnostic(relative, 1, "info", "empty-note", "note is empty")
        ]
    return SourceFile(relative, text), []


def _walk(root: Path, ignore: Sequence[str]) -> Iterator[str]:
    """Vault paths of the files under `root` (resolved). Strings and `os` calls, not
    `Path` objects: building three `Path`s per file was most of reading 10,000 notes."""
    top = str(root)
    seen_dirs: set[str] = set()
    for directory, dirnames, filenames in os.walk(top, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen_dirs or not _contains(top, real):
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        if directory != top and _generated(filenames):
            dirnames[:] = []
            continue
        # Real folders before symlinked ones, so a note is listed under its real path.
        visible = [name for name in dirnames if not name.startswith(".")]
        dirnames[:] = sorted(
            visible, key=lambda name: (os.path.islink(os.path.join(directory, name)), name)
        )
        folder = os.path.relpath(directory, top).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in filenames:
            if name.startswith("."):
                continue
            relative = prefix + name
            if _ignored(relative, ignore) or not _inside(os.path.join(directory, name), top):
                continue
            yield relative


def _generated(filenames: Sequence[str]) -> bool:
    """A folder that `build` or `export` wrote (it holds their marker): read as notes, a
    site's generated notebooks would come back as new notes at every build."""
    return any(marker in filenames for marker in OUTPUT_MARKERS)


def _contains(top: str, path: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _ignored(relative: str, patterns: Sequence[str]) -> bool:
    return any(glob_match(relative, pattern) for pattern in patterns)


def glob_match(relative: str, pattern: str) -> bool:
    """Match a vault path against a gitignore-style glob: `*` stays inside one folder,
    `**/` spans any number of folders (including none), so `**/*.md` matches `a.md`."""
    return _glob_regex(pattern).fullmatch(relative) is not None


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts))


def _inside(path: str, top: str) -> bool:
    """A regular file, or a symlink to one inside the vault. `_walk` only enters folders
    whose real path is inside the vault, so only symlinks need resolving (resolving
    every file costs a system call per folder of its path)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    if stat.S_ISLNK(mode):
        return _contains(top, os.path.realpath(path)) and os.path.isfile(path)
    return stat.S_ISREG(mode)


_OPEN_FOR_READING = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0)


def open_inside(path: Path, root: Path) -> BinaryIO | None:
    """`path` opened for reading if it is, now, a regular file whose real path lies
    inside the vault `root`; None otherwise.

    For `serve`, which lists the vault once and serves its files for as long as it runs:
    a file swapped meanwhile for a symlink to `/etc/passwd` must not be served, as
    `build`, which lists and copies at once, never copies it. The file is opened first,
    then its identity compared with that of its real path, so a link swapped between
    the check and the opening is caught too; opening does not wait (a named pipe put in
    a file's place would hang the request)."""
    try:
        descriptor = os.open(path, _OPEN_FOR_READING)
    except OSError:
        return None
    try:
        opened = os.fstat(descriptor)
        real = os.path.realpath(path)
        named = os.stat(real)
    except OSError:
        os.close(descriptor)
        return None
    same = (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)
    if not (same and stat.S_ISREG(opened.st_mode) and _contains(os.path.realpath(root), real)):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")
