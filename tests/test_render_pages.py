"""Note pages, asserted on their parsed HTML structure (not on substrings).

The seed note's page is checked element by element as issue 5 lists it; a small fixture
vault (tests/fixtures/site/vault) covers embeds, cycles, folding, sanitising, tags and
local video players.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import re
import shutil
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from page_support import Element, build_in_memory, parse_html

from notebook_runner.commands import build
from notebook_runner.config import SiteConfig
from notebook_runner.execute.results import BlockError, BlockResult, NoteResult
from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import Workspace, open_vault
from notebook_runner.publish.site import SiteBuild, build_site
from notebook_runner.render import pages
from notebook_runner.render.pages import SEARCH_TEXT_LIMIT, search_words
from notebook_runner.resolve import resolve_vault

REPO = Path(__file__).resolve().parent.parent
SEED_VAULT = REPO / "vault"
FIXTURE_VAULT = REPO / "tests" / "fixtures" / "site" / "vault"

# --- building ---------------------------------------------------------------------------


SEED_RESULT = NoteResult(
    "Lesson 3.md",
    "failed",
    (
        BlockResult(
            39,
            "failed",
            error=BlockError(
                "NameError",
                "name 'torch' is not defined",
                50,
                'Traceback (most recent call last):\n  File "Lesson 3.md", line 50\n',
            ),
        ),
        BlockResult(63, "not-run"),
    ),
)


@cache
def seed_site() -> tuple[Workspace, SiteBuild]:
    return build_in_memory(SEED_VAULT, {"Lesson 3.md": SEED_RESULT})


@cache
def fixture_site() -> tuple[Workspace, SiteBuild]:
    return build_in_memory(FIXTURE_VAULT, {})


def seed_body() -> Element:
    page = parse_html(seed_site()[1].files["lesson-3.html"])
    return page.one("div", "note-body")


def fixture_page(path: str) -> Element:
    return parse_html(fixture_site()[1].files[path])


# --- the seed note ------------------------------------------------------------------------


def test_seed_timestamps_are_real_links_to_the_moment() -> None:
    links = seed_body().all("a", "timestamp-link")
    assert [(a.text(), a.attrs["href"]) for a in links] == [
        ("▶ 12:34", "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=754s"),
        ("▶ 20:40", "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=1240s"),
    ]
    assert {a.attrs["data-player"] for a in links} == {"video-1"}
    assert [a.attrs["data-seconds"] for a in links] == ["754", "1240"]


def seed_page() -> Element:
    return parse_html(seed_site()[1].files["lesson-3.html"])


def test_seed_video_card_shows_stored_title_length_and_a_placeholder_player() -> None:
    """The demo vault commits the video's metadata (`vault/.notebook-runner/videos/`)."""
    card = seed_page().one("section", "video-card")
    assert card.one("h2", "video-title").text() == "Lesson 3: Neural net foundations"
    assert card.one("p", "video-meta").text() == "1:25:10 · Jeremy Howard"
    player = card.one("figure", "player")
    assert (player.attrs["id"], player.attrs["data-kind"], player.attrs["data-video-id"]) == (
        "video-1",
        "youtube",
        "hBBOjCiFcuo",
    )
    assert player.attrs["data-thumbnail"] == "https://i.ytimg.com/vi/hBBOjCiFcuo/maxresdefault.jpg"
    poster = player.one("div", "player-poster")
    assert [(p.attrs["class"], p.text()) for p in poster.all("p")] == [
        ("player-title", "Lesson 3: Neural net foundations"),
        ("player-length", "1:25:10"),
    ]
    assert player.all("a") == []  # the card's title links the video: its URL once


def test_seed_page_loads_nothing_remote_before_a_click() -> None:
    page = seed_page()
    assert page.all("iframe") == [] and page.all("img") == []
    assert [s.attrs["src"] for s in page.all("script")] == [
        "_static/search-index.js",
        "_static/site.js",
    ]


def test_seed_video_chapters_are_seek_links_of_its_player() -> None:
    chapters = seed_page().one("nav", "video-chapters")
    links = [
        (a.text(), a.attrs["href"], a.attrs["data-player"], a.attrs["data-seconds"])
        for a in chapters.all("a", "timestamp-link")
    ]
    watch = "https://www.youtube.com/watch?v=hBBOjCiFcuo"
    assert links == [
        ("▶ 0:00", f"{watch}&t=0s", "video-1", "0"),
        ("▶ 12:34", f"{watch}&t=754s", "video-1", "754"),
        ("▶ 20:40", f"{watch}&t=1240s", "video-1", "1240"),
    ]
    assert [item.text() for item in chapters.all("li")] == [
        "▶ 0:00 Introduction and survey",
        "▶ 12:34 Which image models are best?",
        "▶ 20:40 How does a neural net really work?",
    ]


