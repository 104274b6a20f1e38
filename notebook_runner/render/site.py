"""The whole site of a resolved vault, as files in memory, ready for `emit.write_site`.

Rendering and writing are separate so that a build that fails half-way writes nothing,
and so that tests can look at pages without touching the disk.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markdown_it.token import Token

from notebook_runner.config import CONFIG_NAME, SiteConfig
from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Diagnostic, Note, Vault
from notebook_runner.render.highlight import stylesheet
from notebook_runner.render.markup import SiteRenderer
from notebook_runner.render.notebooks import parse_repository
from notebook_runner.render.pages import (
    RenderedNote,
    SiteSettings,
    environment,
    render_note,
    render_plain,
)
from notebook_runner.render.slugs import note_pages, relative_url, tag_pages
from notebook_runner.render.state import SiteIndex
from notebook_runner.render.videos import FILES_PREFIX
from notebook_runner.syntax import build_markdown
from notebook_runner.video import StoreError, VideoInfo, VideoStore, vault_videos

STATIC_FILES = ("site.css", "site.js")
PARALLEL_THRESHOLD = 200
STATIC_PREFIX = "_static/"
_DATE_KEYS = ("updated", "modified", "date", "created")
RECENT_COUNT = 10


@dataclass(frozen=True)
class SiteBuild:
    """Site path -> bytes to write, site path -> vault file to copy, and what went wrong."""

    files: dict[str, bytes]
    copies: dict[str, Path]
    diagnostics: tuple[Diagnostic, ...]


def tag_key(name: str) -> str:
    """Tags compare as Obsidian compares them (case-insensitively)."""
    return unicodedata.normalize("NFC", name).casefold()


def site_index(
    vault: Vault,
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    videos: Mapping[str, VideoInfo],
) -> SiteIndex:
    return SiteIndex(
        notes={note.path: note for note in vault.notes},
        sources=sources,
        pages=note_pages(note.path for note in vault.notes),
        tag_pages={tag_key(name): page for name, page in tag_pages(vault.tags).items()},
        attachments=frozenset(vault.attachments),
        results=results,
        videos=videos,
    )


def stored_videos(root: Path, notes: Sequence[Note]) -> dict[str, VideoInfo]:
    """The committed metadata of the vault's videos, by `VideoSource.key`. An entry that
    cannot be read is left out: the video checks report it, and pages do without."""
    store = VideoStore(root)
    found: dict[str, VideoInfo] = {}
    for key in sorted(vault_videos(notes)):
        with contextlib.suppress(StoreError):
            info = store.load_key(key)
            if info is not None:
                found[key] = info
    return found


def site_settings(config: SiteConfig) -> tuple[SiteSettings, list[Diagnostic]]:
    """The `[site]` config for pages; a repository we cannot read is reported."""
    written = config.repository.strip()
    repository = parse_repository(written) if written else None
    problems = []
    if written and repository is None:
        message = f'[site] repository "{written}" is not a GitHub address; no "Open in Colab" links'
        hint = "write it as github.com/OWNER/REPO or github.com/OWNER/REPO/tree/BRANCH/FOLDER"
        problems.append(Diagnostic(CONFIG_NAME, 1, "warning", "bad-site-repository", message, hint))
    return SiteSettings(config.title, config.base_url, repository), problems


def build_site(
    root: Path,
    vault: Vault,
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    config: SiteConfig,
    jobs: int | None = None,
) -> SiteBuild:
    """Every page of the site; `sources` maps note path -> note text."""
    settings, problems = site_settings(config)
    job = new_job(vault, sources, results, settings, stored_videos(root, vault.notes))
    rendered = render_notes(job, [note.path for note in vault.notes], jobs)
    built = assemble(job, root, rendered)
    return SiteBuild(built.files, built.copies, (*problems, *built.diagnostics))


def new_job(
    vault: Vault,
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    settings: SiteSettings,
    videos: Mapping[str, VideoInfo],
) -> SiteJob:
    index = site_index(vault, sources, results, videos)
    return SiteJob(SiteRenderer(build_markdown(), index), environment(), vault, settings)


def assemble(
    job: SiteJob, root: Path, rendered: Sequence[RenderedNote], memo: PageMemo | None = None
) -> SiteBuild:
    """Note pages plus everything built from all notes: index, tags, 404, search, assets.

    `memo` (kept by `serve` between refreshes, or filled by `listing_pages` while the
    note pages were rendered elsewhere) skips re-rendering unchanged tag pages and the
    index."""
    memo = memo or PageMemo(job.env)
    site: dict[str, bytes] = {}
    used: set[str] = set()
    for page in rendered:
        site[page.page] = page.html
        site.update(page.generated)
        used |= page.files_used
    site.update(listing_pages(job, memo))
    site.update(_static_files(rendered))
    copies = {FILES_PREFIX + path: root / path for path in sorted(used)}
    diagnostics = tuple(problem for page in rendered for problem in page.diagnostics)
    return SiteBuild(dict(sorted(site.items())), copies, diagnostics)


def listing_pages(job: SiteJob, memo: PageMemo) -> dict[str, bytes]:
    """The index, 404 and tag pages: they need the resolved vault, not the note pages,
    so `build` renders them (into `memo`) while its workers render the notes."""
    vault, index, title = job.vault, job.renderer.index, job.settings.title
    pages = {"index.html": _index_page(memo, vault, index, title)}
    pages["404.html"] = memo.render(
        "404.html", "404.html", title="Not found", site_title=title, root=_not_found_root(job)
    )
    pages.update(_tag_pages(memo, vault, index, title))
    return {path: html.encode("utf-8") for path, html in pages.items()}


class PageMemo:
    """Rendered pages by what they depend on, so unchanged ones are not rendered again.

    `prune` forgets what the last assembly did not ask for, keeping memory bounded.
    """

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._pages: dict[Hashable, str] = {}
        self._used: set[Hashable] = set()

    def render(self, template: str, page: str, **context: Any) -> str:
        """`template` rendered with `context`, remembered by the whole context."""
        key = json.dumps([template, page, context], sort_keys=True, ensure_ascii=False)
        return self.remember(key, lambda: render_plain(self.env, template, page, **context))

    def remember(self, key: Hashable, build: Callable[[], str]) -> str:
        """The page `build` makes, built once per `key`, which must hold everything the
        page shows: for pages whose context costs more to build than such a key."""
        self._used.add(key)
        if key not in self._pages:
            self._pages[key] = build()
        return self._pages[key]

    def prune(self) -> None:
        self._pages = {key: html for key, html in self._pages.items() if key in self._used}
        self._used = set()


@dataclass(frozen=True)
class SiteJob:
    """What rendering needs, shared by every page (and by forked workers)."""

    renderer: SiteRenderer
    env: Environment
    vault: Vault
    settings: SiteSettings

    def render(self, paths: Sequence[str]) -> list[RenderedNote]:
        notes = self.renderer.index.notes
        return [self.render_note(notes[path]) for path in paths]

    def render_note(self, note: Note, tokens: Sequence[Token] | None = None) -> RenderedNote:
        """`tokens`: the note's token stream, when it was kept from parsing."""
        backlinks = self.vault.backlinks.get(note.path, ())
        return render_note(self.renderer, self.env, note, backlinks, self.settings, tokens)


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
    entries = [page.search for page in rendered]
    data = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    safe = data.replace("</", "<\\/")  # the index can never close a script element
    script = f"window.NOTEBOOK_RUNNER_SEARCH = {safe};\n"
    out[STATIC_PREFIX + "search-index.js"] = script.encode("utf-8")
    return out


