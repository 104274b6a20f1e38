"""Copy-on-write of the mirrored vault entries, in the note process.

The working folder mirrors the note's folder with links into the vault (`mirror`), so
that reading `data.csv` reads the vault's file. Writing through such a link would
change the vault, so before a Python operation that changes what a path in the working
folder leads to, the entries on its way are copied out of the vault (the audit hook
calls `CopyOnWrite.before` ahead of the operation):

- a linked folder the path goes through becomes a real folder of links to its entries
  (`open("data/out.csv", "w")`, `os.remove("data/old.csv")`, `os.chdir("data")`);
- a linked file the operation writes to becomes a copy (opening it to write or append,
  `os.truncate`, `os.chmod`, `os.utime`; a file opened with truncation is only unlinked,
  since nothing of it is kept).

The note then reads its own copy, as a notebook reads a file it wrote. Deleting or
renaming a link itself changes only the working folder. Only Python operations raise
audit events: a C library or another program writing to a mirrored file's name writes
to the vault's file (see the README). A path outside the working folder (an absolute
path into the vault) is the note's explicit choice and is left alone.
"""

from __future__ import annotations

import errno
import os
import shutil

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

FOLLOWED = {
    "os.truncate": 0,
    "os.chmod": 0,
    "os.utime": 0,
    "os.chown": 0,
    "os.chdir": 0,
    "sqlite3.connect": 0,  # SQLite writes to its database file from C
}
"""Events whose operation changes the entry the path names, by argument index."""
PARENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.symlink": (1,),
    "os.link": (1,),
    "shutil.rmtree": (0,),
}
"""Events that change only the folder holding the path (not what a link points at)."""
EVENTS = frozenset({"open", *FOLLOWED, *PARENTS})


class CopyOnWrite:
    def __init__(self, work_dir: str, vault_root: str) -> None:
        self.work = os.path.realpath(work_dir)
        self.vault = vault_root.rstrip(os.sep) + os.sep
        self.busy = False
        """True while copying, which raises audit events of its own."""

    def before(self, event: str, args: tuple[object, ...]) -> None:
        """Raises PermissionError when an entry cannot be copied: the operation must not
        reach the vault."""
        if event == "open":
            flags = args[2]
            if isinstance(flags, int) and flags & WRITE_FLAGS:
                truncated = flags & os.O_TRUNC and flags & os.O_CREAT
                self._own(args[0], follow=True, truncated=bool(truncated))
        elif event in FOLLOWED:
            self._own(args[FOLLOWED[event]], follow=True)
        else:
            for index in PARENTS[event]:
                self._own(args[index], follow=False)

    def _own(self, path: object, follow: bool, truncated: bool = False) -> None:
        if isinstance(path, os.PathLike):
            path = os.fspath(path)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):  # a file descriptor
            return
        self.busy = True
        try:
            self._walk(path, follow, truncated)
        except OSError as error:
            message = f"notebook-runner could not copy {path!r} out of the vault to change it"
            raise PermissionError(errno.EACCES, f"{message} ({error.strerror})") from None
        finally:
            self.busy = False

    def _walk(self, path: str, follow: bool, truncated: bool) -> None:
        """Copy out every linked entry on the way (the last one only if `follow`); a
        folder copied out is real, so `..` after it is its real parent."""
        written = os.path.join(os.getcwd(), path)  # not normalised: `link/..` is no `.`
        if not written.startswith(self.work + os.sep):
            return
        parts = [part for part in written[len(self.work) :].split(os.sep) if part not in ("", ".")]
        current = self.work
        for index, part in enumerate(parts):
            current = os.path.dirname(current) if part == ".." else os.path.join(current, part)
            if not _inside(current, self.work):
                return
            last = index == len(parts) - 1
            target = self._linked(current)
            if target is None or (last and not follow):
                continue
            if os.path.isdir(current):
                _unfold(current, target)
            elif last and truncated:
                os.unlink(current)
            else:
                _copy(current, target)

    def _linked(self, path: str) -> str | None:
        """The vault entry `path` links to, when it is one of the mirror's links."""
        if not os.path.islink(path):
            return None
        target = os.readlink(path)
        return target if target.startswith(self.vault) else None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + os.sep)


def _unfold(path: str, target: str) -> None:
    """The linked folder as a real one holding links to its entries."""
    staged = path + ".notebook-runner-copy"
    os.mkdir(staged)
    for name in os.listdir(target):
        os.symlink(os.path.join(target, name), os.path.join(staged, name))
    os.unlink(path)
    os.rename(staged, path)


def _copy(path: str, target: str) -> None:
    staged = path + ".notebook-runner-copy"
    shutil.copy2(target, staged)
    os.replace(staged, path)
