"""What the body renderer's rules share: the site index, one page's state, and their base.

The rules live in one module per responsibility (callouts, links, embeds, code,
timestamps); each is a mixin on `RuleBase`, and `markup.SiteRenderer` combines them.
Per-page state lives in `env["page"]` (a `PageState`), so one renderer serves every
page and every worker.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.utils import OptionsDict, OptionsType

from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Diagnostic, Note, NoteSummary
from notebook_runner.render.i18n import Messages, messages
from notebook_runner.render.language import DEFAULT_LANGUAGE
from notebook_runner.render.slugs import relative_url
from notebook_runner.render.videos import Player
from notebook_runner.video import VideoInfo, recognise


@dataclass(frozen=True)
class SiteIndex:
    """What every page may point at: every note's summary, its page, tags and vault
    files, and the stored metadata of the videos (by `VideoSource.key`).

    `notes` holds whole notes: the ones whose pages are rendered here, and any other a
    page transcludes (`build`'s workers hold their own share and parse another note when
    a page embeds it). Whatever a page shows of a note it links to comes from
    `summaries`. `tag_names`: each tag's one spelling for the whole site (the first seen,
    as the tag pages and the index show it), by `slugs.tag_key`."""

    notes: Mapping[str, Note]
    summaries: Mapping[str, NoteSummary]
    sources: Mapping[str, str]
    pages: Mapping[str, str]
    tag_pages: Mapping[str, str]
    attachments: frozenset[str]
    results: Mapping[str, NoteResult]
    videos: Mapping[str, VideoInfo] = field(default_factory=dict)
    tag_names: Mapping[str, str] = field(default_factory=dict)


@dataclass
class PageState:
    """Everything one page's rendering collects or needs to remember; `generated` holds
    the files the page itself makes (figures, chapter tracks), by site path."""

    note: Note
    page: str
    players: dict[str, Player]
    sections: dict[int, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    generated: dict[str, bytes] = field(default_factory=dict)
    embed_stack: list[str] = field(default_factory=list)
    id_prefix: str = ""
    raw_html: bool = False
    line: int = 1
    phrasing: int = 0
    text: list[str] = field(default_factory=list)
    files_used: set[str] = field(default_factory=set)
    placed_players: set[str] = field(default_factory=set)
    ui: Messages = field(default_factory=messages)
    """The interface text, in the site's language."""
    lang: str = DEFAULT_LANGUAGE
    """What the page's text is in: the note's `lang:`, else the site's language."""
    _players_by_video: dict[str, Player] | None = field(default=None, repr=False)
    _time_links: dict[tuple[int, str], int] | None = field(default=None, repr=False)

    def url(self, site_path: str) -> str:
        return relative_url(self.page, site_path)

    def player_for(self, video: str | None) -> Player | None:
        """A timestamp's player: the one of its video, whatever the URL's form
        (`youtu.be/ID?t=9` plays in the note's `watch?v=ID` player: same site and id);
        with no video URL, the note's embedded video file, else its only video."""
        if video is not None:
            return self.players.get(video) or self._by_video().get(recognise(video).key)
        local = next((p for p in self.players.values() if p.local), None)
        if local is None and len(self.players) == 1:
            return next(iter(self.players.values()))
        return local

    def _by_video(self) -> dict[str, Player]:
        if self._players_by_video is None:
            self._players_by_video = {}
            for player in self.players.values():
                self._players_by_video.setdefault(recognise(player.url).key, player)
        return self._players_by_video

    def time_link_number(self, line: int, href: str) -> int | None:
        """The number (1-based, in `note.timestamps`) of the Markdown time link
        `[0:09](href)` on note line `line`, when the parser read it as a timestamp."""
        if self._time_links is None:
            self._time_links = {
                (stamp.line, stamp.video): number
                for number, stamp in enumerate(self.note.timestamps, start=1)
                if stamp.video
            }
        return self._time_links.get((line, href)) if self._time_links else None


class RuleBase(RendererHTML):
    """markdown-it's HTML renderer plus what every rule module needs.

    Rules of the parser's plugins that we do not override (footnotes, task lists) are
    kept, so anything the parser learns later still renders."""

    def __init__(self, md: MarkdownIt, index: SiteIndex, line_breaks: bool = True) -> None:
        """`line_breaks`: a single line break inside a paragraph shows as one, as in
        Obsidian unless its "strict line breaks" setting is on. The parser is shared by
        every page and every vault of a process, so this renderer keeps its own options."""
        super().__init__(md)
        own = dict(self.rules)
        inherited: dict[str, Any] = getattr(md.renderer, "rules", {})
        self.rules = {**inherited, **own}
        self.md = md
        self.options = OptionsDict(cast(OptionsType, {**md.options, "breaks": line_breaks}))
        self.index = index

    def _current_note(self, page: PageState) -> Note:
        """The note being rendered: the page's own, or the one embedded in it."""
        if page.embed_stack:
            return self.index.notes[page.embed_stack[-1]]
        return page.note


@lru_cache(maxsize=1 << 16)
def heading_key(text: str) -> str:
    """Headings match ignoring case, punctuation and spacing, as Obsidian's links do.
    Cached: every link into a note folds all of that note's headings again."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum()) or " ".join(folded.split())


def heading_id(note: Note | NoteSummary, heading: str | None) -> str | None:
    """The anchor of the last part of `A#B` in `note`, if that heading exists."""
    if not heading:
        return None
    key = heading_key(heading.split("#")[-1])
    return next((h.id for h in note.headings if heading_key(h.text) == key), None)


def section_of_lines(note: Note) -> dict[int, str]:
    """Note line -> id of the timestamp whose section covers it (for live highlighting)."""
    covered: dict[int, str] = {}
    for number, stamp in enumerate(note.timestamps, start=1):
        for line in range(stamp.line, stamp.end_line + 1):
            covered.setdefault(line, f"ts-{number}")
    return covered
