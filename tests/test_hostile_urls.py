"""Hostile URLs in notes and in stored video metadata never become an `href` or `src`.

Issue 13, item 1: a `timestamp-url` block holding `javascript:alert(document.domain)//.mp4`
built into `<a class="timestamp-link" href="javascript:...#t=10">`. The model refuses such
addresses where they become video references (a `timestamp-bad-url` error), and every
sink refuses them again; the property test puts generated hostile URLs in every place a
note can hold one and reads every attribute of every page as a browser would.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.notebooks.export import NotebookLinks, note_notebook
from notebook_runner.parse import parse_note
from notebook_runner.publish.listings import PageMemo, listing_pages
from notebook_runner.publish.site import SiteBuild, assemble
from notebook_runner.render.job import new_job
from notebook_runner.render.pages import SiteSettings
from notebook_runner.render.state import PageState
from notebook_runner.render.timestamps import player_html, timestamp_paragraph, video_cards
from notebook_runner.render.videos import Player
from notebook_runner.resolve import resolve_vault
from notebook_runner.video import (
    Chapter,
    StoreError,
    VideoInfo,
    VideoStore,
    info_from_ytdlp,
    recognise,
    timestamp_from_link,
    with_link_timestamps,
)

YOUTUBE = "https://www.youtube.com/watch?v=hBBOjCiFcuo"
HINT = "put the video's URL (https://...) or a video file on the line inside the block"
HOSTILE_NOTE = """# Evil

```timestamp-url
javascript:alert(document.domain)//.mp4
```

```timestamp
0:10
```
## Part

```timestamp-url
[L](javascript:alert(1)//x.mp4)
```

