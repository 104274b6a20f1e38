"""Reuse of passing results: a note is not run again while nothing it depends on changed.

Each block's key chains the previous block's key with its own code and options, and
the first key covers the runner version, the Python version, the check config
(timeout, memory, preload, prelude) and the note path. Blocks share a namespace, so a
block's result depends on every earlier block: editing block 1 changes every later key.

A note's result also depends on the vault files its blocks read or import (`helper.py`,
`data.csv`) and on the Python modules beside it: their fingerprints are stored with
the result and checked before it is replayed (see `inputs`).

Because re-running any block means re-running the blocks before it (to rebuild the
namespace), a note is either replayed whole from the cache or run whole. Every result
is stored, but `check` replays only notes whose blocks all passed (or were skipped):
a failure is always run again, and so is a block skipped for want of an optional
module (installing it must run the block). The site (`build` without `--execute`) also shows a
stored failure, so the page can say where the note broke without running anything.
Entries live in `<vault>/.notebook-runner/cache/execute/`, one small JSON file per note.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

import notebook_runner
from notebook_runner.atomic import write_atomic
from notebook_runner.config import CheckConfig
from notebook_runner.execute.inputs import Fingerprints, now_ns
from notebook_runner.execute.plan import NotePlan, plan_note
from notebook_runner.execute.results import (
    BlockResult,
    NoteResult,
    as_cached,
    block_from_json,
    block_to_json,
    note_status,
)
from notebook_runner.model import Note

CACHE_FORMAT = 4


def cache_dir(vault_root: Path) -> Path:
    return vault_root / ".notebook-runner" / "cache" / "execute"


def chain_keys(plan: NotePlan, config: CheckConfig) -> list[str]:
    """One key per block; key `i` changes when block `i` or anything before it changes."""
    seed = {
        "format": CACHE_FORMAT,
        "runner": notebook_runner.__version__,
        "python": sys.version,
        "timeout": config.timeout,
        "memory_mb": config.memory_mb,
        "preload": list(config.preload),
        "prelude": config.prelude,
        "optional_modules": list(config.optional_modules),
        "path": plan.path,
    }
    key = _digest(json.dumps(seed, sort_keys=True))
    keys = []
    for block in plan.blocks:
        fields = [block.code, block.doctest, block.skip, block.raises, block.timeout, block.reset]
        key = _digest(key + json.dumps([*fields, block.run_after_failure]))
        keys.append(key)
    return keys


def _file_name(note_path: str) -> str:
    return _digest(note_path)[:32] + ".json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ResultCache:
    def __init__(self, vault_root: Path, config: CheckConfig) -> None:
        self.folder = cache_dir(vault_root)
        self.config = config
        self.inputs = Fingerprints(vault_root)

    def _file(self, plan: NotePlan) -> Path:
        return self.folder / _file_name(plan.path)

    def holds(self, note_path: str) -> bool:
        """Whether anything is stored for the note at all: one listing of the folder
        spares `build` planning and hashing every note of a vault never checked."""
        return _file_name(note_path) in self._stored

    @cached_property
    def _stored(self) -> frozenset[str]:
        try:
            return frozenset(os.listdir(self.folder))
        except OSError:
            return frozenset()

    def lookup(self, plan: NotePlan, *, with_failures: bool = False) -> NoteResult | None:
        """The stored result replayed at the note's current lines, or None on any miss
        (and for a stored failure, unless `with_failures`)."""
        keys = chain_keys(plan, self.config)
        try:
            entry = json.loads(self._file(plan).read_text(encoding="utf-8"))
            if entry["path"] != plan.path or entry["keys"] != keys:
                return None
            if not (entry["passed"] or with_failures) or not self._inputs_unchanged(
                plan, entry, with_failures
            ):
                return None
            stored = [block_from_json(row) for row in entry["blocks"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # a missing, corrupt or hand-edited entry is a miss
        blocks = tuple(
            _replay(result, block.line) for result, block in zip(stored, plan.blocks, strict=True)
        )
        return NoteResult(plan.path, note_status(blocks), blocks)

    def _inputs_unchanged(self, plan: NotePlan, entry: dict[str, Any], with_failures: bool) -> bool:
        """Unknown inputs (the process died, or read too many files) are never replayed
        by `check`; the site still shows such a result (a failure, mostly)."""
        inputs = entry["inputs"]
        if inputs is None:
            return with_failures
        modules = self.inputs.folder_modules(plan.path)
        return entry["modules"] == modules and self.inputs.unchanged(inputs, entry["hashed_at"])

    def store(self, plan: NotePlan, result: NoteResult) -> None:
        """Raises OSError when the entry cannot be written."""
        passed = all(
            block.status in ("passed", "skipped", "cached") and block.error is None
            for block in result.blocks
        )
        hashed_at = now_ns()
        inputs = None
        if result.inputs is not None:
            inputs = self.inputs.of_note(plan.path, result.inputs)
        entry = {
            "path": plan.path,
            "keys": chain_keys(plan, self.config),
            "passed": passed,
            "inputs": inputs,
            "modules": self.inputs.folder_modules(plan.path),
            "hashed_at": hashed_at,
            "blocks": [block_to_json(block) for block in result.blocks],
        }
        _write_atomic(self._file(plan), json.dumps(entry))


def stored_results(notes: Sequence[Note], root: Path, config: CheckConfig) -> dict[str, NoteResult]:
    """What `check` last stored for each note whose code has not changed since, failures
    included: what the site and exported notebooks show without running anything."""
    cache = ResultCache(root, config)
    found: dict[str, NoteResult] = {}
    for note in notes:
        if not cache.holds(note.path):
            continue
        plan, _ = plan_note(note, config)
        if plan.blocks:
            result = cache.lookup(plan, with_failures=True)
            if result is not None:
                found[note.path] = result
    return found


def _replay(result: BlockResult, line: int) -> BlockResult:
    """The block moved with the lines above it: its error moved by as many lines."""
    error = result.error
    if error is not None:
        error = replace(error, line=error.line + line - result.line)
    result = replace(result, line=line, error=error)
    return as_cached(result) if result.status in ("passed", "cached") else result


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))
