"""The way a URL becomes an attribute of a page: written only when `safe_urls` allows it.

URLs reach attributes from notes, from stored video metadata (files anyone can edit)
and from paths of the site itself. The model already refuses hostile video addresses
where they become video references (`addresses.video_address_problem`,
`video.recognise`); this is the second line, at the sink: whatever slipped through is
left out of the page, never written into an `href` or `src`.
"""

from __future__ import annotations

from html import escape

from notebook_runner.safe_urls import is_safe


def safe_url(url: str) -> str | None:
    """`url` when a browser may be handed it, else None (the caller shows text)."""
    return url if is_safe(url) else None


def url_attribute(name: str, url: str) -> str:
    """` name="url"`, escaped; "" for a refused URL (an element without `src` or `href`
    is inert)."""
    return f' {name}="{escape(url)}"' if is_safe(url) else ""
