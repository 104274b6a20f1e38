"""The site kept in memory for `serve`, updated page by page when notes change.

A changed note re-renders only the pages that show something of it: the note itself,
the notes that transclude it (directly or through other embeds), the notes that link
to it when its headings changed (anchors), the notes it started or stopped linking to
(their "Linked from" lists), and the pages built from every note (index, tag pages,
search index), which are cheap. Links are resolved again only for the changed notes
(`resolve.resolve_changed`). Adding, removing or renaming a note or a file can move
page paths (slug collisions) and change where links lead, so it rebuilds everything; so
does editing an SVG, whose safe copy is made from its bytes (`attachments.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Note, NoteSummary, SourceFile, Vault, VaultMap, is_published
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import STATE_FOLDER, open_vault
from notebook_runner.publish.listings import PageMemo, listing_pages
from notebook_runner.publish.site import (
    SiteBuild,
    assemble,
    render_notes,
    site_settings,
    stored_videos,
)
from notebook_runner.publish.vault_site import collector_paused
from notebook_runner.publish.workers import ResultsHook
from notebook_runner.render.attachments import SVG_SUFFIX
from notebook_runner.render.job import new_job
from notebook_runner.render.language import sample
from notebook_runner.render.pages import RenderedNote, SiteSettings, environment
from notebook_runner.resolve import resolve_changed
from notebook_runner.vault import NOTE_SUFFIX, LoadedVault, read_note
from notebook_runner.video import VideoInfo, VideoStore, with_link_timestamps


@dataclass(frozen=True)
class Refresh:
    """What one refresh did: the site paths whose bytes changed, and how."""

    changed: frozenset[str]
    full: bool
    rendered_notes: int


class LiveSite:
    """`results` reads `check`'s stored results when the vault is (re)loaded."""

    def __init__(self, root: Path, results: ResultsHook | None = None) -> None:
        self.root = root
        self._results_hook = results
        self.results: Mapping[str, NoteResult] = {}
        self.site = SiteBuild({}, {}, ())
        self._sources: dict[str, SourceFile] = {}
        self._notes: dict[str, Note] = {}
        self._attachments: tuple[str, ...] = ()
        self._rendered: dict[str, RenderedNote] = {}
        self._vault = Vault((), {}, {})
        self._settings = SiteSettings()
        self._videos: dict[str, VideoInfo] = {}
        self._memo = PageMemo(environment())
        self._summaries: dict[str, tuple[Note, NoteSummary]] = {}
        self.rebuild()

    def rebuild(self) -> Refresh:
        workspace = open_vault(self.root)
        hook = self._results_hook
        notes = workspace.vault.notes
        self.results = hook(workspace.config, self.root, notes) if hook else {}
        self._settings, _ = site_settings(
            workspace.config.site, workspace.loaded.obsidian, partial(_texts, workspace.loaded)
        )
        self._videos = stored_videos(VideoStore(self.root), workspace.vault.notes)
        self._sources = {source.path: source for source in workspace.loaded.sources}
        self._notes = {note.path: note for note in workspace.vault.notes}
        self._attachments = workspace.vault.attachments
        self._vault = workspace.vault
        self._summaries = {}
        paths = [note.path for note in workspace.vault.notes]
        return self._render(paths, full=True)

    def refresh(self, changed: Iterable[Path]) -> Refresh:
        """Bring the site up to date after the files in `changed` were written or removed."""
        with collector_paused():
            return self._refresh(changed)

    def _refresh(self, changed: Iterable[Path]) -> Refresh:
        relative = sorted({path for path in map(self._relative, changed) if path is not None})
        notes = [path for path in relative if path.endswith(NOTE_SUFFIX)]
        layout_changed = any(
            (path in self._notes) != (self.root / path).is_file() for path in notes
        ) or any(
            (path in self._attachments) != (self.root / path).is_file()
            or (path in self._attachments and path.lower().endswith(SVG_SUFFIX))
            for path in relative
            if not path.endswith(NOTE_SUFFIX)
        )
        if layout_changed:
            return self.rebuild()
        if not notes:
            return Refresh(frozenset(), False, 0)
        before = {path: self._notes[path] for path in notes}
        edited = []
        for path in notes:
            source, _ = read_note(self.root / path, path)
            self._sources[path] = source
            edited.append(with_link_timestamps(parse_note(source)[0]))
        vault, _ = resolve_changed(self._vault, edited)
        self._vault = vault
        self._notes = {note.path: note for note in vault.notes}
        affected = set(notes)
        for path in notes:
            affected |= _pages_showing(vault, before[path], self._notes[path])
        return self._render(sorted(affected), full=False)

    def _relative(self, path: Path) -> str | None:
        """Vault path of a changed file; None for our own state and hidden files."""
        try:
            parts = path.resolve().relative_to(self.root.resolve()).parts
        except ValueError:
            return None
        if not parts or any(part.startswith(".") for part in parts) or parts[0] == STATE_FOLDER:
            return None
        return "/".join(parts)

    def _render(self, paths: list[str], full: bool) -> Refresh:
        sources = {path: source.text for path, source in self._sources.items()}
        vault = self._vault_map()
        job = new_job(vault, self._notes, sources, self.results, self._settings, self._videos)
        # Only the first build may fork workers: later ones run in the server's threads,
        # and forking a threaded process can deadlock the child.
        fresh = render_notes(job, paths, None if not self._rendered else 1)
        if full:
            self._rendered = {}
        self._rendered.update((page.path, page) for page in fresh)
        shown = job.renderer.index.pages  # a note made a draft keeps an old page here
        ordered = [self._rendered[note.path] for note in self._vault.notes if note.path in shown]
        site = assemble(job, self.root, ordered, listing_pages(job, self._memo))
        self._memo.prune()
        changed = {
            name
            for name in set(site.files) | set(self.site.files)
            if site.files.get(name) != self.site.files.get(name)
        }
        self.site = site
        return Refresh(frozenset(changed), full, len(fresh))

    def _vault_map(self) -> VaultMap:
        """The vault as pages see it; only notes that changed are summarised again."""
        summaries = []
        for note in self._vault.notes:
            known = self._summaries.get(note.path)
            if known is None or known[0] is not note:
                known = self._summaries[note.path] = (note, NoteSummary.of(note))
            summaries.append(known[1])
        vault = self._vault
        return VaultMap(tuple(summaries), vault.backlinks, vault.tags, vault.attachments)


