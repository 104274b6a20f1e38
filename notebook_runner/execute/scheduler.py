"""The loop that watches the running note processes of one check.

`check_notes` (in `runner`) decides what to run; the `Scheduler` runs it: it asks a
launcher (the warm fork server, or spawn) for one process per note, at most `jobs` at
a time, and a single-threaded select loop then watches every running note: block
start/done messages, exit statuses, block deadlines, and the number of processes each
note has (the fork-bomb guard: the note process and all its descendants, whatever
their process group or session, which also works as root, where RLIMIT_NPROC is not
enforced). Whatever happens, on the way out (including Ctrl-C) every note process
group it started is killed; what else a note started is ended by the fork server (see
`processes`).

A note can kill the fork server, its parent. The notes running on it die with it; the
note that was in a block is blamed if it was the only one, and a new server runs the
rest. When several were in a block, they are run again one at a time, so that the one
that kills its parent is found and the others get their results. A server that dies
while no note is in a block (its preload crashes it?) is restarted at most
`MAX_UNEXPLAINED_LOSSES` times; then the notes not yet run fail with that reason.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import selectors
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from notebook_runner.config import CheckConfig
from notebook_runner.execute.failures import (
    exit_error,
    given_up,
    server_lost_error,
)
from notebook_runner.execute.launchers import Launcher, kill_group
from notebook_runner.execute.options import CheckOptions
from notebook_runner.execute.plan import NotePlan
from notebook_runner.execute.processes import descendants, kill_all, nproc_limit, process_table
from notebook_runner.execute.results import (
    BlockError,
    NoteResult,
    note_status,
    valid_result,
    without_addresses,
)
from notebook_runner.execute.running import Running, file_stamp
from notebook_runner.execute.sandbox import NoteJob
from notebook_runner.execute.scratch import Scratch
from notebook_runner.execute.termination import stop_signals_raise
from notebook_runner.execute.tracebacks import TIMEOUT, timed_out
from notebook_runner.model import Diagnostic

KILL_GRACE_S = 2.0
"""How long after a block's timeout the runner kills a process whose in-process alarm
did not stop the block (e.g. stuck in C code)."""
GUARD_INTERVAL_S = 0.2
POLL_INTERVAL_S = 0.05
NOTE_CHANGED = "note-changed-while-running"
MAX_UNEXPLAINED_LOSSES = 3
"""Restarts of a fork server that died while no note was in a block, before giving up."""
_job_ids = itertools.count(1)
"""Job ids are unique per runner process, as the fork server outlives one check."""


class Scheduler:
    def __init__(
        self,
        launcher: Launcher,
        vault_root: Path,
        config: CheckConfig,
        options: CheckOptions,
        jobs: int,
    ) -> None:
        self.launcher = launcher
        self.vault_root = vault_root.resolve()
        self.config = config
        self.options = options
        self.jobs = jobs
        self.nproc_limit = nproc_limit(options.max_processes * jobs)
        self.running: dict[int, Running] = {}
        self.queue: deque[NotePlan] = deque()
        self.alone: deque[NotePlan] = deque()
        """Notes to run one at a time: several were in a block when the server died."""
        self.running_alone = False
        self.unexplained_losses = 0
        self.changed: set[str] = set()
        """Notes whose file changed while their code ran: their results are not cached."""
        self.diagnostics: list[Diagnostic] = []
        self.selector = selectors.DefaultSelector()
        self.scratch = Scratch()
        self._next_guard = 0.0

    def run(self, plans: Sequence[NotePlan], done: Callable[[NotePlan, NoteResult], None]) -> None:
        self.queue.extend(plans)
        self._done = done
        self._watch_launcher()
        with stop_signals_raise():
            try:
                while self.queue or self.alone or self.running:
                    self._fill()
                    self._wait()
            finally:
                self._close()

    def _fill(self) -> None:
        if self.alone or self.running_alone:
            if self.alone and not self.running:
                self._start(self.alone.popleft(), alone=True)
            return
        while self.queue and len(self.running) < self.jobs:
            self._start(self.queue.popleft())

    def _watch_launcher(self) -> None:
        launcher_fd = self.launcher.fileno()
        if launcher_fd is not None:
            self.selector.register(launcher_fd, selectors.EVENT_READ, None)

    def _close(self) -> None:
        """Whatever interrupted the run (Ctrl-C, SIGTERM, an error) may have left a note
        half started: every step is tried, and the scratch folders always go."""
        try:
            for running in list(self.running.values()):
                with contextlib.suppress(OSError, KeyError, ValueError):
                    self._cleanup(running)
            self.selector.close()
        finally:
            self.scratch.close()

    # -- starting and stopping

    def _start(self, plan: NotePlan, alone: bool = False) -> None:
        note_file = os.path.join(self.vault_root, plan.path)
        folder = self.scratch.note_folder()
        work_dir = self.scratch.work_folder(os.path.dirname(note_file))
        job_id = next(_job_ids)  # never reused: a late exit event must not hit a new note
        running = Running.open(job_id, plan, folder, work_dir)
        running.alone = self.running_alone = alone
        running.note_file = note_file
        running.source = file_stamp(running.note_file)
        self.running[job_id] = running
        for fd in running.descriptors:
            self.selector.register(fd, selectors.EVENT_READ, running)
        job = NoteJob(
            plan=plan,
            note_dir=os.path.dirname(running.note_file),
            work_dir=work_dir,
            capture_dir=folder,
            channel=os.path.join(folder, "channel"),
            output_marker=running.marker,
            vault_root=str(self.vault_root),
            preload=tuple(self.config.preload),
            prelude=self.config.prelude,
            optional_modules=self.config.optional_modules,
            memory_mb=self.config.memory_mb,
            nproc_limit=self.nproc_limit,
            keep_going=self.options.keep_going,
        )
        self.launcher.start(job_id, job)

    def _cleanup(self, running: Running) -> None:
        if running.pid is not None:
            kill_group(running.pid)
        for fd in running.descriptors:
            self.selector.unregister(fd)
        running.close()
        self.running_alone = self.running_alone and not running.alone
        self.scratch.release(running.folder, running.work_dir)
        del self.running[running.job_id]

    def _finish(self, running: Running, failure: BlockError | None) -> None:
        """Text from the note process is made valid here, before anything stores or
        shows it: a snippet can print, raise or return lone surrogates; and memory
        addresses, which change on every run, are taken out."""
        blocks = tuple(without_addresses(valid_result(block)) for block in running.blocks(failure))
        if file_stamp(running.note_file) != running.source:
            self._note_changed(running.plan.path)
        duration = time.monotonic() - running.started
        self._cleanup(running)
        status = note_status(blocks)
        result = NoteResult(running.plan.path, status, blocks, duration, running.inputs)
        self._done(running.plan, result)

    def _note_changed(self, path: str) -> None:
        self.changed.add(path)
        message = (
            "the note changed while its code ran (does a block write to it?); "
            "its results were not cached"
        )
        self.diagnostics.append(Diagnostic(path, 1, "warning", NOTE_CHANGED, message))

    # -- the event loop

    def _wait(self) -> None:
        ready = self.selector.select(self._timeout())
        for key, _ in ready:
            if key.data is None:
                self._launcher_events()
            elif key.data.job_id not in self.running:
                continue
            elif key.fd == key.data.channel:
                self._channel_messages(key.data)
            else:
                key.data.read_output(key.fd)
        if self.launcher.fileno() is None:
            self._launcher_events()
        self._enforce_deadlines()
        self._guard_forks()

    def _timeout(self) -> float | None:
        now = time.monotonic()
        waits = [r.deadline - now for r in self.running.values() if r.deadline is not None]
        if self.launcher.fileno() is None:
            waits.append(POLL_INTERVAL_S)
        if self.running:
            waits.append(GUARD_INTERVAL_S)
        return max(0.0, min(waits)) if waits else None

    def _launcher_events(self) -> None:
        for kind, job_id, value in self.launcher.events():
            if kind == "lost":
                self._launcher_lost(value)
                return
            running = self.running.get(job_id)
            if running is None:
                continue
            if kind == "started":
                running.pid = value
            else:
                self._channel_messages(running)
                if job_id in self.running:
                    failure = exit_error(running.plan, running.current, value)
                    self._finish(running, None if running.ended else failure)

    def _launcher_lost(self, status: int) -> None:
        """The fork server died, and every note process on it (see the module's doc)."""
        for running in list(self.running.values()):
            self._channel_messages(running)  # what ended in time keeps its result
        affected = list(self.running.values())
        in_block = [running for running in affected if running.current is not None]
        if len(in_block) == 1:
            blamed = in_block[0]
            assert blamed.current is not None
            self._finish(blamed, server_lost_error(blamed.plan, blamed.current, status))
        for running in affected:
            if running.job_id in self.running:
                self._cleanup(running)
                target = self.alone if running in in_block else self.queue
                target.appendleft(running.plan)
        if not in_block:
            self.unexplained_losses += 1
            if self.unexplained_losses > MAX_UNEXPLAINED_LOSSES:
                self._give_up(status)
        if self.queue or self.alone:  # the next check (pytest runs one a note) starts one
            self._restart_launcher()

    def _restart_launcher(self) -> None:
        launcher_fd = self.launcher.fileno()
        if launcher_fd is not None:
            self.selector.unregister(launcher_fd)
        self.launcher = self.launcher.restarted()
        self._watch_launcher()

    def _give_up(self, status: int) -> None:
        for plan in (*self.alone, *self.queue):
            blocks = given_up(plan, self.unexplained_losses, status)
            self._done(plan, NoteResult(plan.path, note_status(blocks), blocks))
        self.alone.clear()
        self.queue.clear()

    def _channel_messages(self, running: Running) -> None:
        for message in running.messages():
            if message[0] == "start":
                running.current = message[1]
                timeout = running.plan.blocks[message[1]].timeout
                running.deadline = time.monotonic() + timeout + KILL_GRACE_S
            elif message[0] == "done":
                running.results[message[1]] = message[2]
                running.current = running.deadline = None
            else:
                running.ended = True
                running.inputs = message[1]
        if running.ended:
            self._finish(running, None)

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        for running in list(self.running.values()):
            if (
                running.deadline is not None
                and now >= running.deadline
                and running.current is not None
            ):
                block = running.plan.blocks[running.current]
                message = f"{timed_out(block.timeout)}; it did not stop, so it was killed"
                self._finish(running, BlockError(TIMEOUT, message, block.line))

    def _guard_forks(self) -> None:
        now = time.monotonic()
        if now < self._next_guard:
            return
        self._next_guard = now + GUARD_INTERVAL_S
        suspects = {
            r.pid: r
            for r in self.running.values()
            if r.pid is not None and now - r.started > GUARD_INTERVAL_S
        }
        if not suspects:
            return
        trees = descendants(process_table(), suspects)
        for pid, running in suspects.items():
            if 1 + len(trees[pid]) > self.options.max_processes:
                kill_all(trees[pid])
                message = (
                    f"the note started more than {self.options.max_processes} processes "
                    "(a fork bomb?); they were all killed"
                )
                line = running.plan.blocks[running.current or 0].line
                self._finish(running, BlockError("TooManyProcesses", message, line))
