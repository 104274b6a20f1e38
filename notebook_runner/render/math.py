"""`$..$` and `$$..$$` as MathML, rendered at build time so pages need no script or CDN.

Browsers render MathML Core natively (Chromium since 109, Firefox, Safari). A formula
latex2mathml cannot read is shown as its source, and the build reports it.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape


@lru_cache(maxsize=4096)
def to_mathml(latex: str, display: bool) -> str | None:
    """MathML for `latex`, or None when it cannot be converted (cached: notes repeat
    the same formulas). latex2mathml is imported on first use: 30 ms that `build` would
    otherwise spend before it starts its workers, and a vault without math never needs."""
    from latex2mathml.converter import convert

    try:
        return convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of error for bad input
        return None


def math_source(latex: str, display: bool) -> str:
    """The fallback: the formula as written, marked so CSS can flag it."""
    text = escape(latex)
    if display:
        return f'<pre class="math math-error"><code>$${text}$$</code></pre>\n'
    return f'<code class="math math-error">${text}$</code>'