def _not_found_root(job: SiteJob) -> str:
    """Static hosts serve 404.html at whatever address was asked for (`/a/b/missing`),
    where links relative to the site's root would point nowhere: with `[site] base_url`
    the 404 page links absolutely. Without it, relative links are the best there is
    (`serve` adds a <base> for its own 404s)."""
    base = job.settings.base_url
    return base.rstrip("/") + "/" if base else ""


def _index_page(memo: PageMemo, vault: Vault, index: SiteIndex, title: str) -> str:
    """Remembered by the notes' paths, titles and dates and the tags' names and sizes:
    building its context for 10,000 notes costs as much as a `serve` refresh may."""
    key = (
        "index.html",
        title,
        tuple((note.path, note.title, _note_date(note)) for note in vault.notes),
        tuple((name, len(paths)) for name, paths in vault.tags.items()),
    )
    return memo.remember(key, lambda: _render_index(memo.env, vault, index, title))


def _render_index(env: Environment, vault: Vault, index: SiteIndex, title: str) -> str:
    page = "index.html"

    def link(note: Note) -> dict[str, str]:
        return {"url": relative_url(page, index.pages[note.path]), "title": note.title}

    alphabetical = sorted(vault.notes, key=lambda note: (note.title.casefold(), note.path))
    dated = [(_note_date(note), note) for note in vault.notes]
    recent = sorted(
        ((date, note) for date, note in dated if date),
        key=lambda item: (item[0], item[1].path),
        reverse=True,
    )[:RECENT_COUNT]
    tags = [
        {
            "name": name,
            "url": relative_url(page, index.tag_pages[tag_key(name)]),
            "count": len(paths),
        }
        for name, paths in vault.tags.items()
        if "/" not in name
    ]
    return render_plain(
        env,
        "index.html",
        page,
        title="All notes",
        site_title=title,
        note_count=len(vault.notes),
        tag_count=len(vault.tags),
        tree=_tree(vault.notes, link),
        recent=[{**link(note), "date": date} for date, note in recent],
        alphabetical=[link(note) for note in alphabetical],
        tags=tags,
    )


