"""Inline tags `#tag` and `#nested/tag`.

As in Obsidian: the `#` starts a word (start of the text or after white space) and the
name runs to the first white space or punctuation that ends a tag (`TAG_NAME`): letters
of any script, digits, emoji and other symbols, `_`, `-` and `/` stay in it, so
`#📚-reading`, `#데이터` and `#tag.` (the tag `tag`) read as in Obsidian; a name of
digits only (`#123`) is not a tag. Code,
math, links and URLs are consumed by their own rules before a `#` inside them is ever
seen, and `# Heading` is a heading because of its space, so none of those can produce
a tag. Token `tag` (meta: name, line), rendered `<span class="tag">`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.parse.syntax.lines import line_at, track_inline_lines

TAG_NAME = re.compile(
    r"[^\s!\"#$%&'()*+,.:;<=>?@\[\\\]^`{|}~\u2000-\u200b\u200e-\u206f\u2e00-\u2e7f]+"
)
"""A tag name: everything but white space, ASCII punctuation other than `_ - /`, and the
General and Supplemental Punctuation blocks (U+2000-206F, U+2E00-2E7F: dashes, quotes,
ellipses), the class Obsidian's own tag pattern excludes. One departure: the zero-width
joiners U+200C/U+200D (in that block) stay in the name, so a joined emoji such as
`#👩‍💻` is one tag rather than cut in the middle of its glyph, and Persian words written
with a non-joiner stay whole."""

_DIGITS_ONLY = re.compile(r"[\d/]+")


def is_tag_name(name: str) -> bool:
    """A whole tag name as a frontmatter `tags:` entry must be (the inline rule's class,
    no empty level, not only digits): what Obsidian lists in its tag pane."""
    return (
        TAG_NAME.fullmatch(name) is not None
        and not name.startswith("/")
        and not name.endswith(("/", "\u200c", "\u200d"))
        and "//" not in name
        and _DIGITS_ONLY.fullmatch(name) is None
    )


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
    match = TAG_NAME.match(src, start + 1, state.posMax)
    if match is None:
        return False
    name = match.group().rstrip("/\u200c\u200d")
    if not name or name[0] == "/" or _DIGITS_ONLY.fullmatch(name):
        return False
    if not silent:
        token = state.push("tag", "span", 0)
        token.content = "#" + name
        token.meta = {"name": name, "line": line_at(state, start)}
    state.pos = start + 1 + len(name)
    return True


def _render_tag(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    name = escapeHtml(tokens[idx].meta["name"])
    return f'<span class="tag" data-tag="{name}">#{name}</span>'
