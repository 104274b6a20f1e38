"""What the note process watches from inside, through one audit hook (PEP 578).

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

PARENT_MESSAGE = (
    "a note may not signal its parent process, notebook-runner's fork server, which "
    "runs the other notes"
)
EVERYONE_MESSAGE = "a note may not signal every process (kill -1)"


class NoteAudit:
    def __init__(self) -> None:
        self.parent = os.getppid()
        try:
            self.parent_group = os.getpgid(self.parent)
        except OSError:
            self.parent_group = self.parent

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "os.kill":
            self._check_kill(args[0], args[1])
        elif event == "os.killpg":
            self._check_kill(-args[0], args[1])

    def _check_kill(self, target: int, signal: int) -> None:
        """`target` as `kill(2)` reads it: a negative number is a process group."""
        if signal == 0:  # only asks whether the process exists
            return
        if target == -1:
            raise PermissionError(errno.EPERM, EVERYONE_MESSAGE)
        if target in (self.parent, -self.parent_group):
            raise PermissionError(errno.EPERM, PARENT_MESSAGE)


def install() -> NoteAudit:
    audit = NoteAudit()
    sys.addaudithook(audit)
    return audit