def test_seed_timestamp_url_block_shows_nothing_once_its_player_is_in_the_card() -> None:
    """The card names and links the video; the block repeating its URL is left out."""
    body = seed_body()
    assert body.all("figure") == [] and body.all("p", "video-link") == []
    assert "youtube.com/watch" not in body.text()


def test_seed_sections_follow_their_timestamps() -> None:
    body = seed_body()
    first = [el.tag for el in body.all(data_section="ts-1")]
    second = [el.tag for el in body.all(data_section="ts-2")]
    assert first == ["p", "h3", "p"]
    assert second == ["p", "h3", "p", "p", "ol"]


def test_seed_callout() -> None:
    callout = seed_body().one(cls="callout")
    assert callout.tag == "div"
    assert callout.attrs["data-callout"] == "important"
    assert "callout-tip" in callout.classes
    assert callout.one(cls="callout-title-text").text() == "Important"
    content = callout.one("div", "callout-content")
    assert content.one("p").text().startswith("At the most basic level deep learning")


def test_seed_four_highlights() -> None:
    marks = [mark.text() for mark in seed_body().all("mark")]
    assert marks == ["Resnet18", "convnext", "fit functions to data", "gradient descent"]


def test_seed_unresolved_link_is_styled_not_a_broken_href() -> None:
    body = seed_body()
    unresolved = body.one("span", "unresolved")
    assert unresolved.text() == "Lesson 2"
    assert [a for a in body.all("a") if a.text() == "Lesson 2"] == []


def test_seed_code_is_highlighted_with_note_lines_and_name_error_at_50() -> None:
    first, second = seed_body().all("div", "code-block")
    lines = [span.attrs["id"] for span in first.all("span") if span.attrs.get("id")]
    assert lines == [f"L-{number}" for number in range(40, 61)]
    assert first.one("span", id="L-50").one("span", "hll")
    assert first.all("span", "k")  # Pygments token classes are present
    error = first.one("p", "result-error")
    assert error.text() == "NameError: name 'torch' is not defined (line 50)"
    assert error.one("a").attrs["href"] == "#L-50"
    assert second.one("p", "result-status").text() == "not run"


def test_seed_badge_properties_and_tags() -> None:
    page = parse_html(seed_site()[1].files["lesson-3.html"])
    badge = page.one("p", "badge")
    assert (badge.text(), badge.classes) == ("code: failed", ["badge", "badge-failed"])
    rows = [(row.one("th").text(), row.one("td").text()) for row in page.one("table").all("tr")]
    assert rows == [
        ("tags", "Code, Fast-ai, ML"),
        ("Web page", "https://course.fast.ai/Lessons/lesson3.html"),
        ("Video", "https://www.youtube.com/watch?v=hBBOjCiFcuo"),
    ]
    tags = [(a.text(), a.attrs["href"]) for a in page.one("ul", "tag-list").all("a")]
    assert tags == [
        ("#Code", "_tags/code.html"),
        ("#Fast-ai", "_tags/fast-ai.html"),
        ("#ML", "_tags/ml.html"),
    ]


def test_seed_video_outline_lists_sections() -> None:
    outline = parse_html(seed_site()[1].files["lesson-3.html"]).one("nav", "video-outline")
    items = [item.text() for item in outline.all("li")]
    assert items == ["▶ 12:34 Make a better pet detector", "▶ 20:40 What is in the model"]


def test_seed_backlinks_match_the_vault() -> None:
    workspace, site = seed_site()
    page = parse_html(site.files["lesson-3.html"])
    shown = [a.text() for a in page.one("section", "backlinks").all("a")]
    titles = {note.path: note.title for note in workspace.vault.notes}
    assert shown == [titles[path] for path in workspace.vault.backlinks["Lesson 3.md"]]


def test_seed_headings_have_parser_ids() -> None:
    workspace, _ = seed_site()
    note = next(n for n in workspace.vault.notes if n.path == "Lesson 3.md")
    ids = [el.attrs["id"] for el in seed_body().walk() if el.tag in ("h2", "h3", "h4")]
    assert ids == [heading.id for heading in note.headings]


