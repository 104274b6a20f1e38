"""The page renderer set up for one site: what rendering any page needs, shared by every
page of a build (and by forked workers) and by `serve` between refreshes.

`publish` holds a `SiteJob` to render its share of the notes and the listings; here it
is only made and used, so the whole-site modules and the listings can share it without
importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jinja2 import Environment
from markdown_it.token import Token

from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Note, VaultMap
from notebook_runner.parse.syntax import build_markdown
from notebook_runner.render.markup import SiteRenderer
from notebook_runner.render.pages import RenderedNote, SiteSettings, environment, render_note
from notebook_runner.render.slugs import note_pages, tag_key, tag_pages
from notebook_runner.render.state import SiteIndex
from notebook_runner.video import VideoInfo


@dataclass(frozen=True)
class SiteJob:
    """What rendering needs, shared by every page (and by forked workers)."""

    renderer: SiteRenderer
    env: Environment
    vault: VaultMap
    settings: SiteSettings

    def render(self, paths: Sequence[str]) -> list[RenderedNote]:
        """The pages of `paths`, but for notes that are not published (no page)."""
        notes, pages = self.renderer.index.notes, self.renderer.index.pages
        return [self.render_note(notes[path]) for path in paths if path in pages]

    def render_note(self, note: Note, tokens: Sequence[Token] | None = None) -> RenderedNote:
        """`tokens`: the note's token stream, when it was kept from parsing."""
        backlinks = self.vault.backlinks.get(note.path, ())
        return render_note(self.renderer, self.env, note, backlinks, self.settings, tokens)


def published_view(vault: VaultMap) -> VaultMap:
    """The vault as the site shows it. A note with `publish: false` or `draft: true`
    has no page, so it is in no listing, tag page, backlink list or search index; a tag
    only such notes have has no page either. Its summary stays in `SiteIndex.summaries`,
    so that a link to it is known for a link to a note (shown as plain text), not to a
    missing file."""
    hidden = {note.path for note in vault.notes if not note.published}
    if not hidden:
        return vault
    backlinks = {
        path: tuple(source for source in sources if source not in hidden)
        for path, sources in vault.backlinks.items()
        if path not in hidden
    }
    tags = {
        name: kept
        for name, paths in vault.tags.items()
        if (kept := tuple(path for path in paths if path not in hidden))
    }
    notes = tuple(note for note in vault.notes if note.path not in hidden)
    return VaultMap(notes, backlinks, tags, vault.attachments)


def site_index(
    vault: VaultMap,
    shown: VaultMap,
    notes: Mapping[str, Note],
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    videos: Mapping[str, VideoInfo],
) -> SiteIndex:
    """`notes`: the whole notes at hand (see `SiteIndex.notes`); `shown`: the published
    part of `vault`. Pages are named from every note (and tag), so that an address does
    not change when a draft beside it is published."""
    pages = note_pages(note.path for note in vault.notes)
    if len(shown.notes) < len(vault.notes):
        pages = {note.path: pages[note.path] for note in shown.notes}
    return SiteIndex(
        notes=notes,
        summaries={note.path: note for note in vault.notes},
        sources=sources,
        pages=pages,
        tag_pages={
            tag_key(name): page
            for name, page in tag_pages(vault.tags).items()
            if name in shown.tags
        },
        attachments=frozenset(vault.attachments),
        results=results,
        videos=videos,
        tag_names={tag_key(name): name for name in vault.tags},
    )


def new_job(
    vault: VaultMap,
    notes: Mapping[str, Note],
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    settings: SiteSettings,
    videos: Mapping[str, VideoInfo],
) -> SiteJob:
    """`notes`: the whole notes at hand, the ones whose pages this job renders among them.
    The job's `vault` is the published part of `vault` (`published_view`)."""
    shown = published_view(vault)
    index = site_index(vault, shown, notes, sources, results, videos)
    renderer = SiteRenderer(build_markdown(), index, settings.line_breaks)
    return SiteJob(renderer, environment(), shown, settings)
