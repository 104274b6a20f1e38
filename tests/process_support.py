"""Finding the processes a test started, for the tests of what outlives a check."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path


def new_marker() -> str:
    """An environment variable name that only the processes of one test inherit."""
    return f"NBR_TEST_{uuid.uuid4().hex}"


def live_processes_with(marker: str) -> list[int]:
    """Processes (not zombies) whose environment holds `marker`."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            environ = Path(f"/proc/{name}/environ").read_bytes()
            state = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(name))
    return found


def alive(pid: int) -> bool:
    """Running or sleeping: a zombie has ended, it only waits to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def still_alive(pids: list[int], wait: float = 5.0) -> list[int]:
    """Those of `pids` alive after up to `wait` seconds (a kill takes a moment)."""
    deadline = time.monotonic() + wait
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def pids_in(path: Path) -> list[int]:
    return [int(word) for word in path.read_text().split()] if path.exists() else []
