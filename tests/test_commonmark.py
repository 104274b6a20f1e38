"""The Obsidian rules must not change how plain Markdown renders.

Every CommonMark 0.31.2 spec example (tests/fixtures/commonmark/) that contains no
Obsidian syntax must render through our `build_markdown()` exactly as it renders through
plain markdown-it-py with the same GFM options. The reference is markdown-it-py, not the
spec's HTML: GFM's extensions (autolinks, `~` strikethrough, tables) legitimately change
a few spec outputs, and our promise is "Obsidian layer adds, never alters".

An example is left out when it contains any marker that Obsidian gives a meaning of its
own (see `OBSIDIAN_MARKERS`): there Obsidian's output is meant to differ.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.gfm import gfm_plugin

from notebook_runner.parse.syntax import build_markdown

SPEC = Path(__file__).parent / "fixtures" / "commonmark" / "commonmark.json"

OBSIDIAN_MARKERS = re.compile(
    r"""
      \[\[            # wiki-link or embed
    | ^(?![\ =]*$).*==  # highlight (a setext underline `===` is plain Markdown)
    | %%              # comment
    | >[\ \t]*\[!     # callout header (Obsidian's superset of GitHub alerts)
    | (?:^|(?<=\s))\#[^\s\#]  # inline tag: `#` after a space or at a line start
    | \^[\w-]         # block id, and block-id links
    | ```timestamp    # Timestamp Notes blocks
    """,
    re.VERBOSE | re.MULTILINE,
)


def _examples() -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = json.loads(SPEC.read_text(encoding="utf-8"))
    return examples


def _plain_markdown(example: dict[str, Any]) -> bool:
    return OBSIDIAN_MARKERS.search(example["markdown"]) is None


PLAIN = [example for example in _examples() if _plain_markdown(example)]


@pytest.fixture(scope="module")
def ours() -> MarkdownIt:
    return build_markdown()


@pytest.fixture(scope="module")
def reference() -> MarkdownIt:
    return MarkdownIt("commonmark").use(gfm_plugin, dollarmath=True, front_matter=True)


def test_filter_keeps_nearly_all_examples() -> None:
    """Guards the filter itself: a marker that matched everything would test nothing."""
    assert len(_examples()) == 652
    assert len(PLAIN) > 630


@pytest.mark.parametrize("example", PLAIN, ids=[f"example-{e['example']}" for e in PLAIN])
def test_plain_markdown_renders_as_markdown_it(
    example: dict[str, Any], ours: MarkdownIt, reference: MarkdownIt
) -> None:
    assert ours.render(example["markdown"]) == reference.render(example["markdown"])
