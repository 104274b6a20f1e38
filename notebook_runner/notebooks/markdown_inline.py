"""Inline tokens back to Markdown: the markers the author typed, Obsidian's inline syntax
in CommonMark form, and links into the vault sent where the exporter says.

A note's links are looked up by the parts their tokens carry (line, target, subpath),
through indexes built once per note: a search of `note.links` for every link made
notes with many links quadratic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol
from urllib.parse import unquote

from markdown_it.token import Token

from notebook_runner.model import Note, WikiLink
from notebook_runner.notebooks.markdown_text import (
    code_span,
    destination,
    escape_literal,
    has_scheme,
    link_text,
    quoted,
)
from notebook_runner.parse.syntax.wikilinks import IMAGE_SUFFIXES, image_size_attributes
from notebook_runner.safe_urls import is_safe

__all__ = ["InlineWriter", "LinkTargets"]

_WikiKey = tuple[Any, ...]
"""A wiki-link's (line, target, heading, block, embed), as `Note.link_token` matches."""
_LinkKey = tuple[int, bool, str]
"""A Markdown link's (line, embed, target)."""


class LinkTargets(Protocol):
    """Where links of the exported note point; the exporter knows the output layout."""

    def href(self, source: str, target: str, heading: str | None, block: str | None) -> str:
        """The href of the vault file `target` (a note or an attachment), seen from the
        note `source`, with an anchor for `heading` or `block` when it has one; "" for
        a target not to link to (a note the site does not publish): the text is kept."""
        ...


class InlineWriter:
    """Writes the inline tokens of one note."""

    def __init__(self, note: Note, targets: LinkTargets, line_breaks: bool = False) -> None:
        """`line_breaks`: write each single line break of a paragraph as a hard break
        (`\\` at the end of the line), so Jupyter, which joins the lines of a paragraph
        as strict Markdown does, shows them as Obsidian does by default."""
        self.note = note
        self.targets = targets
        self.soft_break = "\\\n" if line_breaks else "\n"
        self._wikilinks: dict[_WikiKey, WikiLink] | None = None
        self._markdown_links: dict[_LinkKey, WikiLink] | None = None

    def inline(self, token: Token) -> str:
        return self.children(token.children or ())

    def children(self, children: Sequence[Token]) -> str:
        parts: list[str] = []
        rest = iter(children)
        for child in rest:
            kind = child.type
            if kind == "text":
                parts.append(child.content)
            elif kind == "link_open":
                parts.append(self.link(child, _inside_link(rest)))
            else:
                write = _WRITERS.get(kind)
                parts.append(child.content if write is None else write(self, child))
        return "".join(parts)

    def link(self, token: Token, inside: Sequence[Token]) -> str:
        """Markdown links and images; those pointing into the vault are redirected."""
        image = token.type == "image"
        href = str(token.attrGet("src" if image else "href") or "")
        text = self.children(token.children or ()) if image else self.children(inside)
        if not is_safe(href):  # Jupyter and Colab render links too: only safe ones go out
            return text
        if token.markup in ("autolink", "linkify"):
            if text in (href, href.removeprefix("mailto:")):
                return f"<{text}>"
            return f"[{text}]({destination(href)})"
        if not has_scheme(href) and href:
            href = self._internal(token, href, image)
            if not href:
                return text
        title = token.attrGet("title")
        suffix = f' "{quoted(str(title))}"' if title else ""
        return f"{'!' if image else ''}[{text}]({destination(href)}{suffix})"

    def _internal(self, token: Token, href: str, image: bool) -> str:
        line = int(token.meta.get("line", 0)) if token.meta else 0
        target = unquote(href.partition("#")[0]).strip()
        if self._markdown_links is None:
            self._markdown_links = {}
            for known in self.note.links:
                self._markdown_links.setdefault((known.line, known.embed, known.target), known)
        link = self._markdown_links.get((line, image, target))
        if link is None or link.resolved is None:
            return href
        return self._href(link.resolved, link.heading, link.block)

    def wikilink(self, token: Token) -> str:
        meta = token.meta
        link = self._link_of(meta)
        text = escape_literal(link_text(meta))
        if link is None or link.resolved is None:
            return text
        target = self._href(link.resolved, link.heading, link.block)
        if not target:
            return text
        href = destination(target)
        if meta["embed"] and link.resolved.lower().endswith(IMAGE_SUFFIXES):
            size = image_size_attributes(meta.get("alias"))
            if size:
                return f'<img src="{quoted(href)}" alt="{quoted(meta["target"])}"{size}>'
            return f"![{escape_literal(str(meta['target']))}]({href})"
        return f"[{text}]({href})"

    def _link_of(self, meta: dict[str, Any]) -> WikiLink | None:
        """`note.link_token(meta)`: the first link with the token's parts."""
        if self._wikilinks is None:
            self._wikilinks = {}
            for link in self.note.links:
                key = (link.line, link.target, link.heading, link.block, link.embed)
                self._wikilinks.setdefault(key, link)
        key = (meta["line"], meta["target"], meta["heading"], meta["block"], meta["embed"])
        return self._wikilinks.get(key)

    def _href(self, resolved: str, heading: str | None, block: str | None) -> str:
        href = self.targets.href(self.note.path, resolved, heading, block)
        if resolved == self.note.path and "#" in href:
            return "#" + href.partition("#")[2]
        return href


def _inside_link(rest: Iterator[Token]) -> list[Token]:
    """The tokens up to the `link_close` of a link just opened, taken from `rest` with
    it (an unclosed link, which markdown-it never makes, would lose its last token)."""
    inside: list[Token] = []
    depth = 1
    for token in rest:
        depth += token.nesting
        if depth == 0:
            return inside
        inside.append(token)
    return inside[:-1]


def _text_special(writer: InlineWriter, token: Token) -> str:
    return token.markup or escape_literal(token.content)


def _code_inline(writer: InlineWriter, token: Token) -> str:
    return code_span(token.content, token.markup or "`")


def _markup(writer: InlineWriter, token: Token) -> str:
    return token.markup


def _math(writer: InlineWriter, token: Token) -> str:
    return token.markup + token.content + token.markup


def _footnote_ref(writer: InlineWriter, token: Token) -> str:
    return f"<sup>{escape_literal(str(token.meta.get('label', '')))}</sup>"


def _fixed(text: str) -> Callable[[InlineWriter, Token], str]:
    return lambda writer, token: text


_WRITERS: dict[str, Callable[[InlineWriter, Token], str]] = {
    "text_special": _text_special,
    "softbreak": lambda writer, token: writer.soft_break,
    "hardbreak": _fixed("\\\n"),
    "code_inline": _code_inline,
    **dict.fromkeys(
        ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"), _markup
    ),
    "mark_open": _fixed("<mark>"),
    "mark_close": _fixed("</mark>"),
    "math_inline": _math,
    "math_inline_double": _math,
    "wikilink": InlineWriter.wikilink,
    "image": lambda writer, token: writer.link(token, ()),
    "footnote_ref": _footnote_ref,
    **dict.fromkeys(("comment_inline", "block_id", "footnote_anchor"), _fixed("")),
}
"""How each inline token kind is written; any other kind is written as its content."""
