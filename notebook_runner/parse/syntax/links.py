"""Note lines on markdown-it's own link and image tokens.

`[text](url)`, `![alt](src)`, `<url>` and bare URLs come from markdown-it-py and
mdit-py-plugins rules that record no position. Each of those rules is wrapped so the
`link_open` / `image` token it pushes gets `meta["line"]`, the note line where the
rule started: the same parser position the Obsidian rules use.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_inline import RuleFuncInlineType
from markdown_it.rules_inline import StateInline

from notebook_runner.parse.syntax.lines import line_at, track_inline_lines

LINK_RULES = {
    "link": "[",
    "image": "!",
    "autolink": "<",
    "gfm_autolink_www": "w",
    "gfm_autolink_protocol": ":",
    "gfm_autolink_email": "@",
}
"""Each wrapped rule and the only character it can start at (checked first, for speed)."""
_MARKED = frozenset({"link_open", "image"})


def link_lines_plugin(md: MarkdownIt) -> None:
    """Wrap every link rule present; call after the plugins that add link rules."""
    track_inline_lines(md)
    for rule in md.inline.ruler.__rules__:
        if rule.name in LINK_RULES and not getattr(rule.fn, "_marks_lines", False):
            md.inline.ruler.at(rule.name, _marking(rule.fn, LINK_RULES[rule.name]))


def _marking(rule: RuleFuncInlineType, trigger: str) -> RuleFuncInlineType:
    def marked(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if silent or state.src[start] != trigger:
            return rule(state, silent) if silent else False
        count = len(state.tokens)
        matched = rule(state, silent)
        if matched:
            for token in state.tokens[count:]:
                if token.type in _MARKED:
                    token.meta = {**(token.meta or {}), "line": line_at(state, start)}
                    break
        return matched

    marked._marks_lines = True  # type: ignore[attr-defined]
    return marked