# --- the fixture vault --------------------------------------------------------------------


def test_raw_html_is_sanitised() -> None:
    body = fixture_page("home.html").one("div", "note-body")
    assert body.all("script") == []
    assert [a.text() for a in body.all("a") if "javascript" in (a.attrs.get("href") or "")] == []
    assert body.one("a", href=None).text() == "bad link"
    assert [img for img in body.all("img") if img.attrs.get("alt") == "data image"] == []
    assert [frame.attrs.get("src") for frame in body.all("iframe")] == [
        "https://www.youtube.com/embed/aaaaaaaaaaa"
    ]
    kept = [el.tag for el in body.all() if el.tag in ("mark", "sub", "kbd")]
    assert kept == ["mark", "mark", "sub", "kbd"]
    assert all("onclick" not in el.attrs for el in body.walk())


def test_frontmatter_values_are_escaped() -> None:
    page = fixture_page("home.html")
    cell = page.one("table", "properties").all("td")[0]
    assert cell.text() == "Home <script>alert(1)</script>"
    assert page.all("script", src=None) == []


def test_folded_callout_is_details_and_nests() -> None:
    body = fixture_page("home.html").one("div", "note-body")
    folded = body.one("details", "callout")
    assert "open" not in folded.attrs
    assert folded.one("summary").text().strip() == "⚠Folded warning"
    nested = folded.one("div", "callout")
    assert nested.attrs["data-callout"] == "tip"
    assert nested.one("mark").text() == "highlight"


def test_comments_are_absent() -> None:
    assert b"private comment" not in fixture_site()[1].files["home.html"]


def test_heading_embed_transcludes_only_that_section() -> None:
    embed = fixture_page("home.html").one("div", "embed-note")
    headings = [(h.tag, h.attrs["id"], h.text()) for h in embed.all("h2")]
    assert headings == [("h2", "e1-kernel-size", "Kernel size")]
    assert embed.all(cls="timestamp") == []  # 1:02:03 introduces the next section
    assert embed.one("div", "embed-title").one("a").attrs["href"] == (
        "topics/convolutions.html#kernel-size"
    )


def test_embed_cycles_stop() -> None:
    page = fixture_page("cycle-a.html").one("div", "note-body")
    outer = page.one("div", "embed-note")
    cycle = outer.one("span", "embed-cycle")
    assert cycle.one("a").attrs["href"] == "cycle-a.html"


def test_wiki_links_point_at_pages_and_anchors() -> None:
    body = fixture_page("home.html").one("div", "note-body")
    first = body.all("p")[0]
    links = [(a.text(), a.attrs["href"]) for a in first.all("a", "internal-link")]
    assert links == [
        ("the convolutions note", "topics/convolutions.html"),
        ("Topics/Convolutions > Kernel size", "topics/convolutions.html#kernel-size"),
        ("Raw HTML", "#raw-html"),
    ]
    assert first.one("span", "unresolved").text() == "Missing Note"


def test_image_embed_size_and_only_used_files_are_copied() -> None:
    _, site = fixture_site()
    image = fixture_page("home.html").one("img", "embed")
    assert (image.attrs["src"], image.attrs["width"], image.attrs["height"]) == (
        "_files/media/diagram.png",
        "120",
        "80",
    )
    assert {name: path.name for name, path in site.copies.items()} == {
        "_files/media/diagram.png": "diagram.png",
        "_files/media/lecture.mp4": "lecture.mp4",
    }


def test_local_video_player_and_time_links() -> None:
    body = fixture_page("topics/convolutions.html").one("div", "note-body")
    video = body.one("video")
    assert (video.attrs["id"], video.attrs["src"]) == ("video-1", "../_files/media/lecture.mp4")
    links = [(a.attrs["href"], a.attrs["data-player"]) for a in body.all("a", "timestamp-link")]
    assert links == [
        ("../_files/media/lecture.mp4#t=5", "video-1"),
        ("../_files/media/lecture.mp4#t=3723", "video-1"),
    ]


