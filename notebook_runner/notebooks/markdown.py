"""A note's tokens back to plain Markdown that Jupyter, Colab and GitHub render alike.

Obsidian syntax has no meaning in a notebook, so each Obsidian token gets a CommonMark
form: wiki-links become ordinary links (the caller decides where to), callouts become
block quotes with a bold title, `==x==` becomes `<mark>`, timestamps become links that
open the video at that second, comments and block ids disappear. Everything else is
written back from its tokens, keeping the markers the author used.

Backslash escapes and entities must be written back as typed (without that,
`\\*not emphasis\\*` would come back as emphasis), so they must stay `text_special`
tokens, which the shared parser's `text_join` rule folds into plain text. A caller that
has the note's token stream from the shared parser (the site build) passes it: when no
inline content holds a `\\` or `&` outside code and math spans, no escape or entity
rule can have fired, and that stream is exactly what `text_join` off would give (text
merely merged). Otherwise the note is parsed again by a copy of the parser with
`text_join` off.

Python fences (the blocks `check` runs) are not written: they come out as `CodeBlock`
pieces between the Markdown pieces, so that the exporter can make them code cells, even
inside a list or a callout (the container then continues in the next Markdown piece).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from notebook_runner.model import PYTHON_LANGS, CodeBlock, Note, Timestamp
from notebook_runner.syntax import build_markdown
from notebook_runner.syntax.wikilinks import IMAGE_SUFFIXES, image_size_attributes
from notebook_runner.video import link_at, timestamp_video

__all__ = ["CellBreak", "LinkTargets", "Piece", "note_pieces"]

_LITERAL_SPECIALS = frozenset("\\`*_[]<$|~&")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_ALIGN = {"text-align:left": ":--", "text-align:right": "--:", "text-align:center": ":-:"}
_VERBATIM = frozenset({"code_inline", "math_inline", "math_inline_double", "html_inline"})
_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"})


class CellBreak:
    """Where a new Markdown cell should start (before a top-level heading)."""


Piece = str | CodeBlock | CellBreak
"""Markdown text, a Python block for a code cell, or a cell break."""


class LinkTargets(Protocol):
    """Where links of the exported note point; the exporter knows the output layout."""

    def href(self, source: str, target: str, heading: str | None, block: str | None) -> str:
        """The href of the vault file `target` (a note or an attachment), seen from the
        note `source`, with an anchor for `heading` or `block` when it has one."""
        ...


@cache
def _markdown() -> MarkdownIt:
    md = build_markdown.__wrapped__()
    md.disable("text_join")
    return md


def note_pieces(
    note: Note, text: str, targets: LinkTargets, tokens: Sequence[Token] | None = None
) -> list[Piece]:
    """The note as Markdown text pieces, Python blocks and cell breaks, in order.
    `tokens`: the note's stream from `parse.parse_tokens`, used when it can be."""
    if tokens is None or not _escape_free(tokens):
        tokens = _markdown().parse(text)
    return _Renderer(note, targets).top_level(tokens)


def _escape_free(tokens: Sequence[Token]) -> bool:
    """Whether every `\\` and `&` of every inline content lies inside a verbatim span
    (code, math, inline HTML), where the escape and entity rules never look."""
    return all(
        _specials(token.content) == _verbatim_specials(token.children or ())
        for token in tokens
        if token.type == "inline"
    )


def _specials(text: str) -> int:
    return text.count("\\") + text.count("&")


def _verbatim_specials(children: Sequence[Token]) -> int:
    """How many `\\` and `&` the verbatim children hold (image alt text included)."""
    total = 0
    for child in children:
        if child.type in _VERBATIM:
            total += _specials(child.content)
        elif child.children:
            total += _verbatim_specials(child.children)
    return total


