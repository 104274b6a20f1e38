"""The pages listing the notes: the index (folder tree, recent, alphabetical), one page
per tag (nested tags nest) and the 404 page.

They need the resolved vault but none of the note pages, so `build` renders them while
its workers render the notes, and `serve` remembers them (`PageMemo`) between refreshes
by what they show.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import partial
from typing import Any

from jinja2 import Environment

from notebook_runner.model import NoteSummary, VaultMap
from notebook_runner.render.i18n import Messages, iso_date, messages
from notebook_runner.render.job import SiteJob
from notebook_runner.render.meta import page_meta
from notebook_runner.render.pages import SiteSettings, render_plain
from notebook_runner.render.slugs import relative_url, tag_key
from notebook_runner.render.state import SiteIndex

RECENT_COUNT = 10


def listing_pages(job: SiteJob, memo: PageMemo) -> dict[str, bytes]:
    """The index, 404 and tag pages: they need the resolved vault, not the note pages,
    so `build` renders them (into `memo`) while its workers render the notes."""
    vault, index, settings = job.vault, job.renderer.index, job.settings
    pages = {"index.html": _index_page(memo, vault, index, settings)}
    pages["404.html"] = memo.render(
        "404.html",
        "404.html",
        **_chrome(settings, ""),
        title=messages(settings.language)["not_found"],
        root=_not_found_root(job),
    )
    pages.update(_tag_pages(memo, vault, index, settings))
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
        key = json.dumps(
            [template, page, context], sort_keys=True, ensure_ascii=False, default=_key_part
        )
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


def _key_part(value: object) -> str:
    """A page's interface text is known by its language."""
    if isinstance(value, Messages):
        return value.language
    raise TypeError(f"{type(value).__name__} in a listing page's context")


def _chrome(settings: SiteSettings, page: str) -> dict[str, Any]:
    """What every listing page's frame shows: the site's title and language, its
    interface text and head (`page` "" for the 404 page, which has no address)."""
    return {
        "site_title": settings.title,
        "meta": page_meta(settings.base_url, page),
        "ui": messages(settings.language),
        "lang": settings.language,
    }


def _not_found_root(job: SiteJob) -> str:
    """Static hosts serve 404.html at whatever address was asked for (`/a/b/missing`),
    where links relative to the site's root would point nowhere: with `[site] base_url`
    the 404 page links absolutely. Without it, relative links are the best there is
    (`serve` adds a <base> for its own 404s)."""
    base = job.settings.base_url
    return base.rstrip("/") + "/" if base else ""


def _index_page(memo: PageMemo, vault: VaultMap, index: SiteIndex, settings: SiteSettings) -> str:
    """Remembered by the notes' paths, titles and dates and the tags' names and sizes:
    building its context for 10,000 notes costs as much as a `serve` refresh may."""
    key = (
        "index.html",
        settings,
        tuple((note.path, note.title, note.date) for note in vault.notes),
        tuple((name, len(paths)) for name, paths in vault.tags.items()),
    )
    return memo.remember(key, lambda: _render_index(memo.env, vault, index, settings))


def _render_index(
    env: Environment, vault: VaultMap, index: SiteIndex, settings: SiteSettings
) -> str:
    page = "index.html"

    def link(note: NoteSummary) -> dict[str, str]:
        return {"url": relative_url(page, index.pages[note.path]), "title": note.title}

    alphabetical = sorted(vault.notes, key=lambda note: (note.title.casefold(), note.path))
    ui = messages(settings.language)
    dated = [(note.date, note) for note in vault.notes]
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
        **_chrome(settings, page),
        title=ui["all_notes"],
        summary=_summary(ui, len(vault.notes), len(vault.tags)),
        tree=_tree(vault.notes, link),
        recent=[{**link(note), **_date(ui, date)} for date, note in recent],
        alphabetical=[link(note) for note in alphabetical],
        tags=tags,
    )


def _summary(ui: Messages, notes: int, tags: int) -> str:
    if not tags:
        return ui.format("summary_notes", notes=ui.count("notes", notes))
    return ui.format(
        "summary_notes_tags", notes=ui.count("notes", notes), tags=ui.count("tags", tags)
    )


def _date(ui: Messages, written: str) -> dict[str, str]:
    """A recent note's date as the language writes it, and as `<time datetime>` wants
    it when it is a date at all."""
    day = iso_date(written)
    return {"date": ui.date(written), "datetime": day.isoformat() if day else ""}


def _tree(notes: Iterable[NoteSummary], link: Any) -> dict[str, Any]:
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


def _tag_pages(
    memo: PageMemo, vault: VaultMap, index: SiteIndex, settings: SiteSettings
) -> list[tuple[str, str]]:
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
            (index.summaries[path].title, path, index.pages[path])
            for path in paths
            if path in index.pages
        ]
        key = ("tag", page, settings, name, tuple(parents), tuple(kids), tuple(members))
        build = partial(_render_tag, memo.env, page, settings, name, parents, kids, members)
        html = memo.remember(key, build)
        pages.append((page, html))
    return pages


def _render_tag(
    env: Environment,
    page: str,
    settings: SiteSettings,
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
        **_chrome(settings, page),
        title=f"#{name}",
        tag=name,
        parents=[{"name": parent, "url": relative_url(page, to)} for parent, to in parents],
        children=[
            {"name": child, "url": relative_url(page, to), "count": count}
            for child, to, count in kids
        ],
        notes=[{"url": relative_url(page, to), "title": note} for note, _, to in ordered],
    )
