"""The site of a vault on disk, each note parsed once: what `build` runs.

The same front half as `pipeline.open_vault` (load, parse, resolve, video checks), but
parsing happens in the `workers` that later render the pages from the kept token
streams. The check results are asked for in between, through `results`, because they
need the resolved notes and `build --execute` runs the notes' code to get them. The
video checks, which pages do not need, run here while the workers render.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from notebook_runner.config import Config
from notebook_runner.execute.results import NoteResult
from notebook_runner.pipeline import Workspace, video_checks
from notebook_runner.render.listings import PageMemo, listing_pages
from notebook_runner.render.site import SiteBuild, assemble, new_job, site_settings, stored_videos
from notebook_runner.render.workers import NoteWorkers, RenderRequest
from notebook_runner.resolve import resolve_vault
from notebook_runner.vault import load_vault
from notebook_runner.video import VideoStore, video_diagnostics, with_link_timestamps

ResultsHook = Callable[[Workspace], Mapping[str, NoteResult]]


def build_vault_site(
    root: Path, config: Config, results: ResultsHook, jobs: int | None = None
) -> tuple[Workspace, SiteBuild]:
    """The vault as `pipeline.open_vault` would give it, and its whole site."""
    loaded, load_problems = load_vault(root, config.vault.ignore)
    with collector_paused(), NoteWorkers(loaded.sources, jobs) as workers:
        notes, parse_problems = workers.parse()
        notes = [with_link_timestamps(note) for note in notes]
        vault, link_problems = resolve_vault(notes, loaded.attachments)
        diagnostics = (*load_problems, *parse_problems, *link_problems)
        workspace = Workspace(config, loaded, vault, diagnostics, ())
        found = results(workspace)
        settings, problems = site_settings(config.site)
        videos = stored_videos(root, vault.notes)
        workers.start_render(RenderRequest(vault, found, settings, videos))
        texts = {source.path: source.text for source in loaded.sources}
        job = new_job(vault, texts, found, settings, videos)
        listings = listing_pages(job, PageMemo(job.env))  # meanwhile, up to `rendered`
        checks = video_checks(config.videos)
        video_problems = video_diagnostics(vault.notes, VideoStore(root), checks)
        pages = workers.rendered()
        by_path = {page.path: page for page in pages}
        site = assemble(job, root, [by_path[note.path] for note in vault.notes], listings)
    workspace = replace(workspace, diagnostics=(*diagnostics, *video_problems))
    return workspace, SiteBuild(site.files, site.copies, (*problems, *site.diagnostics))


@contextmanager
def collector_paused() -> Iterator[None]:
    """A build makes millions of acyclic objects (notes received from the workers, the
    resolved vault, pages), which the cyclic garbage collector would re-scan many times
    for nothing, so it is paused for the whole build; `serve`'s refresh pauses it too,
    since beside a whole site in memory it would pay a tenth of a second per collection.
    Unlike `pipeline.collector_paused`, nothing is frozen: a server rebuilding for hours
    must still be able to free old pages."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