def test_local_video_carries_the_note_timestamps_as_a_chapters_track() -> None:
    video = fixture_page("topics/convolutions.html").one("div", "note-body").one("video")
    track = video.one("track")
    assert (track.attrs["kind"], track.attrs["src"]) == (
        "chapters",
        "../_files/_chapters/topics/convolutions-video-1.vtt",
    )
    vtt = fixture_site()[1].files["_files/_chapters/topics/convolutions-video-1.vtt"]
    assert vtt.decode("utf-8") == (
        "WEBVTT\n\n"
        "chapter-1\n00:00:05.000 --> 01:02:03.000\nKernel size\n\n"
        "chapter-2\n01:02:03.000 --> 01:12:03.000\nPadding\n"
    )


def test_unreadable_video_metadata_leaves_the_player_in_the_body(tmp_path: Path) -> None:
    (tmp_path / "Two.md").write_text(TWO_VIDEOS, encoding="utf-8")
    store = tmp_path / ".notebook-runner" / "videos"
    store.mkdir(parents=True)
    (store / "Youtube-hBBOjCiFcuo.json").write_text("{not json", encoding="utf-8")
    workspace, site = build_in_memory(tmp_path, {})
    page = parse_html(site.files["two.html"])
    assert page.all("section", "video-card") == []
    assert len(page.one("div", "note-body").all("figure", "player")) == 2
    assert [d.code for d in workspace.diagnostics] == ["bad-video-metadata"]


def test_notes_differing_in_punctuation_get_separate_pages() -> None:
    _, site = fixture_site()
    pages = sorted(name for name in site.files if name.startswith("topics/"))
    assert pages[0].startswith("topics/convolutions-") and pages[1] == "topics/convolutions.html"


def test_math_is_mathml_and_bad_math_is_reported() -> None:
    body = fixture_page("home.html").one("div", "note-body")
    assert body.one("math").attrs["display"] == "inline"
    assert body.one("code", "math-error").text() == "$\\frac{$"
    assert fixture_site()[1].diagnostics == (
        Diagnostic(
            "Home.md", 24, "warning", "bad-math", "math could not be rendered; shown as written"
        ),
    )


def test_task_lists_and_footnotes() -> None:
    body = fixture_page("home.html").one("div", "note-body")
    boxes = body.all("input", type="checkbox")
    assert ["checked" in box.attrs for box in boxes] == [False, True]
    assert body.one("section", "footnotes").one("li").text().startswith("The footnote text.")


def test_nested_tag_pages() -> None:
    vision = fixture_page("_tags/ml/vision.html")
    assert [a.text() for a in vision.one("main").all("a", "internal-link")] == [
        "Convolutions",
        "Home",
    ]
    parent = fixture_page("_tags/ml.html")
    hrefs = [a.attrs["href"] or "" for a in parent.one("main").all("a", "tag")]
    assert [urljoin("https://site/_tags/ml.html", href) for href in hrefs] == [
        "https://site/_tags/ml/vision.html"
    ]


def test_index_lists_folders_recent_and_all_notes() -> None:
    index = fixture_page("index.html").one("main")
    folder = index.one("li", "tree-folder")
    assert folder.one("summary").text() == "Topics"
    assert [a.text() for a in folder.all("a")] == ["Convolutions", "convolutions!"]
    recent = index.one("section", aria_labelledby="recent-title")
    assert [li.text() for li in recent.all("li")] == ["Home May 1, 2024"]  # the site's language
    assert recent.one("time").attrs["datetime"] == "2024-05-01"
    alphabetical = index.one("ul", "alphabetical")
    assert [a.text() for a in alphabetical.all("a")] == [
        "Convolutions",
        "convolutions!",
        "Cycle A",
        "Cycle B",
        "Home",
    ]


def test_search_index_holds_titles_headings_tags_and_text() -> None:
    script = fixture_site()[1].files["_static/search-index.js"].decode()
    prefix = "window.NOTEBOOK_RUNNER_SEARCH = "
    assert script.startswith(prefix) and script.endswith(";\n")
    entries = {entry["url"]: entry for entry in json.loads(script[len(prefix) : -2])}
    home = entries["home.html"]
    assert (home["title"], home["headings"], home["tags"]) == (
        "Home",
        ["Welcome", "Raw HTML"],
        ["start", "ML/vision"],
    )
    assert {"note", "does", "not", "exist"} <= set(home["text"].split())


def test_pages_have_valid_nesting_and_no_unclosed_elements() -> None:
    for name, data in fixture_site()[1].files.items():
        if name.endswith(".html"):
            parse_html(data)  # raises on stray or unclosed tags


