"""`check_notes`: run the Python of many notes, one isolated process per note, in parallel.

The runner itself never runs user code. It plans each note, replays unchanged notes
from the cache, and hands the rest to the `Scheduler` (in `scheduler`), which runs one
process per note, at most `jobs` at a time, and watches them to the end.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from notebook_runner.config import CheckConfig
from notebook_runner.execute.cache import ResultCache
from notebook_runner.execute.launchers import (
    Launcher,
    SpawnLauncher,
    fork_server,
    uses_fork_server,
)
from notebook_runner.execute.options import CheckOptions
from notebook_runner.execute.plan import NotePlan, plan_note
from notebook_runner.execute.results import CheckReport, NoteResult, skipped
from notebook_runner.execute.scheduler import Scheduler
from notebook_runner.model import Diagnostic, Note

CACHE_NOT_WRITTEN = "cache-not-written"


def check_notes(
    notes: Sequence[Note], vault_root: Path, config: CheckConfig, options: CheckOptions
) -> CheckReport:
    started = time.perf_counter()
    diagnostics: list[Diagnostic] = []
    plans: list[NotePlan] = []
    for note in select_shard(notes, options.shard):
        plan, problems = plan_note(note, config)
        diagnostics.extend(problems)
        if plan.blocks:
            plans.append(plan)
    cache = ResultCache(vault_root, config) if options.use_cache else None
    results: dict[str, NoteResult] = {}

    def finish(plan: NotePlan, result: NoteResult) -> None:
        results[plan.path] = result
        if options.on_progress is not None:
            options.on_progress(result)

    to_run = []
    for plan in plans:
        known = _known_result(plan, cache)
        if known is None:
            to_run.append(plan)
        else:
            finish(plan, known)

    if to_run:
        job_count = max(1, options.jobs or os.cpu_count() or 1)
        scheduler = Scheduler(_launcher(config, options), vault_root, config, options, job_count)

        def ran(plan: NotePlan, result: NoteResult) -> None:
            if cache is not None and plan.path not in scheduler.changed:
                _store(cache, plan, result, diagnostics)
            finish(plan, result)

        scheduler.run(to_run, ran)
        diagnostics.extend(scheduler.diagnostics)
    ordered = tuple(results[plan.path] for plan in plans)
    return CheckReport(ordered, tuple(diagnostics), time.perf_counter() - started)


def select_shard(notes: Sequence[Note], shard: tuple[int, int] | None) -> list[Note]:
    """Round-robin over notes sorted by path: every note in exactly one shard, shards
    within one note of each other in size, the same split on every machine."""
    if shard is None:
        return list(notes)
    index, count = shard
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: expected 1 <= K <= N")
    ordered = sorted(notes, key=lambda note: note.path)
    return [note for position, note in enumerate(ordered) if position % count == index - 1]


def _known_result(plan: NotePlan, cache: ResultCache | None) -> NoteResult | None:
    """The result without running anything: a note none of whose blocks runs (`execute:
    false`, every block marked skip), or a cache hit."""
    if not plan.runs:
        return _skipped(plan)
    return cache.lookup(plan) if cache is not None else None


def _store(
    cache: ResultCache, plan: NotePlan, result: NoteResult, diagnostics: list[Diagnostic]
) -> None:
    """A cache that cannot be written (a block deleted `.notebook-runner/` or put a file
    in its place, a full disk) is reported once; the run goes on."""
    try:
        cache.store(plan, result)
    except OSError as error:
        if not any(problem.code == CACHE_NOT_WRITTEN for problem in diagnostics):
            message = f"results could not be stored in the cache ({error}); they will run again"
            diagnostics.append(Diagnostic(plan.path, 1, "warning", CACHE_NOT_WRITTEN, message))


def _skipped(plan: NotePlan) -> NoteResult:
    blocks = tuple(skipped(block.line, block.skip) for block in plan.blocks)
    return NoteResult(plan.path, "skipped", blocks)


def _launcher(config: CheckConfig, options: CheckOptions) -> Launcher:
    if not uses_fork_server(options.start_method):
        return SpawnLauncher()
    return fork_server(tuple(config.preload))