```timestamp
0:20
```
## Two
"""

# --- reading attributes as a browser does (the test's own reading, not the code's) ------

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "data-thumbnail", "action", "formaction"})
_AROUND = "".join(chr(code) for code in range(0x21))


def browser_scheme(value: str) -> str:
    """The scheme a browser reads in an attribute value (already entity-decoded): "" for a
    relative reference, "//" for a protocol-relative one, "file://host" for a file URL
    that names another computer."""
    text = re.sub(r"[\t\n\r]", "", value.strip(_AROUND))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    if scheme is None:
        return "//" if re.match(r"[/\\]{2}", text) else ""
    name = scheme.group(1).lower()
    host = re.match(r"file:[/\\]{2}([^/\\?#]*)", text, re.IGNORECASE)
    if name == "file" and host and host.group(1).lower() not in ("", "localhost"):
        return "file://host"
    return name


ALLOWED_SCHEMES = frozenset({"", "http", "https", "mailto", "file"})


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                self.found.append((tag, name, value))


def url_attributes(page: bytes) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.found


def refused_attributes(site: Mapping[str, bytes]) -> list[tuple[str, str, str, str]]:
    return [
        (name, tag, attribute, value)
        for name, data in site.items()
        if name.endswith(".html")
        for tag, attribute, value in url_attributes(data)
        if browser_scheme(value) not in ALLOWED_SCHEMES
    ]


def hostile_destinations(markdown: str) -> Counter[str]:
    """The link and image destinations of `markdown` a browser must not get, read by a
    front end that checks nothing (Jupyter and Colab do sanitise; not every viewer does)."""
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return Counter(
        str(value)
        for block in md.parse(markdown)
        for token in block.children or ()
        for value in (token.attrGet("href"), token.attrGet("src"))
        if value is not None and browser_scheme(str(value)) not in ALLOWED_SCHEMES
    )


def added_hostile_links(note: str, cells: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """Hostile destinations the notebook's Markdown cells hold beyond those the note's
    own text already held as written (text markdown-it did not take for a link, such as
    `[x](vbscript:...)`, is exported as the author wrote it): the exporter must add none."""
    markdown = "\n\n".join(
        "".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"
    )
    return hostile_destinations(markdown) - hostile_destinations(note)


# --- building pages in memory --------------------------------------------------------------


def build_pages(files: Mapping[str, str], videos: Mapping[str, VideoInfo] = {}) -> SiteBuild:
    """The site of `files`, parsed and resolved as `build` does; `videos`: stored
    metadata handed to the pages as is (as if a tampered file had been read)."""
    notes = [with_link_timestamps(parse_note(SourceFile(p, t))[0]) for p, t in files.items()]
    vault, _ = resolve_vault(notes, ["lecture.mp4"])
    notes_by_path = {note.path: note for note in vault.notes}
    job = new_job(vault.map(), notes_by_path, dict(files), {}, SiteSettings(), videos)
    rendered = job.render(list(notes_by_path))
    return assemble(job, Path("."), rendered, listing_pages(job, PageMemo(job.env)))


# --- the reported case ----------------------------------------------------------------------


def test_a_javascript_timestamp_url_is_an_error_at_its_block() -> None:
    _, problems = parse_note(SourceFile("Evil.md", HOSTILE_NOTE))
    shown = "it is shown as text, never linked or played"
    assert problems == [
        Diagnostic(
            "Evil.md",
            4,
            "error",
            "timestamp-bad-url",
            "timestamp-url address 'javascript:alert(document.domain)//.mp4' uses the "
            f"javascript: scheme: {shown}",
            HINT,
        ),
        Diagnostic(
            "Evil.md",
            13,
            "error",
            "timestamp-bad-url",
            f"timestamp-url address '[L](javascript:alert(1)//x.mp4)' uses the javascript: "
            f"scheme: {shown}",
            HINT,
        ),
    ]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("\x01javascript:alert(1)//x.mp4", "uses the javascript: scheme"),
        ("&#106;avascript:alert(1)//x.mp4", "uses the javascript: scheme"),
        ("data:video/mp4;base64,AAAA", "uses the data: scheme"),
        ("//evil.example/x.mp4", "starts with // (no scheme)"),
        ("file://evil.example/share/x.mp4", "is a file:// URL on another computer (evil.example)"),
        ("C:\\videos\\x.mp4", "is a Windows drive path"),
    ],
)
def test_obfuscated_and_ambiguous_video_addresses_are_errors(address: str, reason: str) -> None:
    text = f"```timestamp-url\n{address}\n```\n"
    _, problems = parse_note(SourceFile("N.md", text))
    message = (
        f"timestamp-url address {address!r} {reason}: it is shown as text, never linked or played"
    )
    assert problems == [Diagnostic("N.md", 2, "error", "timestamp-bad-url", message, HINT)]


def test_the_hostile_block_is_inert_text_and_its_timestamps_link_nowhere() -> None:
    page = build_pages({"Evil.md": HOSTILE_NOTE}).files["evil.html"].decode("utf-8")
    assert "timestamp-link" not in page
    assert "<figure" not in page
    assert '<p class="video-link">javascript:alert(document.domain)//.mp4</p>' in page
    assert page.count('<span class="timestamp-time">▶ 0:10</span>') == 2  # body and outline
    assert "javascript" not in " ".join(value for _, _, value in url_attributes(page.encode()))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)//x.mp4",
        "\x01javascript:alert(1)//x.mp4",
        "&#106;avascript:alert(1)//x.mp4",
        "//evil.example/x.mp4",
        "\\\\evil.example\\x.mp4",
        "file://evil.example/x.mp4",
        "C:\\videos\\lesson3.webm",
    ],
)
def test_addresses_a_browser_must_not_get_are_never_videos(url: str) -> None:
    source = recognise(url)
    assert (source.kind, source.is_video) == ("unknown", False)
    assert timestamp_from_link(url, "12:34") is None


# --- stored metadata ---------------------------------------------------------------------------


def test_stored_metadata_with_a_script_thumbnail_is_reported_unreadable(tmp_path: Path) -> None:
    source = recognise(YOUTUBE)
    store = VideoStore(tmp_path)
    store.save(source, info_from_ytdlp(source, {"title": "T"}, "2026-01-01T00:00:00"))
    entry = store.path_for(source)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["thumbnail"] = "javascript:alert(1)"
    entry.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError, match=r'^"thumbnail" must be an http\(s\) URL or null$'):
        VideoStore(tmp_path).load(source)


def test_fetched_metadata_keeps_only_a_web_thumbnail() -> None:
    source = recognise(YOUTUBE)
    info = {
        "thumbnail": "javascript:alert(1)",
        "thumbnails": [{"url": "https://i.ytimg.com/a.jpg"}, {"url": "data:image/png,x"}],
    }
    assert info_from_ytdlp(source, info, "now").thumbnail == "https://i.ytimg.com/a.jpg"


# --- the sinks, when something slips past the model -----------------------------------------


def _page_with(player: Player) -> PageState:
    note = parse_note(SourceFile("N.md", "```timestamp\n0:10\n```\n"))[0]
    return PageState(note=note, page="n.html", players={player.url: player}, sections={})


SLIPPED = "\x01javascript:alert(1)//x.mp4"


@pytest.mark.parametrize(
    "player",
    [
        Player("video-1", SLIPPED, "link", None, SLIPPED, False),
        Player("video-1", SLIPPED, "file", None, SLIPPED, False),
        Player("video-1", SLIPPED, "youtube", "hBBOjCiFcuo", SLIPPED, False),
    ],
)
def test_sinks_refuse_a_hostile_player_that_reached_the_page(player: Player) -> None:
    page = _page_with(player)
    [stamp] = page.note.timestamps  # plays the page's only player
    chapters = (Chapter(5.0, 9.0, "c"),)
    info = VideoInfo("x", None, SLIPPED, "T", None, 100.0, chapters, SLIPPED, "now")
    [card] = video_cards(page, {recognise(SLIPPED).key: info})
    written = timestamp_paragraph(1, stamp, page) + player_html(player, page, info)
    attributes = url_attributes((written + card["player"]).encode())
    assert [value for _, _, value in attributes if "javascript" in value] == []
    assert card["url"] is None
    assert [chapter["href"] for chapter in card["chapters"]] == [None]


# --- every position, generated ----------------------------------------------------------------

_SCRIPTS = ["alert(document.domain)//.mp4", "void(window.__pwned=1)//x.mp4"]


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["scheme", "scheme", "scheme", "network", "file", "drive"]))
    if kind == "network":
        return draw(st.sampled_from(["//", "\\\\", "/\\", "\\/"])) + "evil.example/x.mp4"
    if kind == "file":
        return draw(st.sampled_from(["file://evil.example/", "FILE:\\\\evil.example\\"])) + "x.mp4"
    if kind == "drive":
        return "C:\\videos\\x.mp4"
    name = draw(st.sampled_from(["javascript", "vbscript", "data"]))
    name = "".join(c.upper() if draw(st.booleans()) else c for c in name)
    if draw(st.booleans()):
        cut = draw(st.integers(1, len(name) - 1))
        name = name[:cut] + draw(st.sampled_from(["\t", "&#9;", "&Tab;", "&#x09;"])) + name[cut:]
    if name[0] in "jJ" and draw(st.booleans()):
        name = draw(st.sampled_from(["&#106;", "&#x6A;", "&#0000106"])) + name[1:]
    prefix = draw(st.sampled_from(["", " ", "\x01", "\x1f", "\x00", " \x0b"]))
    return f"{prefix}{name}:{draw(st.sampled_from(_SCRIPTS))}"


TIMESTAMP = "\n```timestamp\n0:10\n```\n## A\n"
POSITIONS: dict[str, Callable[[str], str]] = {
    "timestamp-url": lambda u: f"```timestamp-url\n{u}\n```\n{TIMESTAMP}",
    "timestamp-url link": lambda u: f"```timestamp-url\n[L]({u})\n```\n{TIMESTAMP}",
    "timestamp-url embed": lambda u: f"```timestamp-url\n![[{u}]]\n```\n{TIMESTAMP}",
    "frontmatter": lambda u: (
        f"---\nvideo: {json.dumps(u)}\nurl: {json.dumps(u)}\nsource: {json.dumps(u)}\n---\n"
        f"{TIMESTAMP}"
    ),
    "time link": lambda u: f"# T\n\n[12:34]({u}) and [12:34](<{u}>)\n",
    "video embed": lambda u: f"![talk]({u})\n{TIMESTAMP}",
    "markdown": lambda u: f"[x]({u}) ![y]({u}) <{u}> [z][r]\n\n[r]: <{u}>\n",
    "raw html": lambda u: (
        f'<a href="{html.escape(u)}">x</a> <img src="{html.escape(u)}" alt="i">'
        f' <video src="{html.escape(u)}" poster="{html.escape(u)}"></video>\n'
    ),
    "wiki embed": lambda u: f"![[{u}]] [[{u}]]\n",
}
CODE = "\n```python\nx = 1\n```\n"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_urls(), st.sampled_from(sorted(POSITIONS)))
def test_no_page_or_notebook_gets_a_hostile_url_in_any_position(url: str, position: str) -> None:
    note = POSITIONS[position](url) + CODE
    good = f"```timestamp-url\n{YOUTUBE}\n```\n{TIMESTAMP}"
    tampered = VideoInfo(
        "Youtube", "hBBOjCiFcuo", url, "T", None, 100.0, (Chapter(5.0, 9.0, "c"),), url, "now"
    )
    site = build_pages({"Evil.md": note, "Good.md": good}, {recognise(YOUTUBE).key: tampered})
    assert refused_attributes(site.files) == []
    notebooks = [data for name, data in site.files.items() if name.endswith(".ipynb")]
    assert notebooks
    for data in notebooks:
        assert added_hostile_links(note, json.loads(data)["cells"]) == Counter()


@settings(max_examples=30, deadline=None)
@given(hostile_urls(), st.sampled_from(["ipynb", "py:percent", "md:myst"]))
def test_exported_notebooks_link_no_hostile_url(url: str, fmt: str) -> None:
    text = POSITIONS["timestamp-url"](url) + POSITIONS["time link"](url) + CODE
    note = with_link_timestamps(parse_note(SourceFile("Evil.md", text))[0])
    vault, _ = resolve_vault([note])
    notes = {n.path: n for n in vault.notes}
    exported = note_notebook(notes["Evil.md"], text, NotebookLinks(notes, fmt), ())
    assert added_hostile_links(text, exported.cells) == Counter()
