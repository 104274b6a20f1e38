"""What a page says about itself in its `<head>`: description, canonical address, link
previews (OpenGraph, read by Twitter/X, Mastodon, Slack, Discord...) and robots.

Meta tags only, no script. Addresses are absolute or left out: a canonical URL,
`og:url` and a local `og:image` exist only with `[site] base_url` (a relative one means
nothing to a crawler); a video thumbnail is a remote address already.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from markdown_it.token import Token

from notebook_runner.model import Note
from notebook_runner.parse.token_text import plain_text
from notebook_runner.render.attachments import site_file
from notebook_runner.render.embeds import IMAGE_SUFFIXES
from notebook_runner.render.slugs import absolute_url
from notebook_runner.render.state import SiteIndex
from notebook_runner.safe_urls import is_web_address
from notebook_runner.video import recognise

DESCRIPTION_LIMIT = 160
"""Characters of a description: what search results and link previews show."""
FEED_PATH = "feed.xml"
ROBOTS = frozenset(
    {"all", "index", "noindex", "follow", "nofollow", "none", "noarchive", "nosnippet"}
    | {"noimageindex", "notranslate"}
)
"""Directives a note's `robots:` may give its page; anything else is left out."""
_PREVIEW_SUFFIXES = tuple(suffix for suffix in IMAGE_SUFFIXES if suffix != ".svg")
"""Link previews show no SVG."""


def page_meta(
    base_url: str,
    page: str,
    description: str = "",
    image: str = "",
    kind: str = "website",
    robots: str = "",
) -> dict[str, str]:
    """The `meta` every template's `<head>` reads (plain strings: listing pages are
    remembered by their JSON context). `page`: the site path, or "" for none (404)."""
    canonical = absolute_url(base_url, "" if page == "index.html" else page) if page else ""
    return {
        "description": description,
        "canonical": canonical,
        "image": image,
        "kind": kind,
        "robots": robots,
        "feed": FEED_PATH if base_url else "",
    }


def note_meta(
    note: Note, tokens: Sequence[Token], index: SiteIndex, base_url: str, page: str
) -> dict[str, str]:
    return page_meta(
        base_url,
        page,
        description=description(note.frontmatter, tokens),
        image=preview_image(note, index, base_url),
        kind="article",
        robots=robots(note.frontmatter),
    )


def description(frontmatter: Mapping[str, Any], tokens: Sequence[Token]) -> str:
    """The note's `description:`, else its first paragraph as plain text (outside
    callouts, quotes and lists), cut at a word to `DESCRIPTION_LIMIT` characters."""
    written = frontmatter.get("description")
    text = written if isinstance(written, str) and written.strip() else _first_paragraph(tokens)
    text = " ".join(text[: 8 * DESCRIPTION_LIMIT].split())  # a long paragraph: its start
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    cut = text[: DESCRIPTION_LIMIT - 1].rpartition(" ")[0] or text[: DESCRIPTION_LIMIT - 1]
    return cut.rstrip(" ,;:.-") + "…"


def _first_paragraph(tokens: Sequence[Token]) -> str:
    for position, token in enumerate(tokens[:-1]):
        if token.type == "paragraph_open" and token.level == 0:
            text = plain_text(tokens[position + 1].children or [])
            if text:
                return text
    return ""


def robots(frontmatter: Mapping[str, Any]) -> str:
    """The page's robots directives from the note's `robots:` (`noindex`, or a list
    such as `noindex, nofollow`), known ones only, lower-cased."""
    written = frontmatter.get("robots")
    if isinstance(written, list):
        written = ",".join(str(item) for item in written)
    if not isinstance(written, str):
        return ""
    words = (word.strip().lower() for word in re.split(r"[,\s]+", written))
    return ", ".join(dict.fromkeys(word for word in words if word in ROBOTS))


def indexed(robots: str) -> bool:
    """Whether search engines may list the page, so whether the sitemap names it."""
    return not {"noindex", "none"} & set(robots.split(", "))


def preview_image(note: Note, index: SiteIndex, base_url: str) -> str:
    """The note's first embedded image file (with a base URL), else the stored
    thumbnail of its first video that has one; "" for none."""
    if base_url:
        for link in note.links:
            target = link.resolved or ""
            image = target.lower().endswith(_PREVIEW_SUFFIXES)
            if link.embed and image and target in index.attachments:
                return absolute_url(base_url, site_file(target))
    for video in note.videos:
        info = index.videos.get(recognise(video.url).key)
        if info is not None and info.thumbnail and is_web_address(info.thumbnail):
            return info.thumbnail
    return ""
