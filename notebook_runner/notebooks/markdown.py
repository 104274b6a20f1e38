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

The writing itself is split by level: `markdown_blocks` (containers, fences, Obsidian
blocks), `markdown_inline` (inline markup and links) and `markdown_text` (escapes,
fences and link destinations that read back as written).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from notebook_runner.model import Note
from notebook_runner.notebooks.markdown_blocks import BlockWriter
from notebook_runner.notebooks.markdown_inline import LinkTargets
from notebook_runner.notebooks.markdown_text import CellBreak, Piece
from notebook_runner.parse.syntax import build_markdown

__all__ = ["CellBreak", "LinkTargets", "Piece", "note_pieces"]


@cache
def _markdown() -> MarkdownIt:
    md = build_markdown.__wrapped__()
    md.disable("text_join")
    return md


_VERBATIM = frozenset({"code_inline", "math_inline", "math_inline_double", "html_inline"})


def note_pieces(
    note: Note,
    text: str,
    targets: LinkTargets,
    tokens: Sequence[Token] | None = None,
    line_breaks: bool = False,
) -> list[Piece]:
    """The note as Markdown text pieces, Python blocks and cell breaks, in order.
    `tokens`: the note's stream from `parse.parse_tokens`, used when it can be;
    `line_breaks`: single line breaks written as hard breaks (`InlineWriter`)."""
    if tokens is None or not _escape_free(tokens):
        tokens = _markdown().parse(text)
    return BlockWriter(note, targets, tokens, line_breaks).top_level()


def _escape_free(tokens: Sequence[Token]) -> bool:
    """Whether every `\\` and `&` of every inline content lies inside a verbatim span
    (code, math, inline HTML), where the escape and entity rules never look."""
    for token in tokens:
        if token.type != "inline":
            continue
        content = token.content
        if "\\" not in content and "&" not in content:
            continue  # the common case, told without looking at the children
        if _specials(content) != _verbatim_specials(token.children or ()):
            return False
    return True


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
