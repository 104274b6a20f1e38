"""Callouts: `> [!type] Title` as a box with its type's icon and colour.

Foldable callouts (`[!type]-` / `[!type]+`) become `<details>`, which opens and closes
without any script; the others are plain `<div>`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.render.state import RuleBase

CALLOUT_ICONS = {
    "note": "✎",
    "abstract": "☰",
    "info": "\u2139",  # INFORMATION SOURCE
    "todo": "☑",
    "tip": "✦",
    "success": "✓",
    "question": "?",
    "warning": "⚠",
    "failure": "✗",
    "danger": "⚡",
    "bug": "✱",
    "example": "≡",
    "quote": "❝",
}


class CalloutRules(RuleBase):
    def callout_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        meta = tokens[idx].meta
        kind = str(tokens[idx].attrGet("data-callout") or "note")
        attrs = f'class="callout callout-{escape(kind)}" data-callout="{escape(str(meta["type"]))}"'
        section = tokens[idx].attrGet("data-section")
        if section:
            attrs += f' data-section="{escape(str(section))}"'
        fold = meta.get("fold")
        if fold is None:
            return f"<div {attrs}>\n"
        opened = " open" if fold == "+" else ""
        return f"<details {attrs}{opened}>\n"

    def callout_title_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        callout = _enclosing(tokens, idx, "callout_open")
        kind = str(callout.attrGet("data-callout") or "note") if callout else "note"
        icon = (
            f'<span class="callout-icon" aria-hidden="true">{CALLOUT_ICONS.get(kind, "✎")}</span>'
        )
        tag = "summary" if callout and callout.meta.get("fold") else "div"
        env["page"].phrasing += 1
        return f'<{tag} class="callout-title">{icon}<span class="callout-title-text">'

    def callout_title_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        callout = _enclosing(tokens, idx, "callout_open")
        tag = "summary" if callout and callout.meta.get("fold") else "div"
        env["page"].phrasing -= 1
        return f'</span></{tag}>\n<div class="callout-content">\n'

    def callout_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        opening = _matching_open(tokens, idx)
        folded = opening is not None and opening.meta.get("fold")
        return "</div>\n</details>\n" if folded else "</div>\n</div>\n"


def _enclosing(tokens: Sequence[Token], idx: int, kind: str) -> Token | None:
    for index in range(idx - 1, -1, -1):
        if tokens[index].type == kind:
            return tokens[index]
    return None


def _matching_open(tokens: Sequence[Token], idx: int) -> Token | None:
    level = tokens[idx].level
    for index in range(idx - 1, -1, -1):
        if tokens[index].type == "callout_open" and tokens[index].level == level:
            return tokens[index]
    return None
