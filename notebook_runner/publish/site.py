"""The whole site of a resolved vault, as files in memory, ready for `emit.write_site`.

Rendering and writing are separate so that a build that fails half-way writes nothing,
and so that tests can look at pages without touching the disk.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

from notebook_runner.config import CONFIG_NAME, SiteConfig
from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Diagnostic, Note, Vault
from notebook_runner.obsidian_settings import ObsidianSettings, read_obsidian_settings
from notebook_runner.publish.feeds import feed_files
from notebook_runner.publish.listings import PageMemo, listing_pages
from notebook_runner.render.attachments import attachment_files
from notebook_runner.render.highlight import stylesheet
from notebook_runner.render.i18n import available, catalogue_language
from notebook_runner.render.job import SiteJob, new_job
from notebook_runner.render.language import detect_language, sample
from notebook_runner.render.notebooks import parse_repository
from notebook_runner.render.pages import (
    RenderedNote,
    SiteSettings,
)
from notebook_runner.video import StoreError, VideoInfo, VideoStore, vault_videos

STATIC_FILES = ("site.css", "site.js")
PARALLEL_THRESHOLD = 200
STATIC_PREFIX = "_static/"


@dataclass(frozen=True)
class SiteBuild:
    """Site path -> bytes to write, site path -> vault file to copy, and what went wrong;
    `written`: site paths already written into the staging folder by worker processes."""

    files: dict[str, bytes]
    copies: dict[str, Path]
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...] = ()

    @property
    def file_count(self) -> int:
        return len(self.files) + len(self.copies) + len(self.written)


def stored_videos(store: VideoStore, notes: Sequence[Note]) -> dict[str, VideoInfo]:
    """The committed metadata of the vault's videos, by `VideoSource.key`. An entry that
    cannot be read is left out: the video checks report it, and pages do without. The
    store remembers what it read, for the checks to use again."""
    found: dict[str, VideoInfo] = {}
    for key in sorted(vault_videos(notes)):
        with contextlib.suppress(StoreError):
            info = store.load_key(key)
            if info is not None:
                found[key] = info
    return found


def site_settings(
    config: SiteConfig, obsidian: ObsidianSettings, note_texts: Callable[[], Iterable[str]]
) -> tuple[SiteSettings, list[Diagnostic]]:
    """The `[site]` config and the vault's Obsidian settings for pages; a repository we
    cannot read, or a configured language we have no interface text for, is reported.
    `note_texts` gives a sample of the notes' text, read only
    when `[site] language` is not set (`render.language`)."""
    written = config.repository.strip()
    repository = parse_repository(written) if written else None
    problems = []
    if written and repository is None:
        message = f'[site] repository "{written}" is not a GitHub address; no "Open in Colab" links'
        hint = "write it as github.com/OWNER/REPO or github.com/OWNER/REPO/tree/BRANCH/FOLDER"
        problems.append(Diagnostic(CONFIG_NAME, 1, "warning", "bad-site-repository", message, hint))
    if config.language and catalogue_language(config.language) is None:
        message = (
            f'[site] language "{config.language}" has no built-in translation; '
            "the site's interface text is in English"
        )
        hint = f"built in: {', '.join(available())}"
        problems.append(Diagnostic(CONFIG_NAME, 1, "warning", "no-translation", message, hint))
    line_breaks = not obsidian.strict_line_breaks
    language = config.language or detect_language(note_texts())
    settings = SiteSettings(config.title, config.base_url, repository, line_breaks, language)
    return settings, problems


def build_site(
    root: Path,
    vault: Vault,
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    config: SiteConfig,
    jobs: int | None = None,
) -> SiteBuild:
    """Every page of the site; `sources` maps note path -> note text."""
    obsidian = read_obsidian_settings(root)
    settings, problems = site_settings(config, obsidian, lambda: _sampled(sources))
    videos = stored_videos(VideoStore(root), vault.notes)
    job = new_job(vault.map(), _by_path(vault.notes), sources, results, settings, videos)
    rendered = render_notes(job, [note.path for note in vault.notes], jobs)
    listings = listing_pages(job, PageMemo(job.env))
    listings.update(feed_files(job, root, rendered, config.feed_items))
    built = assemble(job, root, rendered, listings)
    return SiteBuild(built.files, built.copies, (*problems, *built.diagnostics))


def _sampled(sources: Mapping[str, str]) -> list[str]:
    return [sources[path] for path in sample(sorted(sources))]


def _by_path(notes: Iterable[Note]) -> dict[str, Note]:
    return {note.path: note for note in notes}


def assemble(
    job: SiteJob, root: Path, rendered: Sequence[RenderedNote], listings: Mapping[str, bytes]
) -> SiteBuild:
    """Note pages plus everything built from all notes: `listings` (index, tags, 404,
    from `listings.listing_pages`), search, assets."""
    site: dict[str, bytes] = {}
    used: set[str] = set()
    written: list[str] = []
    for page in rendered:
        if page.written:
            written.extend(page.written)
        else:
            site.update(page.files())
        used |= page.files_used
    site.update(listings)
    site.update(_static_files(rendered))
    copies, images, problems = attachment_files(root, sorted(used))
    site.update(images)
    diagnostics = (*(problem for page in rendered for problem in page.diagnostics), *problems)
    return SiteBuild(dict(sorted(site.items())), copies, diagnostics, tuple(sorted(written)))


_FORKED_JOB: SiteJob | None = None
"""The job a forked worker inherits: the whole vault is shared by fork, never pickled."""


def render_notes(job: SiteJob, paths: Sequence[str], jobs: int | None) -> list[RenderedNote]:
    """Pages in `paths` order. Rendering is CPU-bound Python, so big vaults use processes
    (forked, to inherit the site index for free); small ones are not worth the start-up."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD or not forkable:
        return job.render(paths)
    global _FORKED_JOB
    _FORKED_JOB = job
    size = max(1, len(paths) // (workers * 8))
    chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [page for chunk in pool.map(_render_forked, chunks) for page in chunk]
    finally:
        _FORKED_JOB = None


def _render_forked(paths: Sequence[str]) -> list[RenderedNote]:
    assert _FORKED_JOB is not None, "worker started without a job"
    return _FORKED_JOB.render(paths)


def _static_files(rendered: Iterable[RenderedNote]) -> dict[str, bytes]:
    static = package_files("notebook_runner.render") / "static"
    out = {STATIC_PREFIX + name: (static / name).read_bytes() for name in STATIC_FILES}
    out[STATIC_PREFIX + "pygments.css"] = stylesheet().encode("utf-8")
    data = "[" + ",".join(page.search for page in rendered) + "]"  # entries are JSON already
    safe = data.replace("</", "<\\/")  # the index can never close a script element
    script = f"window.NOTEBOOK_RUNNER_SEARCH = {safe};\n"
    out[STATIC_PREFIX + "search-index.js"] = script.encode("utf-8")
    return out
