"""Footnote references `[^label]` found in linear time, with the tokens of mdit-py-plugins'
own rule, which this wraps.

That rule reads from each `[^` to the next `]`, space or line break one character at a
time, so `[^` written 16,000 times in a note that defines a footnote took 80 s. Here
the rule is only called for a `[^` whose text up to that stop ends with `]` and is as
long as some defined label: everything else it would refuse. The stop is found with
`scans.first_match`, so a stretch holding many `[^` is read once. With
`always_match_refs` (undefined labels match too) the rule is left as it is.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.parser_inline import RuleFuncInlineType
from markdown_it.rules_inline import StateInline

from notebook_runner.parse.syntax.scans import first_match

_STOP = re.compile(r"[ \n\]]")
_LENGTHS = "notebook_runner.footnote_label_lengths"


def footnote_refs_plugin(md: MarkdownIt) -> None:
    """Idempotent; does nothing without the footnote plugin's `footnote_ref` rule."""
    for rule in md.inline.ruler.__rules__:
        if rule.name != "footnote_ref" or getattr(rule.fn, "_bounded", False):
            continue
        if getattr(rule.fn, "keywords", {}).get("always_match"):
            continue
        md.inline.ruler.at(rule.name, _bounded(rule.fn))


def _bounded(rule: RuleFuncInlineType) -> RuleFuncInlineType:
    def bounded(state: StateInline, silent: bool) -> bool:
        src, start, end = state.src, state.pos, state.posMax
        footnotes = state.env.get("footnotes")
        if not (isinstance(footnotes, dict) and footnotes.get("refs")):
            return rule(state, silent)  # refuses at once (and sets up what it expects)
        if start + 3 > end or src[start] != "[" or src[start + 1] != "^":
            return False
        stop = first_match(state, _STOP, start + 2)
        if stop >= end or src[stop] != "]" or stop - start - 2 not in _label_lengths(state):
            return False
        return rule(state, silent)

    bounded._bounded = True  # type: ignore[attr-defined]
    return bounded


def _label_lengths(state: StateInline) -> frozenset[int]:
    """The lengths of the defined labels (keys are `:label`), worked out once per parse:
    only `always_match_refs` adds labels while inline text is parsed."""
    refs = state.env["footnotes"]["refs"]
    known = state.env.get(_LENGTHS)
    if known is None or known[0] is not refs or known[1] != len(refs):
        known = state.env[_LENGTHS] = (refs, len(refs), frozenset(len(key) - 1 for key in refs))
    lengths: frozenset[int] = known[2]
    return lengths
