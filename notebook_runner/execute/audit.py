"""What the note process watches from inside, through one audit hook (PEP 578).

Files: every path under the vault that a block opens (to read or write, even if the
open fails: a file that appears later changes the result too), and every module it
imports from the vault, are sent to the runner with the results (`inputs`), so that
the cache knows what else the result depends on. A path in the working folder, which
mirrors the note's folder (`mirror`), counts as the same path in the note's folder:
`open("data.csv")` depends on the vault's `data.csv`. At most `MAX_INPUTS` are kept:
past that, the result is not replayed from the cache. Operations that would write
through the mirror into the vault are preceded by a copy (`writes`).

Signals: the note process's parent is the fork server, which runs the other notes
(with spawn, the runner itself). `os.kill(os.getppid(), 9)`, a signal to the parent's
process group, or to every process (`os.kill(-1, ...)`) raises `PermissionError` in
the block instead of being sent, so the note fails at that line and the run goes on.
What goes around Python's `os.kill` (a shell's `kill`, ctypes) is caught from outside
(see `scheduler` and `server`).

A hook cannot be removed and sees every audited event of the process, so it does as
little as it can: one comparison for the events it ignores.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

from notebook_runner.execute.writes import EVENTS as WRITE_EVENTS
from notebook_runner.execute.writes import CopyOnWrite

PARENT_MESSAGE = (
    "a note may not signal its parent process, notebook-runner's fork server, which "
    "runs the other notes"
)
EVERYONE_MESSAGE = "a note may not signal every process (kill -1)"
MAX_INPUTS = 1000


class NoteAudit:
    def __init__(self, vault_root: str, work_dir: str = "", note_dir: str = "") -> None:
        self.parent = os.getppid()
        try:
            self.parent_group = os.getpgid(self.parent)
        except OSError:
            self.parent_group = self.parent
        self.vault = vault_root.rstrip(os.sep) + os.sep
        self.opened: set[str] = set()
        self.imported: list[str] = []
        self.writes = CopyOnWrite(work_dir, vault_root) if work_dir else None
        self.mirror = self.writes.work + os.sep if self.writes is not None else None
        self.note_dir = note_dir

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event in WRITE_EVENTS:
            if self.writes is not None and self.writes.busy:
                return  # its own copying: not the note's inputs
            if event == "open":
                self._opened(args[0])
            if self.writes is not None:
                self.writes.before(event, args)
        elif event == "import":
            self.imported.append(args[0])
        elif event == "os.kill":
            self._check_kill(args[0], args[1])
        elif event == "os.killpg":
            self._check_kill(-args[0], args[1])

    def _opened(self, path: object) -> None:
        """Nothing here may raise an audit event itself (`os.getcwd` does not), nor an
        exception: it would fail the snippet's `open`."""
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str) or len(self.opened) > MAX_INPUTS:
            return
        if not path.startswith(os.sep):
            try:
                path = os.path.join(os.getcwd(), path)
            except OSError:  # the working folder was deleted
                return
        if self.mirror is not None and path.startswith(self.mirror):
            path = os.path.normpath(os.path.join(self.note_dir, path[len(self.mirror) :]))
        if path.startswith(self.vault):
            self.opened.add(path)

    def inputs(self) -> tuple[str, ...] | None:
        """The vault files opened or imported, as absolute paths; None past the limit."""
        for name in self.imported:
            try:  # a module's own `__getattr__` may run here
                file = getattr(sys.modules.get(name), "__file__", None)
            except Exception:
                continue
            if isinstance(file, str) and file.startswith(self.vault):
                self.opened.add(file)
        self.imported.clear()
        return None if len(self.opened) > MAX_INPUTS else tuple(sorted(self.opened))

    def _check_kill(self, target: int, signal: int) -> None:
        """`target` as `kill(2)` reads it: a negative number is a process group."""
        if signal == 0:  # only asks whether the process exists
            return
        if target == -1:
            raise PermissionError(errno.EPERM, EVERYONE_MESSAGE)
        if target in (self.parent, -self.parent_group):
            raise PermissionError(errno.EPERM, PARENT_MESSAGE)


def install(vault_root: str, work_dir: str = "", note_dir: str = "") -> NoteAudit:
    audit = NoteAudit(vault_root, work_dir, note_dir)
    sys.addaudithook(audit)
    return audit
