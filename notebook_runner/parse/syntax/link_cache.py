"""Normalise each link address once per process, not once per link.

markdown-it turns every `[text](url)`, image and autolink address into its canonical
form (`MarkdownIt.normalizeLink`: parse, punycode, percent-encode, format: tens of
microseconds in Python). Notes link to the same few addresses over and over (the
synthetic 10,000-note vault: 30,795 Markdown links to 692 addresses), and the result
depends on the address alone, so the three link methods are memoised on the parser
instance, as markdown-it lets a user replace them.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

_ADDRESSES = 1 << 14


def link_cache_plugin(md: MarkdownIt) -> None:
    """Idempotent: methods memoised already are left as they are."""
    for name in ("normalizeLink", "normalizeLinkText", "validateLink"):
        method = getattr(md, name)
        if not hasattr(method, "cache_info"):
            setattr(md, name, lru_cache(maxsize=_ADDRESSES)(method))
