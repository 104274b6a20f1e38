"""Guarding block rules by the characters their blocks start with changes speed, never tokens."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.syntax.block_starts import (
    _FIRST_CHARACTERS,
    _starting_with,
    block_starts_plugin,
)

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "tests" / "fixtures" / "commonmark" / "commonmark.json"

_LINES = st.sampled_from(
    [
        "", "text", "  text", "    code", "\tcode", "# h", "#no", "> quote", ">", "- item",
        "* item", "+ item", "1. one", "2) two", "10. ten", "***", "---", "___", "- - -", "```",
        "```python", "~~~", "<div>", "<!-- c -->", "[ref]: /url", "[^1]: note", "$$", "x = 1",
        "| a | b |", "|---|---|", "===", "%%", "%% c %%", "> [!note] t", "```timestamp-url",
        "  - nested", "     - deep", "   > q", "1.", "-", "#", "<", "[", "`", "~", "| x |",
        "a | b", "|:-|-:|", ":-", "- x", "  |---|", "$$ x $$", "$", "[^a]: n", "[^", "---",
    ]
)  # fmt: skip


def _unguarded() -> MarkdownIt:
    md = build_markdown.__wrapped__()
    for rule in md.block.ruler.__rules__:
        original = getattr(rule.fn, "__wrapped__", None)
        if original is not None:
            md.block.ruler.at(rule.name, original, {"alt": list(rule.alt)})
    return md


GUARDED = build_markdown()
PLAIN = _unguarded()


def _shape(tokens: list[Token]) -> list[object]:
    return [
        (t.type, t.tag, t.nesting, t.map, t.content, t.info, t.markup, _shape(t.children or []))
        for t in tokens
    ]


def test_the_shared_parser_guards_every_listed_rule_and_indented_code() -> None:
    guarded = {
        rule.name for rule in GUARDED.block.ruler.__rules__ if hasattr(rule.fn, "__wrapped__")
    }
    assert guarded == {*_FIRST_CHARACTERS, "code", "table", "front_matter"}
    assert not any(hasattr(rule.fn, "__wrapped__") for rule in PLAIN.block.ruler.__rules__)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=25).map("\n".join))
def test_same_tokens_as_trying_every_rule(text: str) -> None:
    assert _shape(GUARDED.parse(text)) == _shape(PLAIN.parse(text))


def test_every_spec_example_and_vault_note_gives_the_same_tokens() -> None:
    texts = [example["markdown"] for example in json.loads(SPEC.read_text(encoding="utf-8"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((REPO / "vault").rglob("*.md"))]
    assert len(texts) > 652
    for text in texts:
        assert _shape(GUARDED.parse(text)) == _shape(PLAIN.parse(text)), text


def test_a_guarded_rule_runs_only_where_its_block_can_start() -> None:
    seen: list[int] = []

    def heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        seen.append(start)
        return False

    guard = _starting_with(heading, _FIRST_CHARACTERS["heading"])
    text = "prose\n  # heading\n\n>#\n#"
    state = StateBlock(text, GUARDED, {}, [])
    assert [guard(state, line, state.lineMax, False) for line in range(state.lineMax)] == [
        False
    ] * 5
    assert seen == [1, 2, 4]  # the indented heading, the empty line (no character), `#`


def test_applying_twice_keeps_one_guard() -> None:
    md = build_markdown.__wrapped__()
    before = [rule.fn for rule in md.block.ruler.__rules__]
    md.use(block_starts_plugin)
    assert [rule.fn for rule in md.block.ruler.__rules__] == before
