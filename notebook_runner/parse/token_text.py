"""Reading inline tokens as a reader sees them: the words, without markup."""

from __future__ import annotations

from markdown_it.token import Token

_SHOWN = frozenset({"text", "code_inline", "math_inline", "tag", "text_special"})


def until_close(children: list[Token], index: int, closing: str) -> list[Token]:
    """The tokens between the opener at `index` and its matching `closing` token."""
    opening = children[index].type
    depth = 0
    for position in range(index + 1, len(children)):
        kind = children[position].type
        if kind == opening:
            depth += 1
        elif kind == closing:
            if depth == 0:
                return children[index + 1 : position]
            depth -= 1
    return children[index + 1 :]


def plain_text(children: list[Token]) -> str:
    """What a reader sees of inline content, without markup, embeds or comments."""
    parts = []
    for child in children:
        shown = child.type in _SHOWN or (child.type == "wikilink" and not child.meta["embed"])
        if shown:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()
