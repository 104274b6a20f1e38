"""The note's title and properties at the top of its notebook, and in its metadata.

A notebook has no frontmatter, and the title of an Obsidian note is its file name,
which a downloaded notebook may lose: so the first cell is a Markdown cell holding the
title as a level-1 heading (left out when the note has that heading already) and the
properties as a list, as the site shows them above the note (tags, the lecture's
address as a link). The frontmatter is also kept whole in the notebook's metadata
(`notebook_runner.frontmatter`), for tools.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from notebook_runner.model import Note
from notebook_runner.notebooks.markdown_text import destination, escape_literal
from notebook_runner.safe_urls import is_web_address


def header_text(note: Note) -> str:
    """The Markdown of the first cell; "" when there is nothing to say."""
    lines = []
    title = note.title.strip()
    if title and not any(
        h.level == 1 and h.text.strip().casefold() == title.casefold() for h in note.headings
    ):
        lines += [f"# {escape_literal(title)}", ""]
    lines += [f"- **{escape_literal(str(key))}**: {_value(value)}" for key, value in _shown(note)]
    return "\n".join(lines).strip("\n")


def header_metadata(note: Note) -> dict[str, Any]:
    """The frontmatter as JSON can hold it (what YAML gave that JSON cannot, as text)."""
    metadata: dict[str, Any] = {"source": note.path, "title": note.title}
    if note.frontmatter:
        metadata["frontmatter"] = json.loads(json.dumps(note.frontmatter, default=str))
    return metadata


def _shown(note: Note) -> list[tuple[object, Any]]:
    return list(note.frontmatter.items()) if isinstance(note.frontmatter, Mapping) else []


def _value(value: Any) -> str:
    """Like the site's properties table: lists joined, http(s) addresses as links,
    booleans as YAML writes them, everything else as literal text."""
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{escape_literal(str(key))}: {_value(item)}" for key, item in value.items()
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = " ".join(str(value).split())
    if " " not in text and is_web_address(text):
        return f"[{escape_literal(text)}]({destination(text)})"
    return escape_literal(text)
