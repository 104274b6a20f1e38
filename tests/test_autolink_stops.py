"""The `www.`-only text stop changes speed, never tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.gfm import gfm_plugin

from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.syntax.autolink_stops import autolink_stops_plugin

_PIECES = st.sampled_from(
    [
        "w", "ww", "www", "www.", "www.example.com", "wwww.a.org", "Www.x.io", " ", "\n",
        ".", "a", "wow", "[", "]", "(", ")", "*", "_", "https://", "http://x.y/w", ":",
        "@", "me@x.org", "<", ">", "`", "\\", "[[", "]]", "#", "==", "%%", "$", "~",
        "[x](www.a.b)", "![i](w.png)", "| a | w |\n|---|---|\n| w | www.q.r |\n",
    ]
)  # fmt: skip


def _gfm() -> MarkdownIt:
    return MarkdownIt("commonmark").use(gfm_plugin, dollarmath=True, front_matter=True)


def _shape(tokens: list[Token]) -> list[object]:
    return [
        (token.type, token.content, token.attrs, _shape(token.children or [])) for token in tokens
    ]


PLAIN = _gfm()
STOPPED = _gfm().use(autolink_stops_plugin)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_same_tokens_as_stopping_at_every_w(text: str) -> None:
    assert _shape(STOPPED.parse(text)) == _shape(PLAIN.parse(text))


def test_www_address_in_running_text_is_still_a_link() -> None:
    html = build_markdown().render("wow, see www.example.com/w now")
    assert html == (
        '<p>wow, see <a href="http://www.example.com/w">www.example.com/w</a> now</p>\n'
    )


def test_applying_twice_keeps_one_www_stop() -> None:
    md = _gfm().use(autolink_stops_plugin)
    pattern = md.inline.terminator_re.pattern
    md.use(autolink_stops_plugin)
    assert md.inline.terminator_re.pattern == pattern
