"""`$$` display math written right under a line of text, as Obsidian shows it.

mdit-py-plugins' `$$` block cannot interrupt a paragraph, so `The loss is:` followed by
a `$$` line, the formula and a closing `$$` was one paragraph in which `$$` read as a `$`
and an inline formula: stray dollar signs and a formula that failed to render. Obsidian
shows a display equation there, so the block rule may end a paragraph (and a list or
block quote's lazy line), as a code fence may. `$$..$$` inside a line is display math
too (`math_inline_double`), as in Obsidian.

markdown-it asks a rule whether it would end a paragraph with `silent=True`, but the
plugin's rule ignores `silent` and pushes its token anyway; the wrapper runs it on the
state and takes the token back, so asking changes nothing.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import RuleFuncBlockType
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.dollarmath.index import math_inline_dollar

_INTERRUPTS = ["paragraph", "reference", "blockquote", "list"]
"""What a `$$` line may end: the same as a code fence."""


def display_math_plugin(md: MarkdownIt) -> None:
    """After `gfm_plugin(dollarmath=True)`; before `block_starts_plugin`, which then
    guards the rule by its first character."""
    ruler = md.block.ruler
    block = next(rule for rule in ruler.__rules__ if rule.name == "math_block")
    ruler.at("math_block", _asked_quietly(block.fn), {"alt": _INTERRUPTS})
    md.inline.ruler.at(
        "math_inline", math_inline_dollar(allow_space=True, allow_digits=True, allow_double=True)
    )


def _asked_quietly(rule: RuleFuncBlockType) -> RuleFuncBlockType:
    def math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if not silent:
            return bool(rule(state, start_line, end_line, False))
        tokens, line = len(state.tokens), state.line
        found = bool(rule(state, start_line, end_line, False))
        del state.tokens[tokens:]
        state.line = line
        return found

    return math_block
