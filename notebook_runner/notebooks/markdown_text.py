"""Markdown text pieces that read back as written: escapes, fences, code spans, link
destinations, and the markers containers put in front of their lines.

Pure string functions, shared by the block and inline writers; `Piece` lists are what
the block writer builds (Markdown text, with Python blocks and cell breaks between).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from notebook_runner.model import CodeBlock

__all__ = [
    "CellBreak",
    "Piece",
    "code_span",
    "destination",
    "escape_literal",
    "fenced",
    "has_scheme",
    "link_text",
    "prefixed",
    "quoted",
    "table_row",
]

_LITERAL_SPECIALS = "\\`*_[]<$|~&"
_ESCAPED = str.maketrans({char: "\\" + char for char in _LITERAL_SPECIALS})
_HAS_SPECIAL = re.compile("[" + re.escape(_LITERAL_SPECIALS) + "]").search
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


class CellBreak:
    """Where a new Markdown cell should start (before a top-level heading)."""


Piece = str | CodeBlock | CellBreak
"""Markdown text, a Python block for a code cell, or a cell break."""


def escape_literal(text: str) -> str:
    """Text that must show as written (titles, link text from wiki-links); most has
    nothing to escape, which a search tells faster than a translation."""
    return text.translate(_ESCAPED) if _HAS_SPECIAL(text) else text


def prefixed(pieces: list[Piece], first: str, rest: str, after_code: str) -> list[Piece]:
    """Put a container's markers in front of its lines: `first` on its very first line,
    `rest` on the others; text resumed after a code cell gets `after_code` (a list's
    indentation would make it an indented code block in a cell of its own)."""
    result: list[Piece] = []
    seen_code = False
    for index, piece in enumerate(pieces):
        if not isinstance(piece, str):
            seen_code = True
            result.append(piece)
            continue
        lines = piece.split("\n")
        head = first if index == 0 else (after_code if seen_code else rest)
        tail = after_code if seen_code else rest
        bare = tail.rstrip()
        out = [(head + lines[0]).rstrip() or head.rstrip()]
        out.extend((tail + line).rstrip() if line else bare for line in lines[1:])
        result.append("\n".join(out))
    return result


def fenced(content: str, info: str, markup: str) -> str:
    """A fence long enough that no line of the content closes it."""
    char = markup[:1] if markup[:1] in ("`", "~") else "`"
    longest = 0
    if char in content:
        longest = max(len(line) - len(line.lstrip(char)) for line in content.split("\n"))
    fence = char * max(3, len(markup), longest + 1)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{fence}{info}\n{body}{fence}"


def table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def code_span(content: str, markup: str) -> str:
    """A code span whose backtick run is longer than any run inside it."""
    longest_run = 0
    if "`" in content:
        longest_run = max(len(run) for run in re.findall("`+", content))
    ticks = markup if len(markup) > longest_run else "`" * (longest_run + 1)
    pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
    if content.strip() == "":
        pad = ""
    return f"{ticks}{pad}{content}{pad}{ticks}"


def link_text(meta: dict[str, Any]) -> str:
    """What Obsidian shows for a link: the alias, else the target and its subpath."""
    if meta.get("alias"):
        return str(meta["alias"])
    sub = meta.get("heading") or (f"^{meta['block']}" if meta.get("block") else "")
    target = str(meta.get("target") or "")
    if target and sub:
        return f"{target} > {sub}"
    return target or str(sub)


def has_scheme(href: str) -> bool:
    scheme, colon, _ = href.partition(":")
    return bool(colon and scheme and scheme[0].isalpha() and set(scheme) <= _SCHEME_CHARS)


def destination(href: str) -> str:
    """A link destination CommonMark reads back whole (spaces and parentheses included)."""
    if not href or " " in href or "(" in href or ")" in href or "<" in href or ">" in href:
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def quoted(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace('"', "&quot;")
