"""Obsidian callouts: `> [!type]+ Title` on the first line of a block quote.

Obsidian callouts are a superset of GitHub alerts (any type, a title, folding,
nesting), so instead of markdown-it's `alerts` option (turned off by the plugin) we let
the block-quote rule do the hard part (nesting, lazy continuation lines, fences inside)
and then, in a core rule that runs before inline parsing, turn each block quote whose
first paragraph starts with `[!type]` into `callout_open` / `callout_close`. The marker
line becomes a title `inline` token, so the title's Markdown is parsed like any text.

`callout_open.meta`: type (lower-cased, as written; unknown types are kept and render
like `note`), title (default: the capitalised type), fold (`+`, `-` or None), line,
end_line, depth (1 for a top-level callout).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

CALLOUT_TYPES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}
"""Every Obsidian callout type and alias, mapped to the type whose style it shares."""

_MARKER = re.compile(r"\[!([^\]\s|]+)(?:\|[^\]]*)?\]([+-]?)[ \t]*(.*)")


def canonical_callout_type(kind: str) -> str:
    """The style a type renders with: aliases share their family's, unknown ones `note`'s."""
    return CALLOUT_TYPES.get(kind.lower(), "note")


def callouts_plugin(md: MarkdownIt) -> None:
    md.options["alerts"] = False
    md.core.ruler.after("block", "callouts", _callouts)


def _callouts(state: StateCore) -> None:
    tokens = state.tokens
    is_callout: list[bool] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "blockquote_open":
            is_callout.append(_open_callout(tokens, index, depth=sum(is_callout) + 1))
        elif token.type == "blockquote_close" and is_callout and is_callout.pop():
            token.type, token.tag = "callout_close", "div"
        index += 1


def _open_callout(tokens: list[Token], index: int, depth: int) -> bool:
    """Turn the block quote opening at `index` into a callout if it has a marker."""
    if index + 2 >= len(tokens):
        return False
    opening, paragraph, inline = tokens[index : index + 3]
    if paragraph.type != "paragraph_open" or inline.type != "inline":
        return False
    first_line, _, rest = inline.content.partition("\n")
    marker = _MARKER.match(first_line)
    if marker is None or opening.map is None:
        return False
    kind = marker.group(1).lower()
    title = marker.group(3).strip() or kind.capitalize()
    fold = marker.group(2) or None
    line = opening.map[0] + 1
    opening.type, opening.tag = "callout_open", "div"
    opening.attrSet("class", "callout")
    opening.attrSet("data-callout", canonical_callout_type(kind))
    if fold is not None:
        opening.attrSet("data-callout-fold", fold)
    opening.meta = {
        "type": kind,
        "title": title,
        "fold": fold,
        "line": line,
        "end_line": opening.map[1],
        "depth": depth,
    }
    tokens[index + 1 : index + 1] = _title_tokens(title, line, opening.level + 1)
    if rest.strip():
        inline.content = rest
        for moved in (paragraph, inline):
            if moved.map is not None:
                moved.map = [moved.map[0] + 1, moved.map[1]]
    else:
        del tokens[index + 4 : index + 7]
    return True


def _title_tokens(title: str, line: int, level: int) -> list[Token]:
    opening = Token("callout_title_open", "div", 1, level=level, block=True)
    opening.attrSet("class", "callout-title")
    opening.map = [line - 1, line]
    inline = Token("inline", "", 0, level=level + 1, content=title, map=[line - 1, line])
    inline.children = []
    closing = Token("callout_title_close", "div", -1, level=level, block=True)
    return [opening, inline, closing]
