"""The site of a vault on disk, each note parsed once: what `build` runs.

The same front half as `pipeline.open_vault` (load, parse, resolve, video checks), but
parsing, checking and rendering happen in the `workers`, each for its share of the
notes, from the token streams it kept; this process only passes the shares' summaries
on and makes the listing pages from them while the workers render. Check results come
through `results`, because `build --execute` runs the notes' code to get them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from notebook_runner.config import Config, as_configured
from notebook_runner.diagnostics import sort_key
from notebook_runner.model import Diagnostic
from notebook_runner.publish.emit import Staging
from notebook_runner.publish.feeds import feed_files
from notebook_runner.publish.listings import PageMemo, listing_pages
from notebook_runner.publish.site import SiteBuild, assemble, site_settings
from notebook_runner.publish.workers import BuildPlan, NoteWorkers, RenderRequest, ResultsHook
from notebook_runner.render.job import new_job
from notebook_runner.render.language import sample
from notebook_runner.vault import VaultListing, list_vault, locate_in
from notebook_runner.video.checks import UNREADABLE_METADATA

if TYPE_CHECKING:
    from notebook_runner.notebooks.ingest import LineMap


@dataclass(frozen=True)
class VaultSite:
    """A build: the site, how many notes it has pages of (and how many it has not, by
    `publish: false` or `draft: true`), and what was found wrong in the vault (reading,
    parsing, links, videos), sorted by file and line whatever the number of workers."""

    site: SiteBuild
    note_count: int
    diagnostics: tuple[Diagnostic, ...]
    unpublished: int = 0
    line_maps: Mapping[str, LineMap] = field(default_factory=dict)

    def locate(self, path: str, line: int) -> str:
        """Where a person finds note line `line` of `path` (a `diagnostics.Locator`)."""
        return locate_in(self.line_maps, path, line)


def build_vault_site(
    root: Path,
    config: Config,
    results: ResultsHook,
    jobs: int | None = None,
    staging: Staging | None = None,
    results_at_once: bool = False,
    epoch: int | None = None,
) -> VaultSite:
    """The whole site of the vault at `root`. `results` gives the check results of the
    notes it is shown, in each worker for its share, or once for every note with
    `results_at_once` (`--execute`, whose fork server runs every note at once). With
    `staging`, note pages are written there as they are rendered (`SiteBuild.written`)
    and the rest is left for the caller to write. `epoch`: SOURCE_DATE_EPOCH, which
    clamps the file times the sitemap and feed use (`dates`)."""
    listing = list_vault(root, config.vault.ignore)
    plan = BuildPlan(listing, config, results, results_at_once)
    with collector_paused(), NoteWorkers(plan, jobs) as workers:
        vault = workers.parse()
        found = results(config, root, workers.notes()) if results_at_once else None
        settings, problems = site_settings(config.site, listing.obsidian, partial(_texts, listing))
        workers.start_render(RenderRequest(found, settings, staging))
        job = new_job(vault, {}, {}, {}, settings, videos={})  # listings show no note's body
        listings = listing_pages(job, PageMemo(job.env))  # meanwhile, up to `rendered`
        pages, note_problems = workers.rendered()
        listings.update(feed_files(job, root, pages, config.site.feed_items, epoch))
        site = assemble(job, root, pages, listings)
    built = SiteBuild(site.files, site.copies, (*problems, *site.diagnostics), site.written)
    problems_found = _in_order(as_configured([*listing.problems, *note_problems], config))
    shown = len(job.vault.notes)
    unpublished = len(vault.notes) - shown
    return VaultSite(built, shown, problems_found, unpublished, listing.line_maps)


def _texts(listing: VaultListing) -> list[str]:
    """A sample of the notes' text, for the site's language (read only when needed)."""
    return [listing.read(path)[0].text for path in sample(listing.notes)]


def _in_order(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sorted completely, so that the order is the same for any number of workers; an
    unreadable video metadata file, which each worker whose notes use it reports, once."""
    ordered = sorted(diagnostics, key=lambda d: (*sort_key(d), d.severity, d.hint or ""))
    kept: list[Diagnostic] = []
    for problem in ordered:
        if problem.code != UNREADABLE_METADATA or not kept or kept[-1] != problem:
            kept.append(problem)
    return tuple(kept)


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
