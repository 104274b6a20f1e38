"""Obsidian comments: `%%inline%%` and `%%` block comments, hidden from output.

The block rule runs before fences, so a fence inside a comment is comment text, never
code. A block comment starts with `%%` at the start of a line and ends at the first
later line that contains `%%`; `%% text %%` alone on a line is a one-line block comment.
A line that starts `%%hidden%% visible` is left to the inline rule. A block comment
that is never closed hides the rest of the note (or container), as in Obsidian;
`comment_block.meta["closed"]` says which.

Tokens: `comment_block` (map, meta: line, closed) and `comment_inline` (meta: line),
both hidden, both rendered as nothing.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from notebook_runner.parse.syntax.lines import line_at, track_inline_lines


def comments_plugin(md: MarkdownIt) -> None:
    track_inline_lines(md)
    md.block.ruler.before(
        "fence",
        "comment_block",
        _comment_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.after("backticks", "comment_inline", _comment_inline)
    md.add_render_rule("comment_block", lambda *args: "")
    md.add_render_rule("comment_inline", lambda *args: "")


def _comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    begin = state.bMarks[start_line] + state.tShift[start_line]
    # The `%%` first: this runs at the start of nearly every line of every note.
    if not state.src.startswith("%%", begin) or state.is_code_block(start_line):
        return False
    line_end = state.eMarks[start_line]
    closing = state.src.find("%%", begin + 2, line_end)
    if closing >= 0:
        if state.src[closing + 2 : line_end].strip():
            return False
        last, closed = start_line, True
    else:
        last, closed = _closing_line(state, start_line + 1, end_line)
    if silent:
        return True
    token = state.push("comment_block", "", 0)
    token.hidden = True
    token.block = True
    token.map = [start_line, last + 1]
    token.content = state.getLines(start_line, last + 1, state.blkIndent, False)
    token.meta = {"line": start_line + 1, "closed": closed}
    state.line = last + 1
    return True


def _closing_line(state: StateBlock, first: int, end_line: int) -> tuple[int, bool]:
    for line in range(first, end_line):
        if state.src.find("%%", state.bMarks[line], state.eMarks[line]) >= 0:
            return line, True
    return end_line - 1, False


def _comment_inline(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "%" or not state.src.startswith("%%", start):
        return False
    end = state.src.find("%%", start + 2, state.posMax)
    if end < 0:
        return False
    if not silent:
        token = state.push("comment_inline", "", 0)
        token.hidden = True
        token.content = state.src[start + 2 : end]
        token.meta = {"line": line_at(state, start)}
    state.pos = end + 2
    return True
