"""A note's working folder: a scratch folder that mirrors the note's folder (runner side).

Jupyter and nbmake run a notebook in its own folder, so `open("data.csv")` finds the
file beside it. A note runs in a scratch folder instead, so that what it writes never
lands in the vault; to read like Jupyter, that folder holds a symbolic link to each
entry of the note's folder (`data.csv`, `images/`), and the note process copies an
entry out of the vault before anything writes to it (`writes`, copy-on-write).

Making thousands of links costs tens of milliseconds on a busy disk, so a mirror is
made once and reused by the next note of the same folder: before a note it is brought
up to date with the folder (one listing), and after it, what the note changed is put
back (one listing of the mirror: entries that are not our links, or not the same links,
are removed and linked again). The vault's state folder (`.notebook-runner/`) is not
mirrored.
"""

from __future__ import annotations

import contextlib
import os
import shutil

from notebook_runner.outputs import STATE_FOLDER


class Mirror:
    """`links`: each mirrored name and the inode of its link, which tells a link the
    note replaced (a copy, another link) from ours."""

    def __init__(self, folder: str, source: str) -> None:
        self.folder = folder
        self.source = source
        self.links: dict[str, int] = {}

    def sync(self) -> None:
        """Link what the note's folder holds now; unlink what it no longer holds."""
        wanted = _entries(self.source)
        for name in [name for name in self.links if name not in wanted]:
            _remove(os.path.join(self.folder, name))
            del self.links[name]
        for name in wanted:
            if name not in self.links:
                self._link(name)

    def repair(self) -> None:
        """Undo what a note did to the mirror: new entries, copies, replaced links."""
        seen: set[str] = set()
        with os.scandir(self.folder) as entries:
            for entry in entries:
                ours = self.links.get(entry.name)
                if ours is not None and entry.is_symlink() and entry.inode() == ours:
                    seen.add(entry.name)
                else:
                    _remove(entry.path)
        for name in [name for name in self.links if name not in seen]:
            self._link(name)

    def _link(self, name: str) -> None:
        """A link that cannot be made (a file system without them) is left out: the note
        runs without that entry, as in an empty folder."""
        path = os.path.join(self.folder, name)
        try:
            os.symlink(os.path.join(self.source, name), path)
            self.links[name] = os.lstat(path).st_ino
        except OSError:
            _remove(path)


def _entries(folder: str) -> set[str]:
    try:
        names = set(os.listdir(folder))
    except OSError:
        return set()
    names.discard(STATE_FOLDER)
    return names


def _remove(path: str) -> None:
    """A link or a file is unlinked (a link to a folder too: never what it points at);
    a real folder the note made is removed with what it holds."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
