"""Every id on a page is unique, and every in-page link finds its target, for notes
that imitate the ids the site makes up (issue 13 item 16: a heading `## Video 1` above
a `timestamp-url` gave two `id="video-1"`, and a click on a time left the page)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from notebook_runner.config import SiteConfig
from notebook_runner.pipeline import open_vault
from notebook_runner.publish.site import build_site

IMITATIONS = [
    "Video 1",
    "video-1-title",
    "Video 2",
    "ts 1",
    "Ts 2",
    "fn1",
    "fnref1",
    "fnN1",
    "L 12",
    "Content",
    "Search input",
    "Search results",
    "Outline title",
    "Links title",
    "Backlinks title",
    "E1 Intro",
    "e1-intro",
    "Intro",
    "Intro",
    "Intro 1",
    "",
    "Section",
    "^block",
]
CLASH = "\n".join(
    [
        "# Clash",
        "```timestamp-url",
        "https://www.youtube.com/watch?v=hBBOjCiFcuo",
        "```",
        *(
            f"## {text}\n\n```timestamp\n00:{number:02d}\n```\n"
            for number, text in enumerate(IMITATIONS)
        ),
        "Text with a footnote[^1] and another[^a], again[^1].",
        "",
        "A claim. ^block",
        "",
        "The same id again. ^block",
        "",
        "An id like a heading's. ^video-1",
        "",
        "```python",
        "x = 1",
        "```",
        "",
        "![[Other]]",
        "",
        "![[Other]]",
        "",
        "![[Other#Intro]]",
        "",
        "[^1]: First.",
        "[^a]: Second.",
        "",
    ]
)
OTHER = "## Intro\n\nEmbedded[^1]. ^block\n\n## Video 1\n\n```python\ny = 2\n```\n\n[^1]: Inner.\n"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name == "href" and value and value.startswith("#"):
                self.fragments.append(value[1:])


@pytest.fixture(scope="module")
def clash_page(tmp_path_factory: pytest.TempPathFactory) -> _Ids:
    root = tmp_path_factory.mktemp("vault")
    (root / "Clash.md").write_text(CLASH, encoding="utf-8")
    (root / "Other.md").write_text(OTHER, encoding="utf-8")
    workspace = open_vault(root, use_cache=False)
    sources = {source.path: source.text for source in workspace.loaded.sources}
    built = build_site(root, workspace.vault, sources, {}, SiteConfig(), jobs=1)
    parser = _Ids()
    parser.feed(built.files["clash.html"].decode("utf-8"))
    return parser


def test_every_id_on_the_page_is_unique(clash_page: _Ids) -> None:
    repeated = {name: count for name, count in Counter(clash_page.ids).items() if count > 1}
    assert repeated == {}
    assert len(clash_page.ids) > 60  # headings, players, times, footnotes, embeds, lines


def test_a_heading_named_like_a_player_keeps_its_slug_and_the_player_its_id(
    clash_page: _Ids,
) -> None:
    assert {"video-1", "Video-1", "ts-1", "Ts-1", "fn1", "fnN1"} <= set(clash_page.ids)


def test_every_in_page_link_finds_its_target(clash_page: _Ids) -> None:
    missing = sorted(set(clash_page.fragments) - set(clash_page.ids))
    assert missing == []
    assert len(clash_page.fragments) > 20  # the outline, footnotes and their back links


def test_an_embedded_section_keeps_the_footnotes_its_references_point_to(
    clash_page: _Ids,
) -> None:
    """`![[Other#Intro]]` showed `[1]` linking to a footnote it had cut away."""
    assert "fnE3-N1" in clash_page.ids


def test_repeated_headings_get_github_style_ids(clash_page: _Ids) -> None:
    """`Intro`, `Intro`, `Intro 1`: the third is `intro-1-1`, as GitHub numbers it."""
    assert {"intro", "intro-1", "intro-1-1", "section", "section-1"} <= set(clash_page.ids)
