"""Highlighted code: Pygments' own numbered markup, numbered around lines formatted once."""

from __future__ import annotations

import copy
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter

from notebook_runner.render import highlight
from notebook_runner.render.highlight import highlight_code

_NUMBERED = HtmlFormatter(linenos="inline", wrapcode=True)


def pygments_numbered(code: str, lang: str, first: int, marked: int | None, prefix: str) -> str:
    """What Pygments writes itself with inline line numbers, line spans and one
    highlighted line: the markup `highlight_code` must keep."""
    formatter = copy.copy(_NUMBERED)
    formatter.linenostart = first
    formatter.linespans = f"{prefix}L"
    formatter.hl_lines = {marked - first + 1} if marked is not None else set()
    html: str = format_tokens(highlight._lexed(code, lang.lower()), formatter)
    return html


_CODE = st.lists(
    st.sampled_from(
        ["x = 1", "", "    return f'{a}'", '"""doc', 'string"""', "# note <b>&", "\t", "é ü",
         "print(x)\r", "\\", "def f():", "  ", "`", "<script>"]
    ),
    max_size=12,
).map("\n".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    code=_CODE,
    lang=st.sampled_from(["python", "Python", "bash", "text", "no-such-language", ""]),
    first=st.integers(min_value=1, max_value=12_000),
    marked=st.none() | st.integers(min_value=-2, max_value=14),
    prefix=st.sampled_from(["", "e1-", "e2-e1-"]),
)
def test_the_markup_is_pygments_own(
    code: str, lang: str, first: int, marked: int | None, prefix: str
) -> None:
    line = None if marked is None else first + marked
    assert highlight_code(code, lang, first, line, prefix) == pygments_numbered(
        code, lang, first, line, prefix
    )


def test_a_snippet_seen_at_another_line_is_formatted_once() -> None:
    highlight._highlighted_lines.cache_clear()
    snippet = "import torch\nx = torch.ones(3)\n"
    first = highlight_code(snippet, "python", 10, None, "")
    again = highlight_code(snippet, "python", 200, 201, "")
    assert highlight._highlighted_lines.cache_info().misses == 1
    assert '<span id="L-10"><span class="linenos">10</span>' in first
    assert '<span id="L-201"><span class="hll"><span class="linenos">201</span>' in again


def test_text_a_lexer_does_not_expect_is_not_boxed_as_an_error() -> None:
    """Korean words in a SQL block and `$$` in a shell block are Pygments `Error`
    tokens; the stylesheet shows them as the text around them, in light and dark."""
    html = highlight_code("SELECT 이름 FROM 학생;\necho $$ x $$\n", "sql", 1, None, "")
    assert '<span class="err">이름</span>' in html  # the class stays, unstyled
    css = highlight.stylesheet()
    light, dark = css.split("@media")
    assert ".err" not in light
    err_rules = [line.strip() for line in dark.splitlines() if ".err " in line]
    base_color = re.search(r"\.highlight \{ background: #272822; color: (#\w+) \}", dark)
    assert base_color is not None
    assert err_rules == [f".highlight .err {{ color: {base_color.group(1)} }} /* Error */"]