@pytest.mark.parametrize("page", ["404.html", "index.html"])
def test_site_pages_link_home(page: str) -> None:
    header = fixture_page(page).one("header", "site-header")
    assert header.one("a", "site-title").attrs["href"] == "index.html"


TWO_VIDEOS = """---
video: https://vimeo.com/76979871
---
```timestamp-url
https://www.youtube.com/watch?v=hBBOjCiFcuo
```
```timestamp
0:10
```
## Part one

```timestamp-url
https://youtu.be/aaaaaaaaaaa
```
```timestamp
0:20
```
## Part two
"""
FRONTMATTER_VIDEO = """---
video: https://vimeo.com/76979871
---
```timestamp
1:00
```
## Intro
"""


def test_each_timestamp_url_block_gets_its_own_player(tmp_path: Path) -> None:
    (tmp_path / "Two.md").write_text(TWO_VIDEOS, encoding="utf-8")
    _, site = build_in_memory(tmp_path, {})
    body = parse_html(site.files["two.html"]).one("div", "note-body")
    figures = body.all("figure", "player")
    assert [f.attrs["data-video-id"] for f in figures] == ["hBBOjCiFcuo", "aaaaaaaaaaa"]
    first, second = (f.attrs["id"] for f in figures)
    assert first != second
    links = [(a.attrs["data-player"], a.attrs["href"]) for a in body.all("a", "timestamp-link")]
    assert links == [
        (first, "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=10s"),
        (second, "https://youtu.be/aaaaaaaaaaa?t=20"),
    ]


def test_frontmatter_video_gets_a_player_above_the_body(tmp_path: Path) -> None:
    (tmp_path / "Talk.md").write_text(FRONTMATTER_VIDEO, encoding="utf-8")
    _, site = build_in_memory(tmp_path, {})
    article = parse_html(site.files["talk.html"]).one("article")
    player = article.one("figure", "player")
    assert (player.attrs["data-kind"], player.attrs["data-video-id"]) == ("vimeo", "76979871")
    assert article.one("div", "note-body").all("figure") == []
    link = article.one("div", "note-body").one("a", "timestamp-link")
    assert (link.attrs["href"], link.attrs["data-player"]) == (
        "https://vimeo.com/76979871#t=60s",
        player.attrs["id"],
    )


@pytest.mark.slow
def test_seed_page_shows_the_real_check_result(tmp_path: Path) -> None:
    """`build --execute` runs the seed note's code and shows its real NameError."""
    vault = tmp_path / "vault"
    shutil.copytree(SEED_VAULT, vault, ignore=shutil.ignore_patterns(".notebook-runner"))
    parser = argparse.ArgumentParser()
    build.register(parser.add_subparsers())
    args = parser.parse_args(["build", str(vault), "-o", str(tmp_path / "site"), "--execute"])
    assert args.handler(args, io.StringIO(), io.StringIO()) == 0
    page = parse_html((tmp_path / "site" / "lesson-3.html").read_bytes())
    first, second = page.one("div", "note-body").all("div", "code-block")
    error = first.one("p", "result-error")
    assert error.text() == "NameError: name 'torch' is not defined (line 50)"
    assert first.one("span", id="L-50").one("span", "hll")
    assert second.one("p", "result-status").text() == "not run"
    assert page.one("p", "badge").text() == "code: failed"


def test_only_python_blocks_get_a_result_box(tmp_path: Path) -> None:
    (tmp_path / "Mixed.md").write_text(
        "```bash\nls\n```\n\n```\nplain\n```\n\n```python\nx = 1\n```\n", encoding="utf-8"
    )
    _, site = build_in_memory(tmp_path, {})
    blocks = parse_html(site.files["mixed.html"]).one("div", "note-body").all("div", "code-block")
    assert [(b.attrs.get("data-lang"), len(b.all("div", "result"))) for b in blocks] == [
        ("bash", 0),
        (None, 0),
        ("python", 1),
    ]


