"""Each Obsidian rule's tokens and default HTML, through the shared parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.syntax.callouts import canonical_callout_type


def render(text: str) -> str:
    html: str = build_markdown().render(text)
    return html


def test_parser_is_shared() -> None:
    assert build_markdown() is build_markdown()


def test_wikilink_html() -> None:
    assert render("[[Note#Part|shown]]") == (
        '<p><a class="wikilink" data-target="Note" data-heading="Part">shown</a></p>\n'
    )


def test_image_embed_with_size() -> None:
    assert render("![[pic.png|100x145]]") == (
        '<p><img class="embed" src="pic.png" alt="pic.png" width="100" height="145"></p>\n'
    )


def test_note_embed() -> None:
    assert render("![[Other]]") == '<p><span class="embed" data-target="Other">Other</span></p>\n'


def test_highlight_html() -> None:
    assert render("a ==b *c*== d") == "<p>a <mark>b <em>c</em></mark> d</p>\n"


def test_comments_are_hidden() -> None:
    assert render("x %%secret%% y\n\n%%\nhidden\n```python\nno\n```\n%%\n") == "<p>x  y</p>\n"


def test_tag_html() -> None:
    assert render("see #ml/cv") == '<p>see <span class="tag" data-tag="ml/cv">#ml/cv</span></p>\n'


def test_a_tag_keeps_its_combining_accents() -> None:
    """`é` typed on macOS is `e` + U+0301: the accent belongs to the tag, not after it."""
    decomposed = "cafe\u0301/cre\u0300me"
    assert render(f"#{decomposed} end") == (
        f'<p><span class="tag" data-tag="{decomposed}">#{decomposed}</span> end</p>\n'
    )


def test_callout_html() -> None:
    assert render("> [!hint]- Title *here*\n> body") == (
        '<div class="callout" data-callout="tip" data-callout-fold="-">\n'
        '<div class="callout-title">Title <em>here</em></div>\n'
        "<p>body</p>\n"
        "</div>\n"
    )


def test_github_alert_reads_as_callout() -> None:
    assert render("> [!NOTE]\n> text") == (
        '<div class="callout" data-callout="note">\n<div class="callout-title">Note</div>\n'
        "<p>text</p>\n</div>\n"
    )


@pytest.mark.parametrize(
    ("kind", "style"),
    [
        ("important", "tip"),
        ("tldr", "abstract"),
        ("error", "danger"),
        ("cite", "quote"),
        ("Custom", "note"),
    ],
)
def test_callout_aliases(kind: str, style: str) -> None:
    assert canonical_callout_type(kind) == style


def test_timestamp_blocks_render_without_code() -> None:
    html = render("```timestamp-url \n https://youtu.be/x\n ```\n```timestamp \n 1:05\n ```\n")
    assert html == (
        '<div class="timestamp-url" data-url="https://youtu.be/x"></div>\n'
        '<p class="timestamp"><span class="timestamp" data-time="1:05">1:05</span></p>\n'
    )


def test_block_id_is_removed_from_text() -> None:
    assert render("Claim. ^c-1") == "<p>Claim.</p>\n"


def test_task_list_and_math_still_work() -> None:
    html = render("- [x] done $a$\n")
    assert 'type="checkbox"' in html and "checked" in html
    assert '<span class="math inline">a</span>' in html


def _blocks(text: str) -> list[tuple[str, list[int] | None, str]]:
    tokens = build_markdown().parse(text)
    return [(t.type, t.map, t.content) for t in tokens if t.type not in ("paragraph_close",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The loss is:\n$$\nL = x^2\n$$\nafter\n",
            [
                ("paragraph_open", [0, 1], ""),
                ("inline", [0, 1], "The loss is:"),
                ("math_block", [1, 4], "\nL = x^2\n"),
                ("paragraph_open", [4, 5], ""),
                ("inline", [4, 5], "after"),
            ],
        ),
        (
            "so:\n$$L = x^2$$\n",
            [
                ("paragraph_open", [0, 1], ""),
                ("inline", [0, 1], "so:"),
                ("math_block", [1, 2], "L = x^2"),
            ],
        ),
        (
            "> quoted:\n$$\nx\n$$\n",
            [
                ("blockquote_open", [0, 1], ""),
                ("paragraph_open", [0, 1], ""),
                ("inline", [0, 1], "quoted:"),
                ("blockquote_close", None, ""),
                ("math_block", [1, 4], "\nx\n"),
            ],
        ),
        (  # never closed: stays text, as before
            "costs:\n$$ and more\n",
            [("paragraph_open", [0, 2], ""), ("inline", [0, 2], "costs:\n$$ and more")],
        ),
    ],
)
def test_display_math_may_end_a_paragraph(
    text: str, expected: list[tuple[str, list[int] | None, str]]
) -> None:
    """Obsidian shows `text:` then a `$$` block on the next line as a display equation."""
    assert _blocks(text) == expected


def test_double_dollar_inside_a_line_is_display_math() -> None:
    children = build_markdown().parse("a $x$ and $$ y $$ b\n")[1].children or []
    assert [(c.type, c.content) for c in children] == [
        ("text", "a "),
        ("math_inline", "x"),
        ("text", " and "),
        ("math_inline_double", " y "),
        ("text", " b"),
    ]


def test_inline_lines_inside_multiline_paragraph() -> None:
    tokens = build_markdown().parse("intro\n\nfirst\nsecond [[L]]\nthird #t ==h==\n")
    children = tokens[4].children or []
    lines = {c.type: c.meta["line"] for c in children if c.meta and "line" in c.meta}
    assert lines == {"wikilink": 4, "tag": 5, "mark_open": 5, "mark_close": 5}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("[]!#=%>^` \n\tab:|-$*"), max_size=80))
def test_render_never_raises_on_obsidian_punctuation(text: str) -> None:
    render(text)
