"""Normalise line endings and NUL characters with `str.replace`, not a regex.

markdown-it's core `normalize` rule turns `\\r\\n` and `\\r` into `\\n` with a regular
expression that also matches, and replaces by itself, every plain `\\n`: a match per line
of every note, about 2 % of a parse. Most notes hold neither `\\r` nor NUL, and for them
the text is left as it is; otherwise the same replacements are made (`\\r\\n` first, so a
Windows line ending becomes one line break). Tested to give markdown-it's text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def line_endings_plugin(md: MarkdownIt) -> None:
    md.core.ruler.at("normalize", normalize_line_endings)


def normalize_line_endings(state: StateCore) -> None:
    text = state.src
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    state.src = text
