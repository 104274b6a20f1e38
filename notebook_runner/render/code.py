"""Code and math: fences highlighted with note line numbers and, under each Python
block, what `check` stored for it; `$..$` / `$$..$$` as MathML.

`render_result` is the one place that knows `BlockResult`'s fields. Figures become
files of their own (pages stay small, and `data:` URLs are not allowed).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from html import escape

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.execute.results import BlockResult
from notebook_runner.model import Diagnostic, Note
from notebook_runner.render.highlight import fence_language, highlight_code
from notebook_runner.render.math import math_source, to_mathml
from notebook_runner.render.state import PageState, RuleBase

FIGURES_FOLDER = "_files/_figures/"

_STATUS_TEXT = {
    "passed": "status_passed",
    "cached": "status_passed",
    "failed": "status_failed",
    "not-run": "status_not_run",
    "skipped": "status_skipped",
}
"""Each block status's interface text (`i18n`)."""


class CodeRules(RuleBase):
    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        page: PageState = env["page"]
        token = tokens[idx]
        note = self._current_note(page)
        line = token.map[0] + 1 if token.map else 0
        block = next((b for b in note.code_blocks if b.line == line and b.is_python), None)
        lang = fence_language(token.info)
        first = block.code_line if block else line + 1
        result = self._result(note, line) if block else None
        error_line = result.error.line if result and result.error else None
        marked = error_line if error_line is not None and first <= error_line else None
        code = highlight_code(token.content, lang, first, marked, page.id_prefix)
        section = token.attrGet("data-section")
        extra = f' data-section="{escape(str(section))}"' if section else ""
        lang_attr = f' data-lang="{escape(lang)}"' if lang else ""
        body = render_result(result, page) if block else ""
        return f'<div class="code-block"{lang_attr}{extra}>\n{code}{body}</div>\n'

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, True, env["page"]) + "\n"

    def math_block_label(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, True, env["page"]) + "\n"

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, False, env["page"])

    def math_inline_double(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._math(tokens[idx].content, True, env["page"])

    def _result(self, note: Note, line: int) -> BlockResult | None:
        result = self.index.results.get(note.path)
        if result is None:
            return None
        return next((block for block in result.blocks if block.line == line), None)

    def _math(self, latex: str, display: bool, page: PageState) -> str:
        mathml = to_mathml(latex, display)
        if mathml is not None:
            return mathml
        note = self._current_note(page)
        message = "math could not be rendered; shown as written"
        page.diagnostics.append(Diagnostic(note.path, page.line, "warning", "bad-math", message))
        return math_source(latex, display)


def render_result(result: BlockResult | None, page: PageState) -> str:
    """What `check` stored for a block: status, output, value, figures, the error."""
    ui = page.ui
    if result is None:
        status = escape(ui["status_not_run"])
        return f'<div class="result result-none"><p class="result-status">{status}</p></div>\n'
    status = ui[_STATUS_TEXT.get(result.status, "status_not_run")]
    parts = [f'<p class="result-status">{escape(status)}</p>']
    if result.stdout:
        parts.append(f'<pre class="result-stdout">{escape(result.stdout)}</pre>')
    if result.value is not None:
        parts.append(f'<pre class="result-value">{escape(result.value)}</pre>')
    for figure in result.figures:
        parts.append(_figure(figure, page))
    if result.error is not None:
        error = result.error
        anchor = escape(f"#{page.id_prefix}L-{error.line}")
        parts.append(
            f'<p class="result-error"><strong>{escape(error.type)}</strong>: '
            f'{escape(error.message)} (<a href="{anchor}">'
            f"{escape(ui.format('at_line', line=error.line))}</a>)</p>"
        )
        if error.traceback:
            parts.append(f'<pre class="result-traceback">{escape(error.traceback)}</pre>')
    css = "passed" if result.status == "cached" else result.status
    body = "\n".join(parts)
    return f'<div class="result result-{escape(css)}">\n{body}\n</div>\n'


def _figure(encoded: str, page: PageState) -> str:
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return ""
    name = FIGURES_FOLDER + hashlib.sha256(data).hexdigest()[:16] + ".png"
    page.generated[name] = data
    src, alt = escape(page.url(name)), escape(page.ui["figure"])
    return f'<img class="result-figure" src="{src}" alt="{alt}" loading="lazy">'
