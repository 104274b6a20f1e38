"""Line endings normalised with `str.replace` give markdown-it's own text and tokens."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize

from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.syntax.line_endings import normalize_line_endings

MD = build_markdown()
_TEXT = st.lists(st.sampled_from(["a", " ", "\n", "\r", "\r\n", "\0", "#", "-", "é"])).map("".join)


def _normalised(rule: object, text: str) -> str:
    state = StateCore(text, MD, {})
    rule(state)  # type: ignore[operator]
    return state.src


@given(_TEXT)
def test_the_same_text_as_markdown_its_normalize(text: str) -> None:
    assert _normalised(normalize_line_endings, text) == _normalised(normalize, text)


def test_the_shared_parser_uses_it() -> None:
    rules = MD.core.ruler.getRules("")
    assert normalize_line_endings in rules and normalize not in rules
    tokens = MD.parse("# A\r\n\r\nb\rc\0\n")
    assert [t.content for t in tokens if t.type == "inline"] == ["A", "b\nc\ufffd"]
