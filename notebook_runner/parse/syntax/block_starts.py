"""Try a block rule only at a line that can start its block.

markdown-it tries every block rule, in order, at the start of every block and again at
every line of a paragraph (to see whether it ends there), and each of its own rules
begins by logging its arguments and checking for indented code before it looks at the
line. For a line of prose that is a dozen calls that can only fail. Most rules can only
start at one or a few characters (a fence at a backtick or tilde, a heading at `#`, a
list at a bullet or a digit), so each of those rules is wrapped in a guard that reads
the line's first non-space character and gives up at once when the rule could not
match there; the indented-code rule is guarded by the indentation it requires. At a
line where the rule could match, the rule itself runs, unchanged, so the tokens are
exactly markdown-it's (tested against an unguarded parser). Measured: about 5 % of a
note's parse.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import RuleFuncBlockType as RuleFunc
from markdown_it.rules_block import StateBlock

_FIRST_CHARACTERS = {
    "fence": frozenset("`~"),
    "blockquote": frozenset(">"),
    "hr": frozenset("*-_"),
    "list": frozenset("*-+0123456789"),
    "reference": frozenset("["),
    "html_block": frozenset("<"),
    "heading": frozenset("#"),
    "math_block": frozenset("$"),
    "footnote_def": frozenset("["),
}
"""Rules and the characters their blocks can begin with: markdown-it's own (which log
on entry), and `$$` math and `[^1]:` footnotes from mdit-py-plugins."""


def block_starts_plugin(md: MarkdownIt) -> None:
    """Idempotent: a rule already wrapped is left as it is."""
    ruler = md.block.ruler
    for rule in ruler.__rules__:
        if hasattr(rule.fn, "__wrapped__"):
            continue
        if rule.name in _FIRST_CHARACTERS:
            guarded = _starting_with(rule.fn, _FIRST_CHARACTERS[rule.name])
        elif rule.name == "code":
            guarded = _indented(rule.fn)
        elif rule.name == "table":
            guarded = _table(rule.fn)
        elif rule.name == "front_matter":
            guarded = _first_line(rule.fn)
        else:
            continue
        ruler.at(rule.name, guarded, {"alt": list(rule.alt)})


def _starting_with(rule: RuleFunc, starts: frozenset[str]) -> RuleFunc:
    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        first = state.bMarks[start_line] + state.tShift[start_line]
        if first < state.eMarks[start_line] and state.src[first] not in starts:
            return False
        return bool(rule(state, start_line, end_line, silent))

    return _marked(guarded, rule)


def _indented(rule: RuleFunc) -> RuleFunc:
    """Indented code starts only four columns past the block's indent
    (`StateBlock.is_code_block`)."""

    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if state.sCount[start_line] - state.blkIndent < 4:
            return False
        return bool(rule(state, start_line, end_line, silent))

    return _marked(guarded, rule)


def _table(rule: RuleFunc) -> RuleFunc:
    """A table's second line, its delimiter row, starts with `|`, `-` or `:`; the rule
    runs as a possible end of every paragraph line."""

    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        following = start_line + 1
        if following < end_line:
            first = state.bMarks[following] + state.tShift[following]
            if first < state.eMarks[following] and state.src[first] not in "|-:":
                return False
        return bool(rule(state, start_line, end_line, silent))

    return _marked(guarded, rule)


def _first_line(rule: RuleFunc) -> RuleFunc:
    """Front matter is only ever the note's first line onwards."""

    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        return start_line == 0 and bool(rule(state, start_line, end_line, silent))

    return _marked(guarded, rule)


def _marked(guarded: RuleFunc, rule: RuleFunc) -> RuleFunc:
    """`__wrapped__` is the rule itself, as `functools.wraps` would leave it; it also
    marks the rule as guarded already."""
    guarded.__wrapped__ = rule  # type: ignore[attr-defined]
    return guarded
