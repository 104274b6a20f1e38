"""The note process's limits, applied once it is forked or spawned.

Apart from `sandbox` (what the note process runs) because these are about the process,
not the note: the address space is capped at what the process held when it started (the
preloaded modules) plus `memory_mb`, so a large allocation raises `MemoryError`; the
number of the user's processes is capped (the runner's process guard covers root); core
dumps are off; the process dies with its parent, and it adopts what its children leave.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
from typing import Any

if sys.platform != "win32":
    import resource

MIB = 1024 * 1024


def prepare_for_fork() -> None:
    """Called by the fork server before its first fork: work every note process would
    otherwise redo. Loading libc through ctypes builds classes, about 0.3 ms and a
    hundred copy-on-write page faults per note, several times a trivial note's work."""
    if sys.platform.startswith("linux"):
        _prctl()


def die_with_parent() -> None:
    """If the fork server dies, its note processes must not live on."""
    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    _prctl()(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to this process instead of init, so that
    whatever a note started stays in its process tree (see `processes`)."""
    if not sys.platform.startswith("linux"):
        return
    pr_set_child_subreaper = 36
    _prctl()(pr_set_child_subreaper, 1, 0, 0, 0)


@functools.cache
def _prctl() -> Any:
    return ctypes.CDLL(None, use_errno=True).prctl


def apply_limits(memory_mb: int, nproc_limit: int | None) -> None:
    if sys.platform == "win32":  # no rlimits: only the runner's timeouts apply
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb > 0:
        _lower_limit(resource.RLIMIT_AS, _address_space() + memory_mb * MIB)
    if nproc_limit is not None:
        _lower_limit(resource.RLIMIT_NPROC, nproc_limit)


def _lower_limit(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft == resource.RLIM_INFINITY or value < soft:
        resource.setrlimit(which, (value, hard))


def _address_space() -> int:
    """Virtual size already mapped (preloaded modules count against no snippet).

    Read as bytes with `os` calls: a text file would import an encoding module in
    every note process (about 0.8 ms)."""
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return 0
    try:
        return int(os.read(fd, 256).split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
    finally:
        os.close(fd)
