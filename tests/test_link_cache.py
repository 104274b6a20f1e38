"""Link addresses are normalised once per address, with markdown-it's own result."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common import normalize_url

from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.syntax.link_cache import link_cache_plugin

_ADDRESSES = st.sampled_from(
    [
        "https://example.org/a b", "https://münchen.de/straße?q=ü#é", "http://x.y/%zz",
        "mailto:me@example.org", "javascript:alert(1)", "../Note.md", "Note%20Two.md",
        "https://www.youtube.com/watch?v=ID&t=754s", "data:text/plain,x", "",
    ]
)  # fmt: skip


def _hrefs(tokens: Any) -> list[str]:
    found = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                found.append(str(child.attrGet("href") or child.attrGet("src") or ""))
    return found


@settings(max_examples=100, deadline=None)
@given(st.lists(_ADDRESSES, min_size=1, max_size=6))
def test_cached_links_are_markdown_its_own(addresses: list[str]) -> None:
    text = (
        " ".join(f"[a]({address}) ![i](<{address}>)" for address in addresses) + " <https://a.b/c>"
    )
    cached = _hrefs(build_markdown().parse(text))
    plain = build_markdown.__wrapped__()
    for name in ("normalizeLink", "normalizeLinkText", "validateLink"):
        setattr(plain, name, getattr(type(plain), name).__get__(plain))
    assert cached == _hrefs(plain.parse(text))


def test_an_address_linked_again_is_not_normalised_again() -> None:
    md = build_markdown.__wrapped__()
    md.parse("[one](https://example.org/x y) and [two](https://example.org/x y)")
    info = md.normalizeLink.cache_info()  # type: ignore[attr-defined]
    assert info.misses == 1  # markdown-it asks more than once per link; all but one hit
    assert md.normalizeLink("https://example.org/x y") == normalize_url.normalizeLink(
        "https://example.org/x y"
    )


def test_applying_twice_keeps_one_cache() -> None:
    md = build_markdown.__wrapped__()
    memoised = md.normalizeLink
    md.use(link_cache_plugin)
    assert md.normalizeLink is memoised
