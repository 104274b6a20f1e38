"""Our linear-time GFM autolink rules and footnote-reference scan give exactly the tokens
of mdit-py-plugins' own rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.gfm import gfm_plugin
from texts_support import spec_vault_and_corpus_texts

from notebook_runner.parse.syntax import autolinks, build_markdown
from notebook_runner.parse.syntax.autolinks import autolinks_plugin
from notebook_runner.parse.syntax.footnote_refs import footnote_refs_plugin

REPO = Path(__file__).resolve().parent.parent

_PIECES = st.sampled_from(
    [
        "www.", "www", "w", "http", "https", "://", ":", "//", "mailto", "xmpp", "mailto:",
        "xmpp:", "http://", "https://", "@", ".", "_", "-", "~", "*", "(", ")", "<", ">",
        ";", "&", "&amp;", "a", "b", "1", "é", "강", "—", "!", "?", ",", "'", '"', "[", "]",
        " ", "\n", "\t", "/", "x_y", "a.b", ".c.d.e.f.g", "\\", "`", "[x](", "](", "=",
        "#", "\u00a0", "+", "%", "a@b.co", "www.a.b", "[[x]]", "==", "%%", "$", "[^",
        "[^1]", "[^1", "[^a b]", "[^long]", "^", "[^[^1]]", "[^]",
    ]
)  # fmt: skip
EDGE_CASES = [
    "xmpp:a@b.c/d/e",
    "xmpp:a@b@c.d",
    "mailto:@b.c",
    "mailto:a@b.c.",
    "foo@bar.baz@qux.com",
    "a.b@c.d-",
    "http://a.b&amp;",
    "http://a.b&;",
    "(http://a.b(c))",
    "http://a.b" + ")" * 5,
    "http://a.b/x?y=1.",
    "http:// x",
    "http://<",
    "www.a_b.c",
    "www.a.b_c",
    "www.a.b.c.d.e.f.g.h.i.j.k.l_m",
    "www.a.b.c.d.e.f.g.h.i.j.k.l_m x",
    "http://a_b.c.d.e.f.g.h.i.j.k.l.m(",
    "www.é.com",
    "www.a—b.c",
    "*www.x.y* _www.x.y_ ~www.x.y~ (www.x.y)",
    "www." + "a~www." * 5 + "(",
    "x_b@c.d",
    "a_b_c@d.e",
    "*x*b@c.d",
    "#a_http://x.y",
    "`c`http://x.y",
    "[[n]]www.x.y",
    "[^1] [^2] [^1 [^ [^[^1]] [^long] [^lon]",
]
DEFINITIONS = "\n\n[^1]: one\n\n[^long]: two\n\n[^[^1]: three\n"


def _gfm() -> MarkdownIt:
    return MarkdownIt("commonmark").use(gfm_plugin, dollarmath=True, front_matter=True)


def _shape(tokens: list[Token]) -> list[object]:
    return [
        (t.type, t.content, t.attrs, t.markup, t.info, t.map, t.meta, _shape(t.children or []))
        for t in tokens
    ]


PLUGIN = _gfm()
OURS = _gfm().use(autolinks_plugin).use(footnote_refs_plugin)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_same_tokens_as_the_plugin_rules(text: str) -> None:
    for note in (text, text + DEFINITIONS):
        assert _shape(OURS.parse(note)) == _shape(PLUGIN.parse(note))


@pytest.mark.parametrize("case", EDGE_CASES)
def test_same_tokens_on_the_edges_of_the_gfm_rules(case: str) -> None:
    for text in (case, f"x {case} y", f"{case}\n{case}", case + DEFINITIONS):
        assert _shape(OURS.parse(text)) == _shape(PLUGIN.parse(text)), text


def test_every_spec_example_vault_and_corpus_note_gives_the_same_tokens() -> None:
    for text in spec_vault_and_corpus_texts():
        assert _shape(OURS.parse(text)) == _shape(PLUGIN.parse(text)), text[:200]


def test_the_parser_uses_these_rules_in_the_plugin_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    md = build_markdown.__wrapped__()
    names = [rule.name for rule in md.inline.ruler.__rules__]
    plugin_names = [rule.name for rule in PLUGIN.inline.ruler.__rules__]
    ours = [name for name in plugin_names if name.startswith("gfm_autolink")]
    assert [name for name in names if name.startswith("gfm_autolink")] == ours
    pushed: list[str] = []
    real_push = autolinks._push_link

    def push(state: StateInline, url: str, text: str, advance: int) -> bool:
        pushed.append(url)
        return real_push(state, url, text, advance)

    monkeypatch.setattr(autolinks, "_push_link", push)
    md.parse("see www.a.org, https://b.org and c@d.org\n")
    assert pushed == ["http://www.a.org", "https://b.org", "mailto:c@d.org"]


def test_applying_twice_changes_nothing() -> None:
    md = _gfm().use(autolinks_plugin).use(footnote_refs_plugin)
    before = [rule.fn for rule in md.inline.ruler.__rules__]
    md.use(autolinks_plugin).use(footnote_refs_plugin)
    assert [rule.fn for rule in md.inline.ruler.__rules__] == before
    footnote_rule = next(rule for rule in md.inline.ruler.__rules__ if rule.name == "footnote_ref")
    assert getattr(footnote_rule.fn, "_bounded", False)
