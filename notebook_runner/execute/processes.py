"""Finding and ending every process a note started, from /proc (Linux).

A note's processes are not one process group: a snippet can `setsid()` or
`setpgid(0, 0)` in what it starts. They are one tree instead, because every note
process is a child subreaper (`limits.become_subreaper`): what its children leave
behind when they exit is re-parented to the note process, not to init. So the note's
processes are its descendants, which the runner counts (the fork-bomb guard) and kills.
When the note process itself has gone, its leftovers are re-parented to the fork
server, the next subreaper up, whose only rightful children are note processes: it
ends every other child (`kill_strays`), and every child when it stops (`end_children`).

Where there is no /proc, nothing is found and only process groups are killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Collection, Iterable

ProcessTable = dict[int, tuple[int, str]]
"""pid -> (parent pid, state letter) of every process."""


def process_table() -> ProcessTable:
    table: ProcessTable = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            table[int(name)] = (int(fields[1]), fields[0].decode())
        except (OSError, IndexError, ValueError):
            continue
    return table


def descendants(table: ProcessTable, roots: Iterable[int]) -> dict[int, list[int]]:
    """For each root, its live (not zombie) descendants."""
    children: dict[int, list[int]] = {}
    for pid, (parent, state) in table.items():
        if state != "Z":
            children.setdefault(parent, []).append(pid)
    found: dict[int, list[int]] = {}
    for root in roots:
        tree: list[int] = []
        pending = list(children.get(root, ()))
        while pending:
            pid = pending.pop()
            tree.append(pid)
            pending.extend(children.get(pid, ()))
        found[root] = tree
    return found


def kill_all(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def children_of_self() -> list[int]:
    """This (single-threaded) process's children, zombies included: one small read where
    the kernel lists them, else a scan of /proc."""
    pid = os.getpid()
    try:
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as listing:
            return [int(word) for word in listing.read().split()]
    except OSError:
        return [child for child, (parent, _) in process_table().items() if parent == pid]


def kill_strays(keep: Collection[int]) -> bool:
    """SIGKILL every child of this process not in `keep`, with all its descendants.
    False (after one small read) when there is none, the common case."""
    strays = [pid for pid in children_of_self() if pid not in keep]
    if not strays:
        return False
    trees = descendants(process_table(), strays)
    kill_all([*strays, *(pid for tree in trees.values() for pid in tree)])
    return True


def end_children(timeout: float = 5.0) -> None:
    """Kill and reap every child and descendant of this subreaper until none is left:
    a descendant forked while its parent was being killed is re-parented here and
    found by the next round. Gives up after `timeout` on what cannot be killed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kill_strays(())
        try:
            reaped = _reap_available()
        except ChildProcessError:
            return
        if not reaped:
            time.sleep(0.002)


def _reap_available() -> bool:
    reaped = False
    while True:
        pid, _ = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            return reaped
        reaped = True


def nproc_limit(allowance: int) -> int | None:
    """RLIMIT_NPROC counts all processes of the user, so the cap is what the user runs
    now plus the allowance. Root is exempt from RLIMIT_NPROC; the runner's guard
    (`descendants`) covers it."""
    if not hasattr(os, "getuid") or os.getuid() == 0:
        return None
    uid = os.getuid()
    count = 0
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count + allowance if count else None
