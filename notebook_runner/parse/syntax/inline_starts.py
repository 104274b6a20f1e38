"""Try at each position of inline text only the inline rules that can start there.

markdown-it's inline parser hands the text between special characters to its `text`
rule and, at every special character, tries its inline rules one after another until
one matches. With GFM and the Obsidian rules that is twenty rules, and at a `-`, `:`,
`]` or `+` of plain prose all twenty fail, each after a call and a one-character test.
Every rule (ours, markdown-it-py's, mdit-py-plugins') begins by checking the character
it starts with, so the rules are grouped by that character once per rule set, and the
parser calls, in their order, the rules of the character at hand plus `text` and any
rule whose first character is not known here. A rule skipped this way would have
failed without touching the state, so the tokens are exactly markdown-it's (tested
against the parser without this plugin). Measured: about 3 % of a note's parse.

This replaces `ParserInline.tokenize` and `skipToken` on the parser instance with
copies of markdown-it-py's loops that differ only in where the rules come from, and
follows the ruler: rules enabled, disabled or added later are grouped again.
"""

from __future__ import annotations

from types import MethodType

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline, RuleFuncInlineType
from markdown_it.rules_inline import StateInline

from notebook_runner.parse.syntax.links import LINK_RULES

_FIRST_CHARACTERS = {
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "footnote_ref": "[",
    "html_inline": "<",
    "entity": "&",
    "math_inline": "$",
    "tag": "#",
    "comment_inline": "%",
    "highlight": "=",
    "wikilink": "[!",
    **LINK_RULES,
}
"""Each inline rule and the characters it can match at; `text` and any rule not named
here are tried everywhere."""


class _RulesByCharacter:
    """The active inline rules grouped by starting character, remade when the ruler's
    list of active rules changes (markdown-it rebuilds that list on any change)."""

    def __init__(self, parser: ParserInline) -> None:
        self._parser = parser
        self._source: list[RuleFuncInlineType] | None = None
        self._by_character: dict[str, list[RuleFuncInlineType]] = {}
        self._anywhere: list[RuleFuncInlineType] = []

    def current(self) -> tuple[dict[str, list[RuleFuncInlineType]], list[RuleFuncInlineType]]:
        """Rules by character, and the rules for any other character."""
        rules = self._parser.ruler.getRules("")
        if rules is not self._source:
            self._group(rules)
        return self._by_character, self._anywhere

    def _group(self, rules: list[RuleFuncInlineType]) -> None:
        names = [rule.name for rule in self._parser.ruler.__rules__ if rule.enabled]
        starts = [_FIRST_CHARACTERS.get(name) for name in names]
        characters = {character for start in starts if start for character in start}
        self._anywhere = [rule for rule, start in zip(rules, starts, strict=True) if not start]
        self._by_character = {
            character: [
                rule
                for rule, start in zip(rules, starts, strict=True)
                if not start or character in start
            ]
            for character in characters
        }
        self._source = rules


def inline_starts_plugin(md: MarkdownIt) -> None:
    """Idempotent; use it after every plugin that adds inline rules (rules added later
    are tried everywhere until their first characters are named here)."""
    parser = md.inline
    if isinstance(parser.tokenize, MethodType) and parser.tokenize.__func__ is _tokenize:
        return
    grouped = _RulesByCharacter(parser)
    parser.tokenize = MethodType(_tokenize, grouped)  # type: ignore[method-assign]
    parser.skipToken = MethodType(_skip_token, grouped)  # type: ignore[method-assign]


def _tokenize(grouped: _RulesByCharacter, state: StateInline) -> None:
    """`ParserInline.tokenize`, trying only the rules of the character at hand."""
    by_character, anywhere = grouped.current()
    end = state.posMax
    max_nesting = state.md.options["maxNesting"]
    src = state.src
    while state.pos < end:
        pos = state.pos
        ok = False
        if state.level < max_nesting:
            for rule in by_character.get(src[pos], anywhere):
                ok = rule(state, False)
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        if ok:
            if state.pos >= end:
                break
            continue
        state.append_pending(src[state.pos])
        state.pos += 1
    if state.pending:
        state.pushPending()


def _skip_token(grouped: _RulesByCharacter, state: StateInline) -> None:
    """`ParserInline.skipToken`, trying only the rules of the character at hand."""
    pos = state.pos
    cache = state.cache
    if pos in cache:
        state.pos = cache[pos]
        return
    ok = False
    if state.level < state.md.options["maxNesting"]:
        by_character, anywhere = grouped.current()
        for rule in by_character.get(state.src[pos], anywhere):
            # markdown-it raises the level around each rule, to limit recursion.
            state.level += 1
            ok = rule(state, True)
            state.level -= 1
            if ok:
                if state.pos <= pos:
                    raise RuntimeError("inline rule didn't increment state.pos")
                break
    else:
        state.pos = state.posMax  # too deep: skip to the end, as markdown-it does
    if not ok:
        state.pos += 1
    cache[pos] = state.pos
