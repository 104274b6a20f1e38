"""Code highlighting with Pygments, with note line numbers and the stylesheets.

Lines are numbered as note lines (a traceback's "line 50" is the 50 the reader sees),
and each line is a `<span id="L-50">` so results can link to the failing line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

# Pygments ships no type hints (types-Pygments is not a dependency).
from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import Error
from pygments.util import ClassNotFound

LIGHT_STYLE = "default"
DARK_STYLE = "monokai"


@cache
def _lexer(lang: str) -> Lexer:
    lexer: Lexer
    try:
        lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False, ensurenl=True)
    return lexer


_LINES_ONLY = HtmlFormatter(nowrap=True)


def highlight_code(code: str, lang: str, first_line: int, marked: int | None, prefix: str) -> str:
    """`marked` is a note line to emphasise (the error line); `prefix` keeps ids unique
    when a note is embedded in another page.

    The markup is Pygments' own with `linenos="inline"`, `linespans` and `hl_lines`
    (tested identical), but the numbering is put around lines Pygments formatted once
    per snippet: notes repeat the same snippets at other lines, and Pygments' numbering
    wrappers cost as much as the highlighting itself."""
    lines = _highlighted_lines(code, lang.lower())
    width = len(str(first_line + len(lines) - 1))
    parts = ['<div class="highlight"><pre><span></span><code>']
    for number, line in enumerate(lines, start=first_line):
        numbered = f'<span class="linenos">{number:>{width}}</span>{line}'
        if number == marked:
            numbered = f'<span class="hll">{numbered}</span>'
        parts.append(f'<span id="{prefix}L-{number}">{numbered}</span>')
    parts.append("</code></pre></div>\n")
    return "".join(parts)


@lru_cache(maxsize=1 << 15)
def _highlighted_lines(code: str, lang: str) -> tuple[str, ...]:
    """Each line's highlighted HTML, its newline included, numbered by no one yet."""
    html: str = format_tokens(_lexed(code, lang), _LINES_ONLY)
    return tuple(html.splitlines(keepends=True))


def lex_ahead(code: str, lang: str) -> None:
    """Lex a fence's code before its page is rendered: site workers do it while the
    notes of the other workers are passed on to them."""
    _lexed(code, lang.lower())


def fence_language(info: str) -> str:
    """The language a fence's info string names (`python skip` -> `python`)."""
    return info.split(maxsplit=1)[0] if info.strip() else ""


@lru_cache(maxsize=1 << 15)
def _lexed(code: str, lang: str) -> Sequence[tuple[Any, str]]:
    """Lexing is three quarters of highlighting, and notes repeat the same snippets
    (imports, helpers copied from lesson to lesson) at other lines, where the numbered
    HTML differs but the tokens do not. Large enough to hold every fence a site worker
    lexes ahead (a smaller LRU read in the same order would miss on every fence)."""
    return tuple(_lexer(lang).get_tokens(code))


def stylesheet() -> str:
    """Light rules, then dark ones that apply when the system asks for dark mode."""
    light = _style_rules(LIGHT_STYLE)
    dark = _style_rules(DARK_STYLE)
    indented = "\n".join(f"  {line}" for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"


def _style_rules(name: str) -> str:
    # types-Pygments leaves get_style_defs unannotated; it returns the CSS text.
    rules: str = HtmlFormatter(style=_without_error_marks(name)).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    return rules


def _without_error_marks(name: str) -> type[Style]:
    """The style with its `Error` token unstyled. A lexer gives `Error` to whatever its
    grammar does not expect, such as Korean words in a SQL block or `$$` in a shell
    block: valid text in a note, which the styles would box in red. The tokens keep
    their `err` class; the stylesheet just shows them as plain text."""
    base = get_style_by_name(name)
    return type(base.__name__, (base,), {"styles": {**base.styles, Error: ""}})