def _note_date(note: Note) -> str:
    """A date the author wrote in the frontmatter; file times would break reproducibility."""
    lowered = {str(key).casefold(): value for key, value in note.frontmatter.items()}
    for key in _DATE_KEYS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _tree(notes: Iterable[Note], link: Any) -> dict[str, Any]:
    """Folders first, then notes, both sorted case-insensitively."""
    root: dict[str, Any] = {"name": "", "folders": {}, "notes": []}
    for note in notes:
        node = root
        for folder in note.path.split("/")[:-1]:
            node = node["folders"].setdefault(folder, {"name": folder, "folders": {}, "notes": []})
        node["notes"].append(note)
    return _freeze(root, link)


def _freeze(node: dict[str, Any], link: Any) -> dict[str, Any]:
    folders = sorted(node["folders"].values(), key=lambda child: child["name"].casefold())
    notes = sorted(node["notes"], key=lambda note: (note.title.casefold(), note.path))
    return {
        "name": node["name"],
        "folders": [_freeze(child, link) for child in folders],
        "notes": [link(note) for note in notes],
    }


def _tag_pages(memo: PageMemo, vault: Vault, index: SiteIndex, title: str) -> list[tuple[str, str]]:
    children: dict[str, list[str]] = {}
    for name in vault.tags:
        parent = name.rpartition("/")[0]
        if parent:
            children.setdefault(tag_key(parent), []).append(name)
    pages = []
    for name, paths in vault.tags.items():
        page = index.tag_pages[tag_key(name)]
        parts = name.split("/")
        parents = [
            (parent, index.tag_pages[tag_key(parent)])
            for parent in ("/".join(parts[:depth]) for depth in range(1, len(parts)))
            if tag_key(parent) in index.tag_pages
        ]
        kids = [
            (child, index.tag_pages[tag_key(child)], len(vault.tags[child]))
            for child in children.get(tag_key(name), ())
        ]
        members = [
            (index.notes[path].title, path, index.pages[path])
            for path in paths
            if path in index.pages
        ]
        key = ("tag", page, title, name, tuple(parents), tuple(kids), tuple(members))
        build = partial(_render_tag, memo.env, page, title, name, parents, kids, members)
        html = memo.remember(key, build)
        pages.append((page, html))
    return pages


def _render_tag(
    env: Environment,
    page: str,
    site_title: str,
    name: str,
    parents: Sequence[tuple[str, str]],
    kids: Sequence[tuple[str, str, int]],
    members: Sequence[tuple[str, str, str]],
) -> str:
    """Members come as (title, path, page), parents as (name, page), children as
    (name, page, note count)."""
    ordered = sorted(members, key=lambda member: (member[0].casefold(), member[1]))
    return render_plain(
        env,
        "tag.html",
        page,
        title=f"#{name}",
        site_title=site_title,
        tag=name,
        parents=[{"name": parent, "url": relative_url(page, to)} for parent, to in parents],
        children=[
            {"name": child, "url": relative_url(page, to), "count": count}
            for child, to, count in kids
        ],
        notes=[{"url": relative_url(page, to), "title": note} for note, _, to in ordered],
    )
