"""Block ids `^block-id` at the end of a paragraph or list item.

Obsidian writes them after the text (`Some claim. ^claim-1`) or, for blocks that have
no text line of their own (tables, lists), alone on the line after the block. A core
rule after inline parsing strips the id from the last text of each paragraph and
appends a `block_id` token (meta: id, line; rendered as nothing) so the id is data,
not text. A paragraph that held only the id renders nothing at all.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_BREAKS = frozenset({"softbreak", "hardbreak"})


def block_ids_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "block_ids", _block_ids)
    md.add_render_rule("block_id", lambda *args: "")


def _is_id(text: str) -> bool:
    return bool(text) and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in text)


def _block_ids(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        if index == 0 or tokens[index - 1].type != "paragraph_open":
            continue
        last = token.children[-1]
        if last.type != "text" or "^" not in last.content:
            continue
        caret = last.content.rfind("^")
        block_id = last.content[caret + 1 :].rstrip()
        before = last.content[:caret]
        if not _is_id(block_id) or (before and not before[-1].isspace()):
            continue
        if not before and len(token.children) > 1 and token.children[-2].type not in _BREAKS:
            continue
        if before or len(token.children) > 1:
            last.content = before.rstrip()
        else:
            token.children.pop()
            tokens[index - 1].hidden = tokens[index + 1].hidden = True
        marker = Token("block_id", "", 0, content=block_id)
        marker.meta = {"id": block_id, "line": token.map[0] + 1 + token.content.count("\n")}
        token.children.append(marker)
