"""Inline tags `#tag` and `#nested/tag`.

As in Obsidian: the `#` starts a word (start of the text or after white space), the
name is letters, digits, `_`, `-` and `/` (a letter's combining accents included: macOS
keeps `é` as `e` + U+0301), and a name of digits only (`#123`) is not a tag. Code,
math, links and URLs are consumed by their own rules before a `#` inside them is ever
seen, and `# Heading` is a heading because of its space, so none of those can produce
a tag. Token `tag` (meta: name, line), rendered `<span class="tag">`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.parse.syntax.lines import line_at, track_inline_lines


def tags_plugin(md: MarkdownIt) -> None:
    track_inline_lines(md)
    md.inline.ruler.after("backticks", "tag", _tag)
    md.add_render_rule("tag", _render_tag)


def _tag(state: StateInline, silent: bool) -> bool:
    src = state.src
    start = state.pos
    if src[start] != "#" or state.linkLevel > 0:
        return False
    if start > 0 and not src[start - 1].isspace():
        return False
    end = start + 1
    while end < state.posMax and _in_name(src[end]):
        end += 1
    name = src[start + 1 : end].rstrip("/")
    if not name or name[0] == "/" or all(ch.isdigit() or ch == "/" for ch in name):
        return False
    if not silent:
        token = state.push("tag", "span", 0)
        token.content = "#" + name
        token.meta = {"name": name, "line": line_at(state, start)}
    state.pos = start + 1 + len(name)
    return True


def _in_name(char: str) -> bool:
    return char.isalnum() or char in "_-/" or unicodedata.category(char)[0] == "M"


def _render_tag(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    name = escapeHtml(tokens[idx].meta["name"])
    return f'<span class="tag" data-tag="{name}">#{name}</span>'
