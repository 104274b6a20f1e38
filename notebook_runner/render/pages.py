"""Whole pages: a note's body inside its template, plus the index, tag and 404 pages.

Templates are Jinja2 with autoescaping on; only HTML this package produced (the
rendered body, players, property values built with `escape`) is marked safe.
Everything is sorted or kept in note order, never in dict/set order, so rebuilds are
byte-identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it.token import Token
from markupsafe import Markup, escape

from notebook_runner.execute.results import failure_diagnostics
from notebook_runner.model import Diagnostic, Note
from notebook_runner.render.attributes import safe_url
from notebook_runner.render.i18n import Messages, messages
from notebook_runner.render.language import DEFAULT_LANGUAGE, note_language
from notebook_runner.render.markup import SiteRenderer
from notebook_runner.render.meta import indexed, note_meta
from notebook_runner.render.notebooks import (
    Repository,
    SiteNotebookLinks,
    notebook_file,
    notebook_path,
)
from notebook_runner.render.sanitize import clean
from notebook_runner.render.slugs import relative_url, tag_key
from notebook_runner.render.state import PageState, SiteIndex, section_of_lines
from notebook_runner.render.timestamps import page_players, player_html, video_cards
from notebook_runner.render.videos import time_link
from notebook_runner.safe_urls import is_web_address
from notebook_runner.timecode import format_timecode
from notebook_runner.video import link_at

SEARCH_TEXT_LIMIT = 3000
OUTLINE_FOLDED_FROM = 40
"""A video outline longer than this (a transcript's hundreds of times) starts folded."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class RenderedNote:
    """One note page and what the rest of the site needs from its rendering.

    `html` is the page already encoded as UTF-8: pages come back from the worker
    processes pickled, and unpickling 130 MB of `str` (10,000 pages) takes the main
    process two seconds of decoding where `bytes` are copied in a tenth of that.
    `written`: the site paths of the page and its generated files when the worker that
    rendered it wrote them into the staging folder already (`without_files`)."""

    path: str
    page: str
    html: bytes
    diagnostics: tuple[Diagnostic, ...]
    generated: Mapping[str, bytes]
    files_used: frozenset[str]
    search: str = "{}"
    written: tuple[str, ...] = ()
    description: str = ""
    indexed: bool = True

    def files(self) -> dict[str, bytes]:
        """The page and the files it generated, by site path."""
        return {self.page: self.html, **self.generated}

    def without_files(self) -> RenderedNote:
        """What the rest of the site needs once the files are on disk."""
        return replace(self, html=b"", generated={}, written=tuple(self.files()))


@cache
def environment() -> Environment:
    """One per process: Jinja compiles each template once. Templates are package files,
    never edited while a build runs, so Jinja need not stat them again on every page
    (`auto_reload` would, 10,000 times a build)."""
    return Environment(
        loader=PackageLoader("notebook_runner.render", "templates"),
        auto_reload=False,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class SiteSettings:
    """The `[site]` config as pages use it (`repository` already read), and the vault's
    Obsidian settings that change pages (`line_breaks`: not `strictLineBreaks`)."""

    title: str = "Notes"
    base_url: str = ""
    repository: Repository | None = None
    line_breaks: bool = True
    language: str = DEFAULT_LANGUAGE


def render_note(
    renderer: SiteRenderer,
    env: Environment,
    note: Note,
    backlinks: Sequence[str],
    settings: SiteSettings,
    tokens: Sequence[Token] | None = None,
) -> RenderedNote:
    """`tokens`: the note's token stream when the caller parsed it already."""
    index = renderer.index
    page = index.pages[note.path]
    ui = messages(settings.language)
    language = note_language(note, settings.language)
    state = PageState(
        note=note,
        page=page,
        players=page_players(note, index.attachments),
        sections=section_of_lines(note),
        ui=ui,
        lang=language,
    )
    if tokens is None:
        tokens = renderer.md.parse(index.sources.get(note.path, ""))
    notebook = _notebook(note, state, index, settings, tokens)
    videos = video_cards(state, index.videos)
    title_id, tokens = _without_own_title(note, tokens)
    body = renderer.render_page(state, tokens)
    outline = _outline(note, state)
    if state.raw_html:
        body = clean(body)
    header_players = [
        Markup(player_html(player, state))
        for url, player in state.players.items()
        if url not in state.placed_players
        and any(state.player_for(s.video) is player for s in note.timestamps)
    ]
    meta = note_meta(note, tokens, index, settings.base_url, page)
    html = env.get_template("note.html").render(
        lang=language,
        title=note.title,
        title_id=title_id,
        site_title=settings.title,
        root=relative_url(page, ""),
        meta=meta,
        ui=ui,
        badge=_badge(note, index, ui),
        notebook=notebook,
        tags=_tag_links(note.tags, index, page),
        properties=_properties(note.frontmatter),
        videos=videos,
        outline=outline,
        outline_folded=len(outline) > OUTLINE_FOLDED_FROM,
        header_players=header_players,
        body=Markup(body),
        outgoing=_outgoing(note, index, page),
        backlinks=[_page_link(path, index, page) for path in backlinks if path in index.pages],
    )
    search = {
        "title": note.title,
        "url": page,
        "headings": [heading.text for heading in note.headings],
        "tags": list(note.tags),
        "text": search_words(state.text),
    }
    result = index.results.get(note.path)
    failed = failure_diagnostics((result,)) if result is not None else []
    return RenderedNote(
        note.path,
        page,
        html.encode("utf-8"),
        (*state.diagnostics, *failed),
        dict(sorted(state.generated.items())),
        frozenset(state.files_used),
        search_entry(search),
        description=meta["description"],
        indexed=indexed(meta["robots"]),
    )


def _without_own_title(note: Note, tokens: Sequence[Token]) -> tuple[str, Sequence[Token]]:
    """A note that opens with `# Its title` (the file's name) would show the title twice,
    in the page header and atop the body: the body's heading is left out, and its id
    (`[[Note#Its title]]`) goes to the header's. Another first heading stays."""
    first = next((i for i, token in enumerate(tokens) if token.type != "front_matter"), None)
    if first is None or tokens[first].type != "heading_open" or tokens[first].tag != "h1":
        return "", tokens
    line = (tokens[first].map or (0,))[0] + 1
    heading = next((h for h in note.headings if h.line == line), None)
    if heading is None or _spaced(heading.text).casefold() != _spaced(note.title).casefold():
        return "", tokens
    return heading.id, [*tokens[:first], *tokens[first + 3 :]]


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _notebook(
    note: Note, state: PageState, index: SiteIndex, settings: SiteSettings, tokens: Sequence[Token]
) -> dict[str, str] | None:
    """The download (and Colab) links of the note's notebook; None without Python code."""
    if not any(block.is_python for block in note.code_blocks):
        return None
    links = SiteNotebookLinks(index.summaries, index.pages, settings.base_url)
    result = index.results.get(note.path)
    path = notebook_path(state.page)
    try:
        text = index.sources.get(note.path, "")
        blocks = result.blocks if result else ()
        breaks = settings.line_breaks
        state.generated[path] = notebook_file(note, text, links, blocks, tokens, breaks)
    except Exception as error:  # jupytext/nbformat refusing a note must not stop the site
        message = f"no notebook download for this note: {error}"
        state.diagnostics.append(Diagnostic(note.path, 1, "warning", "notebook-failed", message))
        return None
    colab = settings.repository.colab_url(path) if settings.repository else ""
    return {"download": state.url(path), "colab": colab}


def search_entry(entry: Mapping[str, Any]) -> str:
    """A page's entry of the search index, as JSON: encoded where the page is rendered
    (in `build`'s workers), so the index is only joined at the end."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def search_words(texts: Sequence[str]) -> str:
    """Each word of the note once, in order of first use, lower-cased and capped: the
    search only needs to know whether a note contains a word, and a vault of 10,000
    notes must not ship its full text to every visitor.

    The words are cut out of the note's distinct whitespace-separated pieces, not its
    whole text: a note repeats most of its words, every word lies inside one piece, so
    the words come out the same and in the same order, and the costly Unicode scan reads
    about half as much."""
    pieces = " ".join(dict.fromkeys(" ".join(texts).split()))
    joined = " ".join(dict.fromkeys(_WORD.findall(pieces.casefold())))
    if len(joined) <= SEARCH_TEXT_LIMIT:
        return joined
    return joined[: SEARCH_TEXT_LIMIT + 1].rpartition(" ")[0]


def _page_link(path: str, index: SiteIndex, page: str) -> dict[str, str]:
    return {"url": relative_url(page, index.pages[path]), "title": index.summaries[path].title}


def _tag_links(tags: Sequence[str], index: SiteIndex, page: str) -> list[dict[str, str]]:
    """The note's tags as the whole site spells them: `#ml` in one note and `#ML` in
    another are one tag, with one page and one name, whichever note shows it."""
    links = []
    for tag in tags:
        key = tag_key(tag)
        target = index.tag_pages.get(key)
        if target is not None:
            links.append({"name": index.tag_names.get(key, tag), "url": relative_url(page, target)})
    return links


def _badge(note: Note, index: SiteIndex, ui: Messages) -> dict[str, str] | None:
    """passed / failed / not run, for notes with Python code only; `detail`: how many
    blocks did what."""
    blocks = [block for block in note.code_blocks if block.is_python]
    if not blocks:
        return None
    result = index.results.get(note.path)
    if result is None:
        return {"css": "not-run", "text": ui["status_not_run"], "detail": ui["no_stored_results"]}
    counts: dict[str, int] = {}
    for block in result.blocks:
        status = "passed" if block.status == "cached" else block.status.replace("-", "_")
        counts[status] = counts.get(status, 0) + 1
    detail = ui["list_separator"].join(
        ui.count(f"blocks_{status}", count) for status, count in sorted(counts.items())
    )
    if result.status == "failed":
        return {"css": "failed", "text": ui["status_failed"], "detail": detail}
    if result.status == "skipped":
        return {"css": "not-run", "text": ui["status_skipped"], "detail": detail}
    return {"css": "passed", "text": ui["status_passed"], "detail": detail}


def _properties(frontmatter: Mapping[str, Any]) -> list[dict[str, Markup | str]]:
    """Obsidian's properties table; values are escaped, http(s) URLs become links."""
    return [{"key": str(key), "value": _value_html(value)} for key, value in frontmatter.items()]


def _value_html(value: Any) -> Markup:
    """Built with `escape` and f-strings: `Markup.format` runs Python's `string.Formatter`,
    a tenth of a page's whole render time on property-heavy notes."""
    if isinstance(value, list | tuple):
        return Markup(", ").join(_value_html(item) for item in value)
    if isinstance(value, dict):
        return Markup(", ").join(
            Markup(f"{escape(key)}: {_value_html(item)}") for key, item in value.items()
        )
    if value is None:
        return Markup("")
    if isinstance(value, bool):  # as written in YAML, not Python's True/False
        return Markup("true" if value else "false")
    text = str(value).strip()
    if " " not in text and is_web_address(text):
        return Markup(f'<a class="external-link" href="{escape(text)}">{escape(text)}</a>')
    return escape(text)


def _outline(note: Note, state: PageState) -> list[dict[str, Any]]:
    """Each timestamp: a time link seeking its player, else a plain link to that moment
    of its own video (a time link to a video the note does not play), else bare text."""
    items = []
    for number, stamp in enumerate(note.timestamps, start=1):
        player = state.player_for(stamp.video)
        if player is not None:
            href = safe_url(time_link(player, stamp.seconds, state.url))
        else:
            href = safe_url(link_at(stamp.video, stamp.seconds)) if stamp.video else None
        items.append(
            {
                "time": format_timecode(stamp.seconds),
                "seconds": stamp.seconds,
                "label": stamp.label
                or stamp.section
                or state.ui.format("timestamp_number", number=number),
                "anchor": f"ts-{number}",
                "player": player.element_id if player else "",
                "href": href or "",
            }
        )
    return items


def _outgoing(note: Note, index: SiteIndex, page: str) -> list[dict[str, str]]:
    """Each linked note once, in order of first mention; unresolved ones unlinked."""
    seen: dict[str, dict[str, str]] = {}
    for link in note.links:
        target = link.resolved
        if target is None and link.target.strip():
            seen.setdefault("?" + link.target.casefold(), {"url": "", "title": link.target})
        elif target is not None and target != note.path and target in index.pages:
            seen.setdefault(target, _page_link(target, index, page))
    return list(seen.values())


def render_plain(env: Environment, template: str, page: str, **context: Any) -> str:
    """Index, tag and 404 pages: `page` is where the file goes, for relative links,
    unless `context` names the site's `root` itself."""
    return env.get_template(template).render(**{"root": relative_url(page, ""), **context})
