"""Note lines for inline tokens.

markdown-it gives block tokens a `map` of source lines but parses inline content
(paragraph text, heading text, table cells) with no idea of where it sits in the note.
We replace the core `inline` rule with one that first records the note line of each
inline block in `env`, so an inline rule can turn its position into a note line by
counting the newlines before it in that block alone: a parser position, no re-search.

Counted from where the last question left off (rules ask in text order, nearly always
forwards), not from the block's start: a paragraph of 100,000 tags or links would
otherwise count its newlines 100,000 times over.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

_BASE_LINE = "notebook_runner.inline_base_line"
_CURSOR = "notebook_runner.inline_line_cursor"


def track_inline_lines(md: MarkdownIt) -> None:
    """Make `line_at` work; idempotent, so every plugin can call it."""
    md.core.ruler.at("inline", _inline_with_lines)


def line_at(state: StateInline, pos: int) -> int:
    """The 1-based note line of `pos` in the inline content being parsed."""
    env, src = state.env, state.src
    cursor = env.get(_CURSOR)
    if cursor is None or cursor[0] is not src:
        counted, line = 0, int(env.get(_BASE_LINE, 1))
    else:
        _, counted, line = cursor
    if pos >= counted:
        line += src.count("\n", counted, pos)
    else:
        line -= src.count("\n", pos, counted)
    env[_CURSOR] = (src, pos, line)
    return line


def _inline_with_lines(state: StateCore) -> None:
    line = 1
    for token in state.tokens:
        if token.map is not None:
            line = token.map[0] + 1
        if token.type == "inline":
            state.env[_BASE_LINE] = line
            state.env[_CURSOR] = None  # equal texts may be one object: never reuse
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
