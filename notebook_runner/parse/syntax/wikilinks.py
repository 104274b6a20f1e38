"""Wiki-links `[[Note#Heading|alias]]` and embeds `![[image.png|100x145]]`.

One inline rule for both, placed before markdown-it's `link` and `image` rules, which
would otherwise read `[[Note]]` as bracketed text. A link never spans lines (as in
Obsidian). Inside a table a `|` must be written `\\|`; that escape is accepted.

Token `wikilink` (nesting 0), `meta`: target, heading (nested parts joined by `#`),
block, alias, embed, line. `content` is the text Obsidian shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.parse.syntax.lines import line_at, track_inline_lines

_STOP = re.compile(r"\]\]|\[\[|\n")
"""What ends the scan for a link's closing `]]`: the `]]`, or what makes it no link (a
nested `[[` or a line break). Stopping there keeps the scan from each `[[` short: a
scan for `]]` alone ran to the far end of `[[[[...]]]]` from every one of its `[`."""

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")


def wikilinks_plugin(md: MarkdownIt) -> None:
    track_inline_lines(md)
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.add_render_rule("wikilink", _render_wikilink)


def split_wikilink(inner: str) -> dict[str, Any]:
    """`Note#H1#H2^x|alias` into its parts; shared with anything that reads link text."""
    target_part, bar, alias = inner.partition("|")
    target_part = target_part.removesuffix("\\")
    target, hash_sign, rest = target_part.partition("#")
    heading: str | None = None
    block: str | None = None
    if hash_sign:
        parts = [part.strip() for part in rest.split("#")]
        if parts[-1].startswith("^"):
            block = parts.pop()[1:].strip() or None
        heading = "#".join(part for part in parts if part) or None
    return {
        "target": target.strip(),
        "heading": heading,
        "block": block,
        "alias": alias.strip() or None if bar else None,
    }


def _wikilink(state: StateInline, silent: bool) -> bool:
    src = state.src
    start = state.pos
    embed = src[start] == "!"
    if not (src[start] == "[" or embed) or state.linkLevel > 0:
        return False
    opening = start + 1 if embed else start
    if not src.startswith("[[", opening):
        return False
    stop = _STOP.search(src, opening + 2, state.posMax)
    if stop is None or stop.group() != "]]":
        return False
    end = stop.start()
    inner = src[opening + 2 : end]
    if not inner.strip():
        return False
    parts = split_wikilink(inner)
    if not parts["target"] and not parts["heading"] and not parts["block"]:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        token.markup = "![[" if embed else "[["
        token.content = parts["alias"] or inner.partition("|")[0].removesuffix("\\").strip()
        token.meta = {**parts, "embed": embed, "line": line_at(state, start)}
    state.pos = end + 2
    return True


def _render_wikilink(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    meta = tokens[idx].meta
    target = escapeHtml(str(meta["target"]))
    text = escapeHtml(tokens[idx].content)
    if meta["embed"] and str(meta["target"]).lower().endswith(IMAGE_SUFFIXES):
        size = image_size_attributes(meta["alias"])
        return f'<img class="embed" src="{target}" alt="{target}"{size}>'
    if meta["embed"]:
        return f'<span class="embed" data-target="{target}">{text}</span>'
    anchor = meta["heading"] or (f"^{meta['block']}" if meta["block"] else "")
    data_anchor = f' data-heading="{escapeHtml(anchor)}"' if anchor else ""
    return f'<a class="wikilink" data-target="{target}"{data_anchor}>{text}</a>'


def image_size_attributes(alias: object) -> str:
    """`|100` or `|100x145` after an image embed is its display size, as HTML attributes."""
    if not isinstance(alias, str):
        return ""
    width, _, height = alias.strip().partition("x")
    if not width.isdigit() or (height and not height.isdigit()):
        return ""
    return f' width="{width}"' + (f' height="{height}"' if height else "")
