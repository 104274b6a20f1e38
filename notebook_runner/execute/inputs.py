"""The vault files a note's result depends on, beyond its code: what its blocks read.

A note that imports `helper.py` or reads `data.csv` beside it gives another result
when they change. The note process records every vault file its blocks open or import
(`audit`); the runner adds the Python modules of the note's folder (one beside the
note can shadow any import, and a subprocess the note starts may run one), and the
cache stores a fingerprint of each: its content's digest and, to spare re-reading a
large unchanged file on every run, its size, times and inode. A later run replays the
result only if every fingerprint still matches, by those stat fields when the file
was already old when it was hashed, else by digest. Files outside the vault (the
standard library, site-packages, `/tmp`) are not followed; neither are directory
listings nor files opened by C code or by programs the note runs.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

RACY_NS = 2_000_000_000
"""A file modified this close before it was hashed may have changed again since with
the same timestamp and size: for it the stat fields prove nothing, the digest decides."""
IGNORED_PARTS = frozenset({".notebook-runner", "__pycache__"})

Fingerprint = list[Any]
"""[size, mtime_ns, ctime_ns, inode, sha256 hex digest]; [] for a file that is missing."""


class Fingerprints:
    """Fingerprints of vault files, each file hashed at most once per run."""

    def __init__(self, vault_root: Path) -> None:
        self.vault_root = vault_root.resolve()
        self._known: dict[str, Fingerprint | None] = {}
        self._modules: dict[str, list[str]] = {}

    def of_note(self, note_path: str, opened: Iterable[str]) -> dict[str, Fingerprint]:
        """Vault-relative path -> fingerprint, for the files the note opened (absolute
        paths; folders and the like left out) and the Python modules of its folder."""
        relative = {path for path in map(self.relative, opened) if path is not None}
        relative.update(self.folder_modules(note_path))
        found = {path: self._fingerprint(path) for path in sorted(relative)}
        return {path: print_ for path, print_ in found.items() if print_ is not None}

    def relative(self, path: str) -> str | None:
        try:
            parts = Path(os.path.normpath(path)).relative_to(self.vault_root).parts
        except ValueError:
            return None
        if not parts or IGNORED_PARTS.intersection(parts):
            return None
        return "/".join(parts)

    def folder_modules(self, note_path: str) -> list[str]:
        """The `.py` files beside the note (vault-relative), sorted."""
        folder = os.path.dirname(note_path)
        if folder not in self._modules:
            try:
                names = sorted(n for n in os.listdir(self.vault_root / folder) if n.endswith(".py"))
            except OSError:
                names = []
            self._modules[folder] = [f"{folder}/{n}" if folder else n for n in names]
        return self._modules[folder]

    def unchanged(self, stored: Mapping[str, Fingerprint], hashed_at: int) -> bool:
        """Whether every file is as it was when the fingerprints were taken (`hashed_at`,
        in ns since the epoch)."""
        return all(self._same(path, print_, hashed_at) for path, print_ in stored.items())

    def _same(self, path: str, stored: Fingerprint, hashed_at: int) -> bool:
        current = _stat_fields(self.vault_root / path)
        if not stored or current is None:
            return not stored and current is None
        old_enough = stored[1] < hashed_at - RACY_NS
        return (old_enough and current == stored[:4]) or self._fingerprint(path) == stored

    def _fingerprint(self, path: str) -> Fingerprint | None:
        if path not in self._known:
            self._known[path] = _fingerprint(self.vault_root / path)
        return self._known[path]


def now_ns() -> int:
    return time.time_ns()


def _stat_fields(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _fingerprint(path: Path) -> Fingerprint | None:
    """[] for a missing file (if it appears, the note runs again); None for what is not
    a file (a folder the note tried to open)."""
    if not path.exists():
        return []
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    try:
        fields = _stat_fields(path)
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return [*(fields or []), digest.hexdigest()]
