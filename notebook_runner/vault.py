"""Finding and reading the files of a vault, as Obsidian sees them.

Choices, following Obsidian:
- Notes are `*.md` files; every other file is an attachment that embeds can point at.
- Dot-folders (`.obsidian/`, `.git/`, `.trash/`, `.notebook-runner/`) are skipped, as are
  paths matching the config's `vault.ignore` globs.
- A symlink is followed only when its real target stays inside the vault, so a link to
  `/` or `~` can never pull the whole disk in; each real folder is visited once, under
  its real path when the walk can reach it that way first.
- A file that is not valid UTF-8 is still read (undecodable bytes become U+FFFD) and gets
  a warning at the line of the first bad byte: one odd file must not hide a note.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from notebook_runner.model import Diagnostic, SourceFile

NOTE_SUFFIX = ".md"


@dataclass(frozen=True)
class LoadedVault:
    root: Path
    sources: tuple[SourceFile, ...]
    attachments: tuple[str, ...]
    attachment_folder: str | None


def load_vault(root: Path, ignore: Sequence[str] = ()) -> tuple[LoadedVault, list[Diagnostic]]:
    """Read every note under `root` in sorted path order (stable output everywhere)."""
    diagnostics: list[Diagnostic] = []
    sources: list[SourceFile] = []
    attachments: list[str] = []
    for relative in sorted(_walk(root.resolve(), ignore)):
        if relative.endswith(NOTE_SUFFIX):
            source, problems = read_note(root / relative, relative)
            sources.append(source)
            diagnostics.extend(problems)
        else:
            attachments.append(relative)
    loaded = LoadedVault(root, tuple(sources), tuple(attachments), _attachment_folder(root))
    return loaded, diagnostics


def read_note(path: Path, relative: str) -> tuple[SourceFile, list[Diagnostic]]:
    """Decode one note; never raises for content, only reports."""
    try:
        data = path.read_bytes()
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
    seen_dirs: set[Path] = set()
    for directory, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(directory)
        real = here.resolve()
        if real in seen_dirs or not real.is_relative_to(root):
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        # Real folders before symlinked ones, so a note is listed under its real path.
        visible = [name for name in dirnames if not name.startswith(".")]
        dirnames[:] = sorted(visible, key=lambda name: ((here / name).is_symlink(), name))
        for name in filenames:
            if name.startswith("."):
                continue
            path = here / name
            relative = path.relative_to(root).as_posix()
            if _ignored(relative, ignore) or not _inside(path, root):
                continue
            yield relative


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


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root) and path.is_file()
    except OSError:
        return False


def _attachment_folder(root: Path) -> str | None:
    """Obsidian's "Default location for new attachments" (`.obsidian/app.json`)."""
    try:
        settings = json.loads((root / ".obsidian" / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = settings.get("attachmentFolderPath") if isinstance(settings, dict) else None
    return folder if isinstance(folder, str) and folder else None
