"""Highlights `==text==` rendered as `<mark>`.

Built like markdown-it's own `~~strikethrough~~`: each `==` run becomes a delimiter and
the shared pair-balancing pass decides which ones open and close, so highlights nest
with emphasis (`==**bold**==`) and obey the same flanking rules (`a == b` is text).
`mark_open.meta["line"]` is the note line of the opening `==`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

from notebook_runner.parse.syntax.lines import line_at, track_inline_lines

_EQUALS = 0x3D


def highlights_plugin(md: MarkdownIt) -> None:
    track_inline_lines(md)
    md.inline.ruler.before("emphasis", "highlight", _tokenize)
    md.inline.ruler2.before("emphasis", "highlight", _post_process)


def _tokenize(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if silent or state.src[start] != "=":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    if length < 2:
        return False
    line = line_at(state, start)
    if length % 2:
        state.push("text", "", 0).content = "="
        length -= 1
    for _ in range(length // 2):
        token = state.push("text", "", 0)
        token.content = "=="
        token.meta = {"line": line}
        state.delimiters.append(
            Delimiter(
                marker=_EQUALS,
                length=0,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _post_process(state: StateInline) -> None:
    _pair_up(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair_up(state, meta["delimiters"])


def _pair_up(state: StateInline, delimiters: list[Delimiter]) -> None:
    lone_markers: list[int] = []
    for start in delimiters:
        if start.marker != _EQUALS or start.end == -1:
            continue
        end = delimiters[start.end]
        opening = state.tokens[start.token]
        opening.type, opening.tag, opening.nesting = "mark_open", "mark", 1
        opening.markup, opening.content = "==", ""
        closing = state.tokens[end.token]
        closing.type, closing.tag, closing.nesting = "mark_close", "mark", -1
        closing.markup, closing.content = "==", ""
        before = state.tokens[end.token - 1]
        if before.type == "text" and before.content == "=":
            lone_markers.append(end.token - 1)
    # An odd run `=====` was split `=` + `==` + `==`; move each lone `=` after the
    # closing tags so it reads as text outside the highlight.
    while lone_markers:
        lone = lone_markers.pop()
        last = lone + 1
        while last < len(state.tokens) and state.tokens[last].type == "mark_close":
            last += 1
        last -= 1
        if lone != last:
            state.tokens[lone], state.tokens[last] = state.tokens[last], state.tokens[lone]
