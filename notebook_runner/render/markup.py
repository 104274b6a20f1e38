"""A note's token stream to the HTML of its page body.

The parser (`notebook_runner.syntax`) gives every Obsidian construct its own token; this
renderer gives each one its site form: wiki-links to pages and heading anchors, embeds
transcluded or shown as images/players, callouts (foldable ones as `<details>`, which
needs no script), timestamps as real time links, code highlighted with its `check`
result underneath. Lines come from token maps and token meta, never from the text.

Per-page state lives in `env["page"]` (a `PageState`), so one renderer serves every
page and every worker.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.execute.results import BlockResult, NoteResult
from notebook_runner.model import Diagnostic, Note, Timestamp
from notebook_runner.render.highlight import highlight_code
from notebook_runner.render.math import math_source, to_mathml
from notebook_runner.render.slugs import relative_url
from notebook_runner.render.videos import (
    FILES_PREFIX,
    VIDEO_SUFFIXES,
    Player,
    make_player,
    time_link,
)
from notebook_runner.timecode import format_timecode

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")
AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".ogg", ".flac", ".opus")
MAX_EMBED_DEPTH = 4
_SPACING = frozenset({"softbreak", "hardbreak"})
_TEXT = frozenset({"text", "code_inline"})
FIGURES_FOLDER = "_files/_figures/"

CALLOUT_ICONS = {
    "note": "✎",
    "abstract": "☰",
    "info": "\u2139",  # INFORMATION SOURCE
    "todo": "☑",
    "tip": "✦",
    "success": "✓",
    "question": "?",
    "warning": "⚠",
    "failure": "✗",
    "danger": "⚡",
    "bug": "✱",
    "example": "≡",
    "quote": "❝",
}

_STATUS_TEXT = {
    "passed": "passed",
    "cached": "passed",
    "failed": "failed",
    "not-run": "not run",
    "skipped": "skipped",
}


@dataclass(frozen=True)
class SiteIndex:
    """What every page may point at: the notes, their pages, tags and vault files."""

    notes: Mapping[str, Note]
    sources: Mapping[str, str]
    pages: Mapping[str, str]
    tag_pages: Mapping[str, str]
    attachments: frozenset[str]
    results: Mapping[str, NoteResult]


@dataclass
class PageState:
    """Everything one page's rendering collects or needs to remember."""

    note: Note
    page: str
    players: dict[str, Player]
    sections: dict[int, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    figures: dict[str, bytes] = field(default_factory=dict)
    embed_stack: list[str] = field(default_factory=list)
    id_prefix: str = ""
    raw_html: bool = False
    line: int = 1
    phrasing: int = 0
    text: list[str] = field(default_factory=list)
    files_used: set[str] = field(default_factory=set)
    placed_players: set[str] = field(default_factory=set)

    def url(self, site_path: str) -> str:
        return relative_url(self.page, site_path)

    def player_for(self, video: str | None) -> Player | None:
        """A timestamp's player; one with no video URL plays the note's embedded video
        file, else the note's only video."""
        if video is not None:
            return self.players.get(video)
        local = next((p for p in self.players.values() if p.local), None)
        if local is None and len(self.players) == 1:
            return next(iter(self.players.values()))
        return local


def heading_key(text: str) -> str:
    """Headings match ignoring case, punctuation and spacing, as Obsidian's links do."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum()) or " ".join(folded.split())


def heading_id(note: Note, heading: str | None) -> str | None:
    """The anchor of the last part of `A#B` in `note`, if that heading exists."""
    if not heading:
        return None
    key = heading_key(heading.split("#")[-1])
    return next((h.id for h in note.headings if heading_key(h.text) == key), None)


def page_players(note: Note, attachments: frozenset[str]) -> dict[str, Player]:
    """One player per distinct video of the note, in note order: `timestamp-url` values
    (keyed by the URL as written) and embedded video files (keyed by their vault path)."""
    players: dict[str, Player] = {}
    for ref in note.videos:
        if ref.url not in players:
            players[ref.url] = make_player(f"video-{len(players) + 1}", ref.url, attachments)
    for link in note.links:
        path = link.resolved or ""
        is_video = link.embed and path in attachments and path.lower().endswith(VIDEO_SUFFIXES)
        if is_video and path not in players:
            players[path] = make_player(f"video-{len(players) + 1}", path, attachments)
    return players


def section_of_lines(note: Note) -> dict[int, str]:
    """Note line -> id of the timestamp whose section covers it (for live highlighting)."""
    covered: dict[int, str] = {}
    for number, stamp in enumerate(note.timestamps, start=1):
        for line in range(stamp.line, stamp.end_line + 1):
            covered.setdefault(line, f"ts-{number}")
    return covered


class SiteRenderer(RendererHTML):
    """markdown-it's HTML renderer with a rule for each of our token types.

    Rules of the parser's plugins that we do not override (footnotes, task lists) are
    kept, so anything the parser learns later still renders.
    """

    def __init__(self, md: MarkdownIt, index: SiteIndex) -> None:
        super().__init__(md)
        own = dict(self.rules)
        inherited: dict[str, Any] = getattr(md.renderer, "rules", {})
        self.rules = {**inherited, **own}
        self.md = md
        self.index = index

    # --- entry points ------------------------------------------------------------------

    def render_page(self, state: PageState, text: str) -> str:
        tokens = self.md.parse(text, {})
        return self.render(tokens, self.md.options, {"page": state})

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        out: list[str] = []
        page: PageState = env["page"]
        for index, token in enumerate(tokens):
            if token.map is not None:
                page.line = token.map[0] + 1
                if token.level == 0 and not page.embed_stack and token.nesting >= 0:
                    section = page.sections.get(page.line)
                    if section is not None and token.type not in ("timestamp", "inline"):
                        token.attrSet("data-section", section)
            if token.type == "inline":
                if not page.embed_stack:
                    page.text.extend(c.content for c in token.children or () if c.type in _TEXT)
                out.append(self.renderInline(token.children or [], options, env))
            elif token.type in self.rules:
                out.append(self.rules[token.type](tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    # --- blocks ------------------------------------------------------------------------

    def front_matter(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        token = tokens[idx]
        note = self._current_note(page)
        line = token.map[0] + 1 if token.map else 0
        found = next((h.id for h in note.headings if h.line == line), None)
        if found:
            token.attrSet("id", page.id_prefix + found)
        page.phrasing += 1
        return self.renderToken(tokens, idx, options, env)

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        env["page"].phrasing -= 1
        return self.renderToken(tokens, idx, options, env)

    def paragraph_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A paragraph holding only note embeds is dropped: transclusions are blocks."""
        token = tokens[idx]
        if not token.hidden and self._only_note_embeds(env["page"], tokens[idx + 1]):
            token.hidden = tokens[idx + 2].hidden = True
        if not token.hidden:
            env["page"].phrasing += 1
        return self.renderToken(tokens, idx, options, env)

    def paragraph_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if not tokens[idx].hidden:
            env["page"].phrasing -= 1
        return self.renderToken(tokens, idx, options, env)

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        env["page"].raw_html = True
        return tokens[idx].content

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        env["page"].raw_html = True
        return tokens[idx].content

    def callout_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        meta = tokens[idx].meta
        kind = str(tokens[idx].attrGet("data-callout") or "note")
        attrs = f'class="callout callout-{escape(kind)}" data-callout="{escape(str(meta["type"]))}"'
        section = tokens[idx].attrGet("data-section")
        if section:
            attrs += f' data-section="{escape(str(section))}"'
        fold = meta.get("fold")
        if fold is None:
            return f"<div {attrs}>\n"
        opened = " open" if fold == "+" else ""
        return f"<details {attrs}{opened}>\n"

    def callout_title_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        callout = _enclosing(tokens, idx, "callout_open")
        kind = str(callout.attrGet("data-callout") or "note") if callout else "note"
        icon = (
            f'<span class="callout-icon" aria-hidden="true">{CALLOUT_ICONS.get(kind, "✎")}</span>'
        )
        tag = "summary" if callout and callout.meta.get("fold") else "div"
        env["page"].phrasing += 1
        return f'<{tag} class="callout-title">{icon}<span class="callout-title-text">'

    def callout_title_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        callout = _enclosing(tokens, idx, "callout_open")
        tag = "summary" if callout and callout.meta.get("fold") else "div"
        env["page"].phrasing -= 1
        return f'</span></{tag}>\n<div class="callout-content">\n'

    def callout_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        opening = _matching_open(tokens, idx)
        folded = opening is not None and opening.meta.get("fold")
        return "</div>\n</details>\n" if folded else "</div>\n</div>\n"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        page: PageState = env["page"]
        token = tokens[idx]
        note = self._current_note(page)
        line = token.map[0] + 1 if token.map else 0
        block = next((b for b in note.code_blocks if b.line == line and b.is_python), None)
        lang = token.info.split(maxsplit=1)[0] if token.info.strip() else ""
        first = block.code_line if block else line + 1
        result = self._result(note, line) if block else None
        error_line = result.error.line if result and result.error else None
        marked = error_line if error_line is not None and first <= error_line else None
        code = highlight_code(token.content, lang, first, marked, page.id_prefix)
        section = token.attrGet("data-section")
        extra = f' data-section="{escape(str(section))}"' if section else ""
        lang_attr = f' data-lang="{escape(lang)}"' if lang else ""
        body = render_result(result, page) if block else ""
        return f'<div class="code-block"{lang_attr}{extra}>\n{code}{body}</div>\n'

    def timestamp(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        meta = tokens[idx].meta
        note = self._current_note(page)
        stamp = next((s for s in note.timestamps if s.line == meta["line"]), None)
        if stamp is None:
            text = escape(str(meta["text"]))
            return f'<p class="timestamp timestamp-invalid">▶ {text}</p>\n'
        if page.embed_stack:
            time = escape(format_timecode(stamp.seconds))
            return f'<p class="timestamp"><span class="timestamp-time">▶ {time}</span></p>\n'
        return timestamp_paragraph(note, stamp, page)

    def timestamp_url(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        url = str(tokens[idx].meta["text"])
        player = page.players.get(url) if not page.embed_stack else None
        if player is None:
            return f'<p class="video-link">{_external(url, url)}</p>\n'
        page.placed_players.add(player.url)
        return player_html(player, page)

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, True, env["page"]) + "\n"

    def math_block_label(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, True, env["page"]) + "\n"

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, False, env["page"])

    def math_inline_double(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, True, env["page"])

    # --- inline ------------------------------------------------------------------------

    def comment_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""

    def comment_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""

    def block_id(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        block = escape(page.id_prefix + "^" + str(tokens[idx].meta["id"]))
        return f'<span class="block-anchor" id="{block}"></span>'

    def tag(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        page: PageState = env["page"]
        name = str(tokens[idx].meta["name"])
        target = self.index.tag_pages.get(name.casefold())
        text = escape("#" + name)
        if target is None:
            return f'<span class="tag">{text}</span>'
        return f'<a class="tag" href="{escape(page.url(target))}">{text}</a>'

    def wikilink(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        meta = tokens[idx].meta
        resolved = self._resolved(page, meta)
        if meta["embed"]:
            return self._embed(page, meta, resolved)
        text = escape(_link_text(meta))
        if resolved is None:
            title = escape(f"“{meta['target']}” does not exist yet")
            return f'<span class="internal-link unresolved" title="{title}">{text}</span>'
        if resolved not in self.index.pages:
            page.files_used.add(resolved)
        target = self._target_url(resolved, meta)
        if resolved == page.note.path and not page.embed_stack and "#" in target:
            href = escape(quote("#" + target.partition("#")[2], safe="#-._~"))
        else:
            href = escape(page.url(target))
        return f'<a class="internal-link" href="{href}">{text}</a>'

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        local = self._local_target(env["page"], href)
        if local is not None:
            token.attrSet("href", env["page"].url(local))
        elif urlsplit(href).scheme in ("http", "https"):
            token.attrSet("class", "external-link")
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        local = self._local_target(env["page"], str(token.attrGet("src") or ""))
        if local is not None:
            token.attrSet("src", env["page"].url(local))
        token.attrSet("loading", "lazy")
        return super().image(tokens, idx, options, env)

    # --- helpers -----------------------------------------------------------------------

    def _only_note_embeds(self, page: PageState, inline: Token) -> bool:
        children = inline.children or []
        embeds = [child for child in children if child.type == "wikilink"]
        others = [c for c in children if c.type != "wikilink" and c.type not in _SPACING]
        return (
            bool(embeds)
            and not any(c.type == "text" and c.content.strip() for c in others)
            and not [c for c in others if c.type != "text"]
            and all(
                e.meta["embed"] and self._resolved(page, e.meta) in self.index.pages for e in embeds
            )
        )

    def _current_note(self, page: PageState) -> Note:
        if page.embed_stack:
            return self.index.notes[page.embed_stack[-1]]
        return page.note

    def _result(self, note: Note, line: int) -> BlockResult | None:
        result = self.index.results.get(note.path)
        if result is None:
            return None
        return next((block for block in result.blocks if block.line == line), None)

    def _math(self, latex: str, display: bool, page: PageState) -> str:
        mathml = to_mathml(latex, display)
        if mathml is not None:
            return mathml
        note = self._current_note(page)
        message = "math could not be rendered; shown as written"
        page.diagnostics.append(Diagnostic(note.path, page.line, "warning", "bad-math", message))
        return math_source(latex, display)

    def _resolved(self, page: PageState, meta: Mapping[str, Any]) -> str | None:
        note = self._current_note(page)
        for link in note.links:
            if (
                link.line == meta["line"]
                and link.target == meta["target"]
                and link.heading == meta["heading"]
                and link.block == meta["block"]
                and link.embed == meta["embed"]
            ):
                return link.resolved
        return None

    def _target_url(self, resolved: str, meta: Mapping[str, Any]) -> str:
        if resolved not in self.index.pages:
            return FILES_PREFIX + resolved
        target = self.index.pages[resolved]
        anchor = heading_id(self.index.notes[resolved], meta.get("heading"))
        if meta.get("block"):
            anchor = "^" + str(meta["block"])
        return f"{target}#{anchor}" if anchor else target

    def _local_target(self, page: PageState, url: str) -> str | None:
        """Site path for a Markdown link/image to a vault file (`[x](Other.md)`)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        note = self._current_note(page)
        path = unquote(parts.path)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(note.path), path))
        for candidate in (joined, path.lstrip("/")):
            if candidate in self.index.pages:
                target = self.index.pages[candidate]
                return f"{target}#{parts.fragment}" if parts.fragment else target
            if candidate in self.index.attachments:
                page.files_used.add(candidate)
                return FILES_PREFIX + candidate
        return None

    def _embed(self, page: PageState, meta: Mapping[str, Any], resolved: str | None) -> str:
        target = str(meta["target"])
        if resolved is None:
            title = escape(f"“{target}” does not exist yet")
            return f'<span class="embed unresolved" title="{title}">{escape(target)}</span>'
        if resolved in self.index.pages and page.phrasing == 0:
            return self._transclude(page, meta, resolved)
        if resolved in self.index.pages:
            href = escape(page.url(self._target_url(resolved, meta)))
            return (
                f'<a class="internal-link embed-link" href="{href}">{escape(_link_text(meta))}</a>'
            )
        page.files_used.add(resolved)
        src = escape(page.url(FILES_PREFIX + resolved))
        name = escape(resolved.rpartition("/")[2])
        lower = resolved.lower()
        if lower.endswith(IMAGE_SUFFIXES):
            size = _size_attributes(meta.get("alias"))
            alt = escape(str(meta.get("alias") or name)) if not size else name
            return f'<img class="embed" src="{src}" alt="{alt}"{size} loading="lazy">'
        if lower.endswith(VIDEO_SUFFIXES):
            player = page.players.get(resolved)
            element_id = ""
            if player is not None and player.url not in page.placed_players:
                page.placed_players.add(player.url)
                element_id = f' id="{escape(player.element_id)}"'
            return (
                f'<video class="embed"{element_id} src="{src}" controls preload="metadata"></video>'
            )
        if lower.endswith(AUDIO_SUFFIXES):
            return f'<audio class="embed" src="{src}" controls preload="metadata"></audio>'
        return f'<a class="embed-file" href="{src}">{name}</a>'

    def _transclude(self, page: PageState, meta: Mapping[str, Any], resolved: str) -> str:
        note = self.index.notes[resolved]
        href = escape(page.url(self._target_url(resolved, meta)))
        title = escape(_link_text(meta))
        link = f'<a class="internal-link" href="{href}">{title}</a>'
        if resolved == page.note.path or resolved in page.embed_stack:
            return f'<span class="embed embed-cycle">{link}</span>'
        if len(page.embed_stack) >= MAX_EMBED_DEPTH:
            return f'<span class="embed embed-deep">{link}</span>'
        tokens = self.md.parse(self.index.sources.get(resolved, ""), {})
        tokens = _section(tokens, note, meta.get("heading"))
        saved_prefix, saved_line = page.id_prefix, page.line
        page.embed_stack.append(resolved)
        page.id_prefix = f"{saved_prefix}e{len(page.embed_stack)}-"
        try:
            body = self.render(tokens, self.md.options, {"page": page})
        finally:
            page.embed_stack.pop()
            page.id_prefix, page.line = saved_prefix, saved_line
        return (
            f'<div class="embed embed-note"><div class="embed-title">{link}</div>\n'
            f'<div class="embed-body">\n{body}</div></div>\n'
        )


def _enclosing(tokens: Sequence[Token], idx: int, kind: str) -> Token | None:
    for index in range(idx - 1, -1, -1):
        if tokens[index].type == kind:
            return tokens[index]
    return None


def _matching_open(tokens: Sequence[Token], idx: int) -> Token | None:
    level = tokens[idx].level
    for index in range(idx - 1, -1, -1):
        if tokens[index].type == "callout_open" and tokens[index].level == level:
            return tokens[index]
    return None


def _section(tokens: list[Token], note: Note, heading: object) -> list[Token]:
    """The tokens of `![[Note#Heading]]`: that heading up to the next of its level."""
    if not isinstance(heading, str) or not heading:
        return tokens
    key = heading_key(heading.split("#")[-1])
    found = next((h for h in note.headings if heading_key(h.text) == key), None)
    if found is None:
        return tokens
    start = next(
        (
            i
            for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.map and t.map[0] + 1 == found.line
        ),
        None,
    )
    if start is None:
        return tokens
    end = len(tokens)
    for index in range(start + 3, len(tokens)):
        token = tokens[index]
        if (
            token.type == "heading_open"
            and token.level == tokens[start].level
            and int(token.tag[1]) <= found.level
        ):
            end = index
            break
    while end > start and tokens[end - 1].type == "timestamp":
        end -= 1  # a timestamp just before the next heading introduces that section
    return tokens[start:end]


def _link_text(meta: Mapping[str, Any]) -> str:
    """What Obsidian shows: the alias, else `Note > Heading`, else the target."""
    if meta.get("alias"):
        return str(meta["alias"])
    parts = [str(meta["target"])] if meta["target"] else []
    if meta.get("heading"):
        parts.extend(str(meta["heading"]).split("#"))
    if meta.get("block"):
        parts.append("^" + str(meta["block"]))
    return " > ".join(part for part in parts if part)


def _size_attributes(alias: object) -> str:
    """`|100` or `|100x145` after an image embed is its display size."""
    if not isinstance(alias, str):
        return ""
    width, _, height = alias.strip().partition("x")
    if not width.isdigit() or (height and not height.isdigit()):
        return ""
    return f' width="{width}"' + (f' height="{height}"' if height else "")


def _external(url: str, text: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme not in ("http", "https"):
        return escape(text)
    return f'<a class="external-link" href="{escape(url)}">{escape(text)}</a>'


def timestamp_paragraph(note: Note, stamp: Timestamp, page: PageState) -> str:
    """`▶ 12:34` as a link that works without JavaScript and seeks with it."""
    number = note.timestamps.index(stamp) + 1
    label = f"▶ {format_timecode(stamp.seconds)}"
    player = page.player_for(stamp.video)
    attrs = f'class="timestamp" id="{page.id_prefix}ts-{number}" data-section="ts-{number}"'
    if player is None:
        return f'<p {attrs}><span class="timestamp-time">{escape(label)}</span></p>\n'
    href = escape(time_link(player, stamp.seconds, page.url))
    link = (
        f'<a class="timestamp-link" href="{href}" data-player="{player.element_id}"'
        f' data-seconds="{stamp.seconds}">{escape(label)}</a>'
    )
    return f"<p {attrs}>{link}</p>\n"


def player_html(player: Player, page: PageState) -> str:
    """A player slot: a `<video>` for files, else a link the script turns into a player."""
    if player.kind == "file":
        if player.local:
            page.files_used.add(player.src.removeprefix(FILES_PREFIX))
        src = escape(page.url(player.src) if player.local else player.src)
        return (
            f'<figure class="player" data-kind="file"><video id="{player.element_id}" '
            f'src="{src}" controls preload="metadata"></video></figure>\n'
        )
    attrs = f'class="player" id="{player.element_id}" data-kind="{player.kind}"'
    if player.video_id:
        attrs += f' data-video-id="{escape(player.video_id)}"'
    link = _external(player.url.strip(), f"Watch the video: {player.url.strip()}")
    return f'<figure {attrs}><p class="player-link">{link}</p></figure>\n'


def render_result(result: BlockResult | None, page: PageState) -> str:
    """What `check` stored for a block; the one place that knows BlockResult's fields."""
    if result is None:
        return '<div class="result result-none"><p class="result-status">not run</p></div>\n'
    status = _STATUS_TEXT.get(result.status, result.status)
    parts = [f'<p class="result-status">{escape(status)}</p>']
    if result.stdout:
        parts.append(f'<pre class="result-stdout">{escape(result.stdout)}</pre>')
    if result.value is not None:
        parts.append(f'<pre class="result-value">{escape(result.value)}</pre>')
    for figure in result.figures:
        parts.append(_figure(figure, page))
    if result.error is not None:
        error = result.error
        anchor = escape(f"#{page.id_prefix}L-{error.line}")
        parts.append(
            f'<p class="result-error"><strong>{escape(error.type)}</strong>: '
            f'{escape(error.message)} (<a href="{anchor}">line {error.line}</a>)</p>'
        )
        if error.traceback:
            parts.append(f'<pre class="result-traceback">{escape(error.traceback)}</pre>')
    css = "passed" if result.status == "cached" else result.status
    body = "\n".join(parts)
    return f'<div class="result result-{escape(css)}">\n{body}\n</div>\n'


def _figure(encoded: str, page: PageState) -> str:
    """Figures become files (pages stay small, and `data:` URLs are not allowed)."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return ""
    name = FIGURES_FOLDER + hashlib.sha256(data).hexdigest()[:16] + ".png"
    page.figures[name] = data
    return f'<img class="result-figure" src="{escape(page.url(name))}" alt="figure" loading="lazy">'
