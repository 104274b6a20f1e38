"""When each note last changed, for the sitemap and the feed, the same on every rebuild.

In order: the date the note's frontmatter gives (`updated`, `modified`, `date`,
`created`: `model.written_date`), read as ISO 8601 (a date alone is midnight UTC, a
time without a zone UTC); else, in a git repository, the author time of the last commit
that touched the file (one `git log` for the whole vault: a checkout sets every file's
time to the moment of the checkout, so file times in CI say nothing); else the file's
modification time. Times from git or the file are clamped to SOURCE_DATE_EPOCH when it
is set (reproducible-builds.org), so that a rebuild is byte-identical. A shallow clone
knows only its last commit: CI must fetch the whole history (`fetch-depth: 0`).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

GIT_TIMEOUT = 60.0
"""Seconds `git log` may take before file times are used instead."""
_COMMIT = "\x01"


def written_time(date: str) -> int | None:
    """A frontmatter date as Unix time; None when it is not ISO 8601."""
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def file_times(root: Path, paths: Iterable[str], epoch: int | None) -> dict[str, int]:
    """Unix time each of `paths` (vault paths) last changed: its last commit, else its
    modification time; clamped to `epoch`. A file that cannot be read is left out."""
    wanted = list(paths)
    if not wanted:
        return {}
    committed = commit_times(root)
    found: dict[str, int] = {}
    for path in wanted:
        seconds = committed.get(path)
        if seconds is None:
            try:
                seconds = int(os.stat(os.path.join(root, path)).st_mtime)
            except OSError:
                continue
        found[path] = seconds if epoch is None else min(seconds, epoch)
    return found


def commit_times(root: Path) -> dict[str, int]:
    """Vault path -> author time of the newest commit touching it, from one `git log`
    run in the vault (paths relative to it); {} outside a repository or without git."""
    command = [
        "git",
        "log",
        f"--format={_COMMIT}%at",
        "--name-only",
        "-z",
        "--no-renames",
        "--relative",
        "--",
        ".",
    ]
    try:
        done = subprocess.run(
            command, cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    return _parsed_log(done.stdout.decode("utf-8", "surrogateescape"))


def _parsed_log(output: str) -> dict[str, int]:
    """`git log -z --name-only` output: each commit's `\\x01TIME` and then its files,
    all NUL-separated (the first file after a newline); newest commits first."""
    times: dict[str, int] = {}
    current: int | None = None
    for field in output.split("\0"):
        if field.startswith(_COMMIT):
            current = int(field[1:]) if field[1:].isdigit() else None
        elif current is not None:
            name = field.removeprefix("\n")
            if name:
                times.setdefault(name, current)
    return times