def _targets(note: Note) -> set[str]:
    return {link.resolved for link in note.links if link.resolved and link.resolved != note.path}


def _pages_showing(vault: Vault, before: Note, after: Note) -> set[str]:
    """Pages other than the note's own whose HTML can depend on what changed in it."""
    notes = {note.path for note in vault.notes}
    pages = _embedders(vault, after.path)
    pages |= (_targets(before) ^ _targets(after)) & notes  # their "Linked from" lists
    if before.headings != after.headings:  # anchors of links into the note
        pages |= set(vault.backlinks.get(after.path, ()))
    if is_published(before.frontmatter) != is_published(after.frontmatter):
        # links to it become text or links again; it leaves or joins "Linked from" lists
        pages |= set(vault.backlinks.get(after.path, ())) | (_targets(after) & notes)
    return pages


def _embedders(vault: Vault, path: str) -> set[str]:
    """Notes that transclude `path`, directly or through other embeds."""
    embedded_by: dict[str, set[str]] = {}
    for note in vault.notes:
        for link in note.links:
            if link.embed and link.resolved and link.resolved != note.path:
                embedded_by.setdefault(link.resolved, set()).add(note.path)
    found: set[str] = set()
    pending = [path]
    while pending:
        for source in embedded_by.get(pending.pop(), ()):
            if source not in found and source != path:
                found.add(source)
                pending.append(source)
    return found


def _texts(loaded: LoadedVault) -> list[str]:
    """A sample of the notes' text, for the site's language (read only when needed)."""
    return [source.text for source in sample(loaded.sources)]
