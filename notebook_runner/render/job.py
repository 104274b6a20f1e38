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
        notes = self.renderer.index.notes
        return [self.render_note(notes[path]) for path in paths]

    def render_note(self, note: Note, tokens: Sequence[Token] | None = None) -> RenderedNote:
        """`tokens`: the note's token stream, when it was kept from parsing."""
        backlinks = self.vault.backlinks.get(note.path, ())
        return render_note(self.renderer, self.env, note, backlinks, self.settings, tokens)


def site_index(
    vault: VaultMap,
    notes: Mapping[str, Note],
    sources: Mapping[str, str],
    results: Mapping[str, NoteResult],
    videos: Mapping[str, VideoInfo],
) -> SiteIndex:
    """`notes`: the whole notes at hand (see `SiteIndex.notes`)."""
    return SiteIndex(
        notes=notes,
        summaries={note.path: note for note in vault.notes},
        sources=sources,
        pages=note_pages(note.path for note in vault.notes),
        tag_pages={tag_key(name): page for name, page in tag_pages(vault.tags).items()},
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
    """`notes`: the whole notes at hand, the ones whose pages this job renders among them."""
    index = site_index(vault, notes, sources, results, videos)
    renderer = SiteRenderer(build_markdown(), index, settings.line_breaks)
    return SiteJob(renderer, environment(), vault, settings)