def test_results_show_stdout_value_and_figures_as_files() -> None:
    workspace = open_vault(FIXTURE_VAULT, use_cache=False)
    note = next(n for n in workspace.vault.notes if n.path == "Topics/Convolutions.md")
    block = note.code_blocks[0]
    png = b"\x89PNG\r\n\x1a\nfake"
    result = BlockResult(
        block.line,
        "passed",
        stdout="9\n",
        value="'done'",
        figures=(base64.b64encode(png).decode(),),
    )
    _, site = build_in_memory(
        FIXTURE_VAULT, {note.path: NoteResult(note.path, "passed", (result,))}
    )
    page = parse_html(site.files["topics/convolutions.html"])
    shown = page.one("div", "note-body").one("div", "result")
    assert shown.classes == ["result", "result-passed"]
    assert shown.one("p", "result-status").text() == "passed"
    assert shown.one("pre", "result-stdout").text() == "9\n"
    assert shown.one("pre", "result-value").text() == "'done'"
    figure = shown.one("img", "result-figure").attrs["src"] or ""
    assert figure.startswith("../_files/_figures/") and figure.endswith(".png")
    assert site.files[figure.removeprefix("../")] == png
    assert page.one("p", "badge").text() == "code: passed"


# --- robustness ---------------------------------------------------------------------------

FUZZ_FRAGMENTS = [
    "```timestamp\n12:34\n```\n",
    "```timestamp-url\nhttps://youtu.be/hBBOjCiFcuo\n```\n",
    "```python\nprint(1)\n```\n",
    "```",
    "[[Other]]",
    "[[Other#Head|alias]]",
    "![[Other]]",
    "![[Self]]",
    "![[Other#Head]]",
    "![[pic.png|10x10]]",
    "![[clip.mp4]]",
    "==mark==",
    "%%hidden%%",
    "%%\n",
    "> [!tip]- Title\n> body\n",
    "> > [!note]\n",
    "$x^2$",
    "$$\\frac{a}{b}$$\n",
    "$\\frac{$",
    "#tag ",
    "# Head\n",
    "## Head\n",
    "---\ntitle: x\n---\n",
    "<div onclick='x'>",
    "</div>",
    "<script>alert(1)</script>",
    "<iframe src='https://evil'></iframe>",
    "[x](javascript:alert(1))",
    "- [ ] task\n",
    "[^1]\n\n[^1]: note\n",
    "| a | b |\n|---|---|\n| [[Other\\|x]] | ![[Other]] |\n",
    "^block-1\n",
    "\t- nested\n",
    "\n",
    " ",
    "text",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FUZZ_FRAGMENTS), max_size=25), st.text(max_size=40))
def test_any_note_renders_to_balanced_html(fragments: list[str], noise: str) -> None:
    text = "".join(fragments) + noise
    notes = [
        parse_note(SourceFile("Self.md", text))[0],
        parse_note(SourceFile("Other.md", "# Head\n![[Self]]\n"))[0],
    ]
    vault, _ = resolve_vault(notes, ["pic.png", "clip.mp4"])
    sources = {"Self.md": text, "Other.md": "# Head\n![[Self]]\n"}
    site = build_site(Path("."), vault, sources, {}, SiteConfig())
    for name in ("self.html", "other.html", "index.html"):
        page = parse_html(site.files[name])
        assert page.all("script", src=None) == []


def test_search_words_are_unique_lowercase_and_capped() -> None:
    assert search_words(["The cat saw", "the Cat again"]) == "the cat saw again"
    many = search_words([" ".join(f"word{n}" for n in range(2000))])
    assert len(many) <= SEARCH_TEXT_LIMIT and many.endswith(many.split()[-1])
    assert all(word.startswith("word") for word in many.split())


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), max_size=8))
def test_search_words_are_the_words_of_the_whole_text_in_order(texts: list[str]) -> None:
    """Cutting words out of the distinct pieces gives what a scan of the whole text gives
    (casefolding included: `İ` folds to `i` and a combining dot, which is no word)."""
    words = dict.fromkeys(re.findall(r"\w+", " ".join(texts).casefold()))
    expected = " ".join(words)
    if len(expected) > SEARCH_TEXT_LIMIT:
        expected = expected[: SEARCH_TEXT_LIMIT + 1].rpartition(" ")[0]
    assert search_words(texts) == expected


def test_seed_notebook_carries_the_stored_results_as_outputs() -> None:
    page = seed_page()
    link = page.one("a", "notebook-download")
    assert link.attrs["href"] == "_files/notebooks/lesson-3.ipynb"
    notebook = json.loads(seed_site()[1].files["_files/notebooks/lesson-3.ipynb"])
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert [[output["output_type"] for output in cell["outputs"]] for cell in code] == [
        ["error"],
        [],
    ]
    assert code[0]["outputs"][0]["ename"] == "NameError"


