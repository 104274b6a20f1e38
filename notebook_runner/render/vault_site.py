"""The site of a vault on disk, each note parsed once: what `build` runs.

The same front half as `pipeline.open_vault` (load, parse, resolve, video checks), but
parsing happens in the `workers` that later render the pages from the kept token
streams. The check results are asked for in between, through `results`, because
`build --execute` runs the notes' code to get them. Resolving the vault for the report,
the listing pages and the video checks run here while the workers render.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from notebook_runner.config import Config
from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Note
from notebook_runner.pipeline import Workspace, video_checks
from notebook_runner.render.emit import Staging
from notebook_runner.render.listings import PageMemo, listing_pages
from notebook_runner.render.site import SiteBuild, assemble, new_job, site_settings
from notebook_runner.render.workers import NoteWorkers, RenderRequest
from notebook_runner.resolve import resolve_vault
from notebook_runner.vault import load_vault
from notebook_runner.video import VideoStore, video_diagnostics

ResultsHook = Callable[[Config, Path, Sequence[Note]], Mapping[str, NoteResult]]
"""Check results for (config, vault root, notes). Asked for before the vault is
resolved: running or looking up a note's code needs its code blocks, not where its
links lead, and the workers can start on the pages sooner."""


def build_vault_site(
    root: Path,
    config: Config,
    results: ResultsHook,
    jobs: int | None = None,
    staging: Staging | None = None,
) -> tuple[Workspace, SiteBuild]:
    """The vault as `pipeline.open_vault` would give it, and its whole site. With
    `staging`, note pages are written there as they are rendered (`SiteBuild.written`)
    and the rest is left for the caller to write."""
    loaded, load_problems = load_vault(root, config.vault.ignore)
    with collector_paused(), NoteWorkers(loaded, jobs) as workers:
        notes, parse_problems = workers.parse()
        found = results(config, root, notes)
        settings, problems = site_settings(config.site)
        workers.start_render(RenderRequest(found, settings, staging))
        vault, link_problems = resolve_vault(notes, loaded.attachments)  # again, with problems
        diagnostics = (*load_problems, *parse_problems, *link_problems)
        workspace = Workspace(config, loaded, vault, diagnostics, ())
        job = new_job(vault, workers.texts, found, settings, videos={})  # listings show none
        listings = listing_pages(job, PageMemo(job.env))  # meanwhile, up to `rendered`
        checks = video_checks(config.videos)
        video_problems = video_diagnostics(vault.notes, VideoStore(root), checks)
        pages = workers.rendered(vault)
        by_path = {page.path: page for page in pages}
        site = assemble(job, root, [by_path[note.path] for note in vault.notes], listings)
    workspace = replace(workspace, diagnostics=(*diagnostics, *video_problems))
    diagnostics = (*problems, *site.diagnostics)
    return workspace, SiteBuild(site.files, site.copies, diagnostics, site.written)


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
