"""Timestamp Notes plugin blocks: ```` ```timestamp-url ```` and ```` ```timestamp ````.

They are fences to CommonMark (so fences inside list items, indented closing fences
and info strings with trailing spaces, all of which the plugin writes, already work);
a core rule renames them to `timestamp_url` / `timestamp` tokens so that nothing treats
them as code. `meta`: text (the first non-blank content line, trimmed), line (its note
line, or the fence line when the block is empty), extra_lines (further non-blank
lines). Reading the time or the URL is left to the parse stage, which reports problems.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_KINDS = {"timestamp": "timestamp", "timestamp-url": "timestamp_url"}


def timestamps_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "timestamps", _timestamps)
    md.add_render_rule("timestamp", _render_timestamp)
    md.add_render_rule("timestamp_url", _render_timestamp_url)


def _timestamps(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "fence" or token.map is None:
            continue
        words = token.info.split(maxsplit=1)
        kind = _KINDS.get(words[0].lower()) if words else None
        if kind is None:
            continue
        token.type = kind
        lines = token.content.split("\n")
        filled = [(offset, line.strip()) for offset, line in enumerate(lines) if line.strip()]
        first_content_line = token.map[0] + 2
        if filled:
            offset, text = filled[0]
            token.meta = {"text": text, "line": first_content_line + offset}
        else:
            token.meta = {"text": "", "line": token.map[0] + 1}
        token.meta["extra_lines"] = len(filled) - 1 if filled else 0


def _render_timestamp(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    text = escapeHtml(tokens[idx].meta["text"])
    return f'<p class="timestamp"><span class="timestamp" data-time="{text}">{text}</span></p>\n'


def _render_timestamp_url(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    url = escapeHtml(tokens[idx].meta["text"])
    return f'<div class="timestamp-url" data-url="{url}"></div>\n'