@dataclass
class _Renderer:
    note: Note
    targets: LinkTargets

    def __post_init__(self) -> None:
        self.code_by_line = {block.line: block for block in self.note.code_blocks}
        self.stamps = {stamp.line: stamp for stamp in self.note.timestamps}
        self.videos = {video.line: video for video in self.note.videos}

    # -- blocks -----------------------------------------------------------------------

    def top_level(self, tokens: Sequence[Token]) -> list[Piece]:
        pieces: list[Piece] = []
        previous = ""
        for start, end in _siblings(tokens, 0, len(tokens)):
            kind = tokens[start].type
            if kind == "heading_open" and previous != "timestamp":
                pieces.append(CellBreak())
            if kind not in ("front_matter", "comment_block"):
                previous = kind
            _append(pieces, self.block(tokens, start, end), "\n\n")
        return pieces

    def blocks(self, tokens: Sequence[Token], start: int, end: int, sep: str) -> list[Piece]:
        pieces: list[Piece] = []
        for first, last in _siblings(tokens, start, end):
            _append(pieces, self.block(tokens, first, last), sep)
        return pieces

    def block(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        """Render the block spanning tokens[start:end] (one token, or open..close)."""
        token = tokens[start]
        handler = _BLOCK_HANDLERS.get(token.type)
        if handler is not None:
            return handler(self, tokens, start, end)
        if token.nesting == 1:
            return self.blocks(tokens, start + 1, end - 1, "\n\n")
        return [token.content.rstrip("\n")] if token.content else []

    def _paragraph(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        return [self.inline(tokens[start + 1])]

    def _heading(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        level = int(tokens[start].tag[1:])
        text = self.inline(tokens[start + 1]).replace("\n", " ")
        return [("#" * level + " " + text).rstrip()]

    def _fence(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        token = tokens[start]
        words = token.info.split()
        if words and words[0].lower() in PYTHON_LANGS and token.map is not None:
            block = self.code_by_line.get(token.map[0] + 1)
            if block is not None:
                return [block]
        return [_fenced(token.content, token.info.strip(), token.markup)]

    def _code_block(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        return [_fenced(tokens[start].content, "", "```")]

    def _hr(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        return [tokens[start].markup or "---"]

    def _html(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        return [tokens[start].content.rstrip("\n")]

    def _math(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        return ["$$" + tokens[start].content + "$$"]

    def _nothing(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        return []

    def _blockquote(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        inner = self.blocks(tokens, start + 1, end - 1, "\n\n")
        return _prefixed(inner or [""], "> ", "> ", "> ")

    def _callout(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        """`> [!tip] Title` becomes a block quote whose first paragraph is the bold title."""
        body_start = start + 1
        title = ""
        if tokens[body_start].type == "callout_title_open":
            title = self.inline(tokens[body_start + 1])
            body_start += 3
        inner: list[Piece] = [f"**{title}**"] if title else []
        _append(inner, self.blocks(tokens, body_start, end - 1, "\n\n"), "\n\n")
        return _prefixed(inner or [""], "> ", "> ", "> ")

    def _list(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        sep = "\n" if _is_tight(tokens, start, end) else "\n\n"
        pieces: list[Piece] = []
        for first, last in _siblings(tokens, start + 1, end - 1):
            _append(pieces, self._item(tokens, first, last, sep), sep)
        return pieces

    def _item(self, tokens: Sequence[Token], start: int, end: int, sep: str) -> list[Piece]:
        token = tokens[start]
        marker = (token.info + token.markup if token.info else token.markup) + " "
        checked = token.meta.get("checked") if token.meta else None
        box = "" if checked is None else ("[x] " if checked else "[ ] ")
        inner = self.blocks(tokens, start + 1, end - 1, sep)
        if not inner or not isinstance(inner[0], str):
            inner.insert(0, "")
        return _prefixed(inner, marker + box, " " * len(marker), "")

    def _table(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for index in range(start, end):
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                cell = self.inline(tokens[index + 1]).replace("|", "\\|").replace("\n", " ")
                rows[-1].append(cell)
                if token.type == "th_open":
                    aligns.append(_ALIGN.get(str(token.attrGet("style") or ""), "---"))
        if not rows:
            return []
        lines = [_row(rows[0]), _row(aligns), *(_row(row) for row in rows[1:])]
        return ["\n".join(lines)]

    def _footnotes(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        pieces: list[Piece] = ["***"]
        for first, last in _siblings(tokens, start + 1, end - 1):
            label = escape_literal(str(tokens[first].meta.get("label", "")))
            note = self.blocks(tokens, first + 1, last - 1, "\n\n")
            _append(pieces, _prefixed(note or [""], f"<sup>{label}</sup> ", "", ""), "\n\n")
        return pieces

    def _timestamp(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        meta = tokens[start].meta
        text = escape_literal(str(meta.get("text", "")))
        stamp = self.stamps.get(int(meta.get("line", 0)))
        url = self._video_at(stamp) if stamp is not None else None
        return [f"[▶ {text}]({_destination(url)})" if url else f"▶ {text}"] if text else []

    def _video_at(self, stamp: Timestamp) -> str | None:
        source = timestamp_video(self.note, stamp)
        return link_at(source.url, stamp.seconds) if source is not None else None

    def _timestamp_url(self, tokens: Sequence[Token], start: int, end: int) -> list[Piece]:
        video = self.videos.get(int(tokens[start].meta.get("line", 0)))
        if video is None:
            return []
        if video.title is None and _has_scheme(video.url) and " " not in video.url:
            return [f"Video: <{video.url}>"]
        text = escape_literal(video.title or video.url)
        return [f"Video: [{text}]({_destination(video.url)})"]

    # -- inline -----------------------------------------------------------------------

    def inline(self, token: Token) -> str:
        return self.children(token.children or [])

    def children(self, children: Sequence[Token]) -> str:
        parts: list[str] = []
        index = 0
        while index < len(children):
            child = children[index]
            if child.type in ("link_open", "image"):
                close = _link_close(children, index) if child.type == "link_open" else index
                parts.append(self._link(child, children[index + 1 : close]))
                index = close + 1
                continue
            parts.append(self._inline_token(child))
            index += 1
        return "".join(parts)

    def _inline_token(self, token: Token) -> str:
        kind = token.type
        if kind == "text":
            return token.content
        if kind == "text_special":
            return token.markup or escape_literal(token.content)
        if kind in ("softbreak", "hardbreak"):
            return "\n" if kind == "softbreak" else "\\\n"
        if kind == "code_inline":
            return _code_span(token.content, token.markup or "`")
        if kind in _EMPHASIS:
            return token.markup
        if kind in ("mark_open", "mark_close"):
            return "<mark>" if kind == "mark_open" else "</mark>"
        if kind in ("math_inline", "math_inline_double"):
            return token.markup + token.content + token.markup
        if kind == "wikilink":
            return self._wikilink(token)
        if kind == "footnote_ref":
            return f"<sup>{escape_literal(str(token.meta.get('label', '')))}</sup>"
        if kind in ("comment_inline", "block_id", "footnote_anchor"):
            return ""
        return token.content

    def _link(self, token: Token, inside: Sequence[Token]) -> str:
        """Markdown links and images; those pointing into the vault are redirected."""
        image = token.type == "image"
        href = str(token.attrGet("src" if image else "href") or "")
        text = self.children(token.children or []) if image else self.children(inside)
        if token.markup in ("autolink", "linkify"):
            if text in (href, href.removeprefix("mailto:")):
                return f"<{text}>"
            return f"[{text}]({_destination(href)})"
        if not _has_scheme(href) and href:
            href = self._internal(token, href, image)
        title = token.attrGet("title")
        suffix = f' "{_quoted(str(title))}"' if title else ""
        return f"{'!' if image else ''}[{text}]({_destination(href)}{suffix})"

    def _internal(self, token: Token, href: str, image: bool) -> str:
        line = int(token.meta.get("line", 0)) if token.meta else 0
        target = unquote(href.partition("#")[0]).strip()
        link = next(
            (
                link
                for link in self.note.links
                if link.line == line and link.embed == image and link.target == target
            ),
            None,
        )
        if link is None or link.resolved is None:
            return href
        return self._href(link.resolved, link.heading, link.block)

    def _wikilink(self, token: Token) -> str:
        meta = token.meta
        link = self.note.link_token(meta)
        text = escape_literal(_link_text(meta))
        if link is None or link.resolved is None:
            return text
        href = _destination(self._href(link.resolved, link.heading, link.block))
        if meta["embed"] and link.resolved.lower().endswith(IMAGE_SUFFIXES):
            size = image_size_attributes(meta.get("alias"))
            if size:
                return f'<img src="{_quoted(href)}" alt="{_quoted(meta["target"])}"{size}>'
            return f"![{escape_literal(str(meta['target']))}]({href})"
        return f"[{text}]({href})"

    def _href(self, resolved: str, heading: str | None, block: str | None) -> str:
        href = self.targets.href(self.note.path, resolved, heading, block)
        if resolved == self.note.path and "#" in href:
            return "#" + href.partition("#")[2]
        return href


_Handler = Callable[[_Renderer, Sequence[Token], int, int], list[Piece]]
_BLOCK_HANDLERS: dict[str, _Handler] = {
    "paragraph_open": _Renderer._paragraph,
    "heading_open": _Renderer._heading,
    "fence": _Renderer._fence,
    "code_block": _Renderer._code_block,
    "hr": _Renderer._hr,
    "html_block": _Renderer._html,
    "math_block": _Renderer._math,
    "math_block_label": _Renderer._math,
    "front_matter": _Renderer._nothing,
    "comment_block": _Renderer._nothing,
    "blockquote_open": _Renderer._blockquote,
    "callout_open": _Renderer._callout,
    "bullet_list_open": _Renderer._list,
    "ordered_list_open": _Renderer._list,
    "table_open": _Renderer._table,
    "footnote_block_open": _Renderer._footnotes,
    "timestamp": _Renderer._timestamp,
    "timestamp_url": _Renderer._timestamp_url,
}


# -- helpers ---------------------------------------------------------------------------


def _siblings(tokens: Sequence[Token], start: int, end: int) -> list[tuple[int, int]]:
    """(first, last + 1) of each block directly inside tokens[start:end]."""
    spans = []
    index = start
    while index < end:
        token = tokens[index]
        last = index
        if token.nesting == 1:
            depth = 0
            for last in range(index, end):
                depth += tokens[last].nesting
                if depth == 0:
                    break
        spans.append((index, last + 1))
        index = last + 1
    return spans


def _append(pieces: list[Piece], more: Sequence[Piece], sep: str) -> None:
    """Add `more`, joining Markdown text that meets other Markdown text with `sep`."""
    for piece in more:
        if isinstance(piece, str) and pieces and isinstance(pieces[-1], str):
            pieces[-1] = pieces[-1] + sep + piece
        else:
            pieces.append(piece)


def _prefixed(pieces: list[Piece], first: str, rest: str, after_code: str) -> list[Piece]:
    """Put a container's markers in front of its lines: `first` on its very first line,
    `rest` on the others; text resumed after a code cell gets `after_code` (a list's
    indentation would make it an indented code block in a cell of its own)."""
    result: list[Piece] = []
    seen_code = False
    for index, piece in enumerate(pieces):
        if not isinstance(piece, str):
            seen_code = True
            result.append(piece)
            continue
        lines = piece.split("\n")
        head = first if index == 0 else (after_code if seen_code else rest)
        tail = after_code if seen_code else rest
        out = [(head + lines[0]).rstrip() or head.rstrip()]
        out.extend((tail + line).rstrip() if line else tail.rstrip() for line in lines[1:])
        result.append("\n".join(out))
    return result


def _is_tight(tokens: Sequence[Token], start: int, end: int) -> bool:
    level = tokens[start].level + 2
    paragraphs = [t for t in tokens[start:end] if t.type == "paragraph_open" and t.level == level]
    return all(paragraph.hidden for paragraph in paragraphs)


def _fenced(content: str, info: str, markup: str) -> str:
    """A fence long enough that no line of the content closes it."""
    char = markup[:1] if markup[:1] in ("`", "~") else "`"
    longest = max((len(line) - len(line.lstrip(char)) for line in content.split("\n")), default=0)
    fence = char * max(3, len(markup), longest + 1)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{fence}{info}\n{body}{fence}"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _code_span(content: str, markup: str) -> str:
    longest_run = 0
    run = 0
    for char in content:
        run = run + 1 if char == "`" else 0
        longest_run = max(longest_run, run)
    ticks = markup if len(markup) > longest_run else "`" * (longest_run + 1)
    pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
    if content.strip() == "":
        pad = ""
    return f"{ticks}{pad}{content}{pad}{ticks}"


def _link_close(children: Sequence[Token], index: int) -> int:
    depth = 0
    for position in range(index, len(children)):
        depth += children[position].nesting
        if depth == 0:
            return position
    return len(children) - 1


def _link_text(meta: dict[str, Any]) -> str:
    """What Obsidian shows for a link: the alias, else the target and its subpath."""
    if meta.get("alias"):
        return str(meta["alias"])
    sub = meta.get("heading") or (f"^{meta['block']}" if meta.get("block") else "")
    target = str(meta.get("target") or "")
    if target and sub:
        return f"{target} > {sub}"
    return target or str(sub)


def _has_scheme(href: str) -> bool:
    scheme, colon, _ = href.partition(":")
    return bool(colon and scheme and scheme[0].isalpha() and set(scheme) <= _SCHEME_CHARS)


def _destination(href: str) -> str:
    """A link destination CommonMark reads back whole (spaces and parentheses included)."""
    if any(char in href for char in " ()<>") or not href:
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def _quoted(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace('"', "&quot;")


def escape_literal(text: str) -> str:
    """Text that must show as written (titles, link text from wiki-links)."""
    return "".join("\\" + char if char in _LITERAL_SPECIALS else char for char in text)
