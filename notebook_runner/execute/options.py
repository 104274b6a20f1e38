"""How a check runs (`CheckOptions`), as opposed to what it runs (`CheckConfig`).

Its own module because both `runner` (which decides what to run) and `scheduler`
(which runs it) read the options, and `runner` imports `scheduler`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from notebook_runner.execute.results import NoteResult


@dataclass(frozen=True)
class CheckOptions:
    """How to run, as opposed to what (CheckConfig).

    `shard` is (K, N), 1-based: run the K-th of N deterministic parts of the notes.
    `max_processes` caps the processes one note may have at once (fork-bomb guard).
    `start_method` forces "spawn"; by default the fork server is used where fork exists.
    """

    jobs: int | None = None
    keep_going: bool = False
    use_cache: bool = True
    shard: tuple[int, int] | None = None
    on_progress: Callable[[NoteResult], None] | None = None
    max_processes: int = 64
    start_method: Literal["fork", "spawn"] | None = None
