"""Trying inline rules only at the characters they start at changes speed, never tokens."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from texts_support import spec_vault_and_corpus_texts

from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.syntax.inline_starts import _FIRST_CHARACTERS, inline_starts_plugin

REPO = Path(__file__).resolve().parent.parent

_PIECES = st.sampled_from(
    [
        "text", " ", "\n", "  \n", "-", ":", "+", "{", "}", "]", "[", ">", "^", "@", "w",
        "www.example.com", "https://x.org/a_b", "http:", "mailto:a@b.co", "a@b.co", "*", "**",
        "_", "__", "~~", "==", "`", "``", "$", "$$", "\\", "\\*", "&amp;", "&#35;", "&", "<",
        "<b>", "</b>", "<https://x.org>", "#tag", "#a/b", "%%", "%% c %%", "[[Note]]",
        "![[img.png|100]]", "[[N#H|alias]]", "[t](u)", "[t](<u v>)", "![a](i.png)", "[^1]",
        "^block", "[x]", "[x]: /u", "!", "=x=", "12:34", "é", "강", "🏆",
    ]
)  # fmt: skip


def _plain() -> MarkdownIt:
    md = build_markdown.__wrapped__()
    del md.inline.tokenize, md.inline.skipToken  # back to ParserInline's own methods
    return md


GROUPED = build_markdown()
PLAIN = _plain()


def _shape(tokens: list[Token]) -> list[object]:
    return [
        (t.type, t.tag, t.nesting, t.map, t.content, t.info, t.markup, t.attrs, t.meta,
         t.hidden, _shape(t.children or []))
        for t in tokens
    ]  # fmt: skip


def test_the_plain_parser_is_markdown_its_own() -> None:
    assert PLAIN.inline.tokenize.__func__ is ParserInline.tokenize  # type: ignore[attr-defined]
    assert GROUPED.inline.tokenize.__func__ is not ParserInline.tokenize  # type: ignore[attr-defined]


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_same_tokens_as_trying_every_rule(text: str) -> None:
    assert _shape(GROUPED.parse(text)) == _shape(PLAIN.parse(text))


def test_every_spec_example_vault_and_corpus_note_gives_the_same_tokens() -> None:
    for text in spec_vault_and_corpus_texts():
        assert _shape(GROUPED.parse(text)) == _shape(PLAIN.parse(text)), text[:200]


def test_a_rule_is_tried_only_at_its_characters_and_text_everywhere() -> None:
    md = build_markdown.__wrapped__()
    tried: list[str] = []

    def highlight(state: StateInline, silent: bool) -> bool:
        tried.append(state.src[state.pos])
        return False

    md.inline.ruler.at("highlight", highlight)
    md.parse("a-b =c= d:e\n")
    assert tried == ["=", "="]
    assert "text" not in _FIRST_CHARACTERS


def test_a_rule_added_later_is_tried_everywhere() -> None:
    """A rule with no known first character is tried at every position the parser
    stops at, as markdown-it tries it (text runs are consumed by `text`)."""
    tried: dict[str, list[str]] = {"grouped": [], "plain": []}
    for name, md in (("grouped", build_markdown.__wrapped__()), ("plain", _plain())):

        def newcomer(state: StateInline, silent: bool, seen: list[str] = tried[name]) -> bool:
            seen.append(state.src[state.pos])
            return False

        md.inline.ruler.before("text", "newcomer", newcomer)
        md.parse("a-b =c\n")
    assert tried["grouped"] == tried["plain"] == ["a", "-", "b", "=", "c"]


def test_applying_twice_keeps_one_replacement() -> None:
    md = build_markdown.__wrapped__()
    before = md.inline.tokenize
    md.use(inline_starts_plugin)
    assert md.inline.tokenize == before