def test_every_kind_of_property_value_is_written_escaped() -> None:
    """Lists, mappings, booleans, empty values and web addresses each have their form;
    any text in them, keys included, is escaped."""
    frontmatter = {
        "tags": ["a<b", "c&d"],
        "<key>": {"x&y": 1, "z": [True, None]},
        "source": 'https://example.org/?q="x"&y=<1>',
        "not a link": "ftp://example.org/file",
        "done": False,
        "empty": None,
        "spaced link": "https://example.org/a b",
    }
    cells = {row["key"]: str(row["value"]) for row in pages._properties(frontmatter)}
    assert cells == {
        "tags": "a&lt;b, c&amp;d",
        "<key>": "x&amp;y: 1, z: true, ",
        "source": '<a class="external-link" href="https://example.org/?q=&#34;x&#34;&amp;y=&lt;1&gt;">'
        "https://example.org/?q=&#34;x&#34;&amp;y=&lt;1&gt;</a>",
        "not a link": "ftp://example.org/file",
        "done": "false",
        "empty": "",
        "spaced link": "https://example.org/a b",
    }


def test_a_tag_typed_decomposed_links_to_the_tag_page_of_its_composed_twin(
    tmp_path: Path,
) -> None:
    """macOS keeps names decomposed (NFD) while most notes are typed composed: Obsidian
    counts `#café` written either way as one tag, with one page, and so do ours."""
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    (tmp_path / "A.md").write_text(f"---\ntags: [{composed}]\n---\nText #{composed}\n")
    (tmp_path / "B.md").write_text(f"---\ntags: [{decomposed}]\n---\nText #{decomposed}\n")
    workspace, site = build_in_memory(tmp_path, {})
    assert list(workspace.vault.tags) == [composed]
    for page in ("a.html", "b.html"):
        html = parse_html(site.files[page])
        header_tags = [a.attrs["href"] for a in html.one("ul", "tag-list").all("a", "tag")]
        body_tags = [a.attrs["href"] for a in html.one("div", "note-body").all("a", "tag")]
        expected = ["_tags/caf%C3%A9.html"]  # the composed spelling, seen first
        assert (header_tags, body_tags) == (expected, expected), page


def test_emoji_tags_keep_their_tag_tree(tmp_path: Path) -> None:
    """A vault tagging by emoji prefixes (`🔴-academic/lecture`) gets its tag pages and
    the nested tree, from frontmatter and inline tags alike, with no warning."""
    (tmp_path / "A.md").write_text("---\ntags: [🔴-academic/lecture]\n---\nSee #📚-reading.\n")
    (tmp_path / "B.md").write_text("Also #🔴-academic/lecture, and #📚-reading.\n")
    workspace, site = build_in_memory(tmp_path, {})
    assert workspace.diagnostics == ()
    assert sorted(workspace.vault.tags) == ["📚-reading", "🔴-academic", "🔴-academic/lecture"]
    parent = parse_html(site.files["_tags/academic.html"]).one("main")
    assert [a.text() for a in parent.all("a", "tag")] == ["#🔴-academic/lecture"]
    child = parse_html(site.files["_tags/academic/lecture.html"]).one("main")
    assert [a.text() for a in child.all("a", "internal-link")] == ["A", "B"]


@pytest.mark.parametrize(
    ("line", "transcluded", "paragraph_kept"),
    [
        ("![[Other]]", True, False),
        ("![[Other]] \n![[Other#Head]]", True, False),
        ("![[Other]] and words", False, True),
        ("words ![[Other]]", False, True),
        ("![[Other]] ![[pic.png]]", False, True),
        ("![[Other]] ![[Nowhere]]", False, True),
        ("![[Other]] *em*", False, True),
        ("[[Other]]", False, True),
    ],
)
def test_a_paragraph_of_note_embeds_alone_becomes_transclusions(
    line: str, transcluded: bool, paragraph_kept: bool
) -> None:
    sources = {"Self.md": f"{line}\n", "Other.md": "# Head\n- a tight list, no paragraph\n"}
    notes = [parse_note(SourceFile(path, text))[0] for path, text in sources.items()]
    vault, _ = resolve_vault(notes, ["pic.png"])
    page = parse_html(build_site(Path("."), vault, sources, {}, SiteConfig()).files["self.html"])
    body = page.one("div", "note-body")
    assert bool(body.all("div", "embed-note")) is transcluded
    assert bool(body.all("p")) is paragraph_kept
