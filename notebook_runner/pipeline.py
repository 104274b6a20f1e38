"""The front half of every command: config, load, parse, resolve.

Commands (`parse`, `check`, `build`, ...) and the pytest plugin all start from the same
resolved vault, so this is the one place that strings the stages together. Parsing
fans out to worker processes for large vaults: markdown parsing is CPU-bound pure
Python, so threads would not help, and below a few hundred notes the cost of
starting workers outweighs the gain.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from notebook_runner.config import Config, VideosConfig, as_configured, load_config
from notebook_runner.model import Diagnostic, Note, SourceFile, Vault
from notebook_runner.outputs import STATE_FOLDER as STATE_FOLDER  # re-exported
from notebook_runner.parse import parse_note
from notebook_runner.parse.cache import ParseResult, load_cache, save_cache, source_key
from notebook_runner.resolve import resolve_vault
from notebook_runner.vault import LoadedVault, load_vault
from notebook_runner.video import VideoChecks, VideoStore, video_diagnostics, with_link_timestamps

PARALLEL_THRESHOLD = 400


@dataclass(frozen=True)
class Workspace:
    """Everything known about a vault before any command-specific stage runs."""

    config: Config
    loaded: LoadedVault
    vault: Vault
    diagnostics: tuple[Diagnostic, ...]
    config_errors: tuple[Diagnostic, ...]

    def locate(self, path: str, line: int) -> str:
        """The `diagnostics.Locator` of this vault: notebook notes map to their cells."""
        return self.loaded.locate(path, line)


def open_vault(
    root: Path, jobs: int | None = None, use_cache: bool = True, check_videos: bool = True
) -> Workspace:
    """`check_videos=False` leaves out the timestamp-against-video checks (and yt-dlp's
    import), for commands that do not report them."""
    config, config_errors = load_config(root)
    loaded, load_problems = load_vault(root, config.vault.ignore)
    cache_file = parse_cache_file(root) if use_cache else None
    with collector_paused():
        notes, parse_problems = parse_sources(loaded.sources, jobs, cache_file)
        notes = [with_link_timestamps(note) for note in notes]
        vault, link_problems = resolve_vault(notes, loaded.attachments)
    video_problems = (
        video_diagnostics(vault.notes, VideoStore(root), video_checks(config.videos))
        if check_videos
        else []
    )
    found = [*load_problems, *parse_problems, *link_problems, *video_problems]
    diagnostics = tuple(as_configured(found, config))
    return Workspace(config, loaded, vault, diagnostics, tuple(config_errors))


def video_checks(config: VideosConfig) -> VideoChecks:
    return VideoChecks(duplicates=config.duplicates, order=config.order)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Parsing builds hundreds of thousands of acyclic objects; Python's cyclic garbage
    collector would re-scan them all many times (measured: up to 0.9 s on 10,000 notes)
    for nothing. Reference counting still frees everything as usual. Afterwards the
    survivors are frozen: later stages (render, check) then do not re-scan the vault."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def parse_cache_file(root: Path) -> Path:
    return root / STATE_FOLDER / "cache" / "parse.pickle"


def parse_sources(
    sources: Sequence[SourceFile], jobs: int | None = None, cache_file: Path | None = None
) -> tuple[list[Note], list[Diagnostic]]:
    """Parse in input order; results are identical whatever the number of workers and
    whether they came from the cache."""
    cached = load_cache(cache_file) if cache_file else {}
    keys = [source_key(source) for source in sources]
    stale = {key: source for source, key in zip(sources, keys, strict=True) if key not in cached}
    fresh = dict(zip(stale, _parse_all(list(stale.values()), jobs), strict=True))
    results = [cached[key] if key in cached else fresh[key] for key in keys]
    if cache_file and fresh:
        save_cache(cache_file, dict(zip(keys, results, strict=True)))
    notes = [note for note, _ in results]
    diagnostics = [problem for _, problems in results for problem in problems]
    return notes, diagnostics


def _parse_all(sources: Sequence[SourceFile], jobs: int | None) -> list[ParseResult]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(sources) < PARALLEL_THRESHOLD:
        return [parse_note(source) for source in sources]
    chunk = max(1, len(sources) // (workers * 8))
    # Forked workers inherit the imported package and the built parser; spawned or
    # forkserver workers (Python 3.14's default) would import and build them again.
    context = multiprocessing.get_context("fork") if os.name == "posix" else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(parse_note, sources, chunksize=chunk))
