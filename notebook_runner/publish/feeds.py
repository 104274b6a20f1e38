"""`sitemap.xml`, the Atom feed `feed.xml` and `robots.txt`, with `[site] base_url` only.

Sitemaps and feeds name pages by absolute address, which only the base URL gives (a
feed or sitemap of relative links is not one a crawler or reader can use), so without
it none of the three is written. They are built from what the main process has
already: each note's summary (title, tags, frontmatter date) and what its rendering
said about it (`RenderedNote.description`, `.indexed`); the times come from `dates`.
One pass over the pages each: linear, and nothing is rendered again.

- The sitemap lists the index and every published page but those whose note says
  `robots: noindex` (or `none`), with the time it last changed; tag pages, which only
  list notes, are left out.
- The feed holds the `[site] feed_items` (20) most recently changed notes, newest
  first (then by path), each with its description and tags.
- `robots.txt` lets every crawler in and names the sitemap. Crawlers read it only at a
  host's root: for a project site (`user.github.io/notes/`) it is the user site's
  that counts, and the sitemap can be submitted by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from notebook_runner import __version__
from notebook_runner.model import NoteSummary
from notebook_runner.publish.dates import file_times, written_time
from notebook_runner.render.job import SiteJob
from notebook_runner.render.meta import FEED_PATH
from notebook_runner.render.pages import RenderedNote
from notebook_runner.render.slugs import absolute_url

SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold even escaped (control characters, lone surrogates of
an undecodable file name): left out, or the whole feed would not parse."""


def feed_files(
    job: SiteJob,
    root: Path,
    rendered: Sequence[RenderedNote],
    items: int,
    epoch: int | None = None,
) -> dict[str, bytes]:
    """The three files by site path; {} without a base URL. `root`: the vault, whose
    files' times stand in for notes without a date; `epoch`: SOURCE_DATE_EPOCH."""
    base = job.settings.base_url
    if not base:
        return {}
    summaries = job.renderer.index.summaries
    times = _times(root, rendered, summaries, epoch)
    return {
        SITEMAP_PATH: sitemap(base, rendered, times).encode("utf-8"),
        FEED_PATH: feed(job, rendered, times, items).encode("utf-8"),
        ROBOTS_PATH: robots_txt(base).encode("utf-8"),
    }


def robots_txt(base: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(base, SITEMAP_PATH)}\n"


def _times(
    root: Path,
    rendered: Sequence[RenderedNote],
    summaries: Mapping[str, NoteSummary],
    epoch: int | None,
) -> dict[str, int]:
    """Page path -> when its note last changed (see `dates`)."""
    written = {page.path: written_time(summaries[page.path].date) for page in rendered}
    undated = [path for path, seconds in written.items() if seconds is None]
    found = file_times(root, undated, epoch)
    times = {}
    for page in rendered:
        seconds = written[page.path]
        if seconds is None:
            seconds = found.get(page.path)
        if seconds is not None:
            times[page.page] = seconds
    return times


def sitemap(base: str, rendered: Sequence[RenderedNote], times: Mapping[str, int]) -> str:
    """sitemaps.org 0.9: the index, then each indexed page in path order."""
    rows = [f"<url><loc>{_text(absolute_url(base, ''))}</loc></url>"]
    for page in rendered:
        if not page.indexed:
            continue
        seconds = times.get(page.page)
        lastmod = f"<lastmod>{_w3c(seconds)}</lastmod>" if seconds is not None else ""
        rows.append(f"<url><loc>{_text(absolute_url(base, page.page))}</loc>{lastmod}</url>")
    body = "\n".join(rows)
    return (
        f'{_XML}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n'
    )


def feed(
    job: SiteJob, rendered: Sequence[RenderedNote], times: Mapping[str, int], items: int
) -> str:
    """Atom 1.0 (RFC 4287): the feed's id, title, updated, author and self link, and
    for each entry its id, title, updated, link, summary and tags."""
    base, title = job.settings.base_url, job.settings.title
    summaries = job.renderer.index.summaries
    dated = [page for page in rendered if page.page in times]
    dated.sort(key=lambda page: (-times[page.page], page.path))
    entries = [_entry(base, page, summaries[page.path], times[page.page]) for page in dated[:items]]
    home = absolute_url(base, "")
    updated = max((times[page.page] for page in dated), default=0)
    head = [
        f"<id>{_text(home)}</id>",
        f"<title>{_text(title)}</title>",
        f"<updated>{_w3c(updated)}</updated>",
        f"<author><name>{_text(title)}</name></author>",
        f'<link rel="self" href={_attr(absolute_url(base, FEED_PATH))}/>',
        f'<link rel="alternate" type="text/html" href={_attr(home)}/>',
        f'<generator version="{__version__}">notebook-runner</generator>',
    ]
    body = "\n".join([*head, *entries])
    return f'{_XML}<feed xmlns="http://www.w3.org/2005/Atom">\n{body}\n</feed>\n'


def _entry(base: str, page: RenderedNote, summary: NoteSummary, seconds: int) -> str:
    url = absolute_url(base, page.page)
    parts = [
        f"<id>{_text(url)}</id>",
        f"<title>{_text(summary.title)}</title>",
        f"<updated>{_w3c(seconds)}</updated>",
        f'<link rel="alternate" type="text/html" href={_attr(url)}/>',
    ]
    if page.description:
        parts.append(f"<summary>{_text(page.description)}</summary>")
    parts += [f"<category term={_attr(tag)}/>" for tag in summary.tag_names]
    return "<entry>\n" + "\n".join(parts) + "\n</entry>"


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _w3c(seconds: int) -> str:
    """RFC 3339 in UTC, as Atom and sitemaps want."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
