"""Pages of notes written as real vaults write them (issue 14): what Obsidian shows, the
site shows, with no warning Obsidian would not give."""

from __future__ import annotations

import json
from pathlib import Path

from page_support import Element, build_in_memory, parse_html


def _page(tmp_path: Path, name: str, text: str) -> tuple[list[str], str]:
    """The page of one note and the codes of every problem the build found."""
    (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    workspace, site = build_in_memory(tmp_path, {})
    page = site.files[f"{name.lower()}.html"].decode("utf-8")
    codes = [d.code for d in (*workspace.diagnostics, *site.diagnostics)]
    return codes, page


def test_display_math_right_under_a_line_of_text(tmp_path: Path) -> None:
    codes, page = _page(tmp_path, "Loss", "The loss is:\n$$\nL = \\sum_i x_i^2\n$$\nso it grows.\n")
    body = parse_html(page).one("div", "note-body")
    assert [p.text() for p in body.all("p")] == ["The loss is:", "so it grows."]
    assert body.one("math").attrs["display"] == "block"
    assert "$" not in body.text()
    assert codes == []


LINES = (
    "# Lecture\n\nThe model has an architecture\n1:01 structure of the layers\n\n"
    "```python\nx = 1\n```\n"
)


def _paragraph_and_cell(tmp_path: Path, app_json: str | None) -> tuple[Element, str]:
    """The page's paragraph and the Markdown of its notebook's cell."""
    if app_json is not None:
        (tmp_path / ".obsidian").mkdir()
        (tmp_path / ".obsidian" / "app.json").write_text(app_json)
    (tmp_path / "Lecture.md").write_text(LINES, encoding="utf-8")
    _, site = build_in_memory(tmp_path, {})
    paragraph = parse_html(site.files["lecture.html"]).one("div", "note-body").all("p")[0]
    notebook = json.loads(site.files["_files/notebooks/lecture.ipynb"])
    return paragraph, "".join(notebook["cells"][0]["source"])


def test_single_line_breaks_show_as_in_obsidian(tmp_path: Path) -> None:
    """Obsidian's default: the lines of a paragraph stay lines, on the page and in the
    notebook (a hard break, since Jupyter joins them otherwise)."""
    paragraph, cell = _paragraph_and_cell(tmp_path, None)
    assert [c.tag if isinstance(c, Element) else c for c in paragraph.children] == [
        "The model has an architecture",
        "br",
        "\n1:01 structure of the layers",
    ]
    assert cell == "# Lecture\n\nThe model has an architecture\\\n1:01 structure of the layers"


def test_strict_line_breaks_join_the_lines(tmp_path: Path) -> None:
    paragraph, cell = _paragraph_and_cell(tmp_path, '{"strictLineBreaks": true}')
    assert paragraph.children == ["The model has an architecture\n1:01 structure of the layers"]
    assert cell == "# Lecture\n\nThe model has an architecture\n1:01 structure of the layers"


def test_a_notes_own_title_heading_is_shown_once(tmp_path: Path) -> None:
    """`# Gradient Descent` atop `Gradient Descent.md` is the title the header shows:
    once on the page, with the heading's id for links to it."""
    (tmp_path / "Gradient Descent.md").write_text(
        "---\ntags: [ml]\n---\n# Gradient descent\n\nStep.\n"
    )
    (tmp_path / "Other.md").write_text(
        "# Convolutions explained\n\n[[Gradient Descent#Gradient descent]]\n"
    )
    _, site = build_in_memory(tmp_path, {})
    page = parse_html(site.files["gradient-descent.html"])
    assert [(h.attrs.get("id"), h.text()) for h in page.all("h1")] == [
        ("gradient-descent", "Gradient Descent")
    ]
    other = parse_html(site.files["other.html"])
    assert [h.text() for h in other.all("h1")] == ["Other", "Convolutions explained"]
    link = other.one("div", "note-body").one("a", "internal-link")
    assert link.attrs["href"] == "gradient-descent.html#gradient-descent"


def test_a_tag_is_spelled_one_way_on_notes_index_and_tag_page(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("---\ntags: [ML]\n---\nText.\n")
    (tmp_path / "B.md").write_text("---\ntags: [ml, ml/Vision]\n---\nAs written: #Ml\n")
    _, site = build_in_memory(tmp_path, {})

    def names(page: str, within: str) -> list[str]:
        html = parse_html(site.files[page])
        return [a.text() for a in html.one(None, within).all("a", "tag")]

    assert names("a.html", "note-header") == ["#ML"]
    assert names("b.html", "note-header") == ["#ML", "#ml/Vision"]  # as first written
    assert names("index.html", "tag-list") == ["#ML"]
    assert parse_html(site.files["_tags/ml.html"]).one("h1").text() == "#ML"
    assert names("_tags/ml.html", "tag-list") == ["#ml/Vision"]
    assert names("b.html", "note-body") == ["#Ml"]  # the body keeps the author's text


def test_a_missing_image_is_a_visible_box_naming_it(tmp_path: Path) -> None:
    codes, page = _page(
        tmp_path,
        "Pics",
        "![[Pasted image 2024.png]]\n\n![screen](shots/gone.png)\n\n![[Missing note]]\n",
    )
    body = parse_html(page).one("div", "note-body")
    boxes = body.all("span", "embed-missing")
    assert [(box.text(), box.attrs["title"]) for box in boxes] == [
        ("missing: Pasted image 2024.png", "“Pasted image 2024.png” is not in the vault"),
        ("missing: gone.png", "“shots/gone.png” is not in the vault"),
    ]
    assert body.all("img") == []
    assert body.one("span", "unresolved").text() == "Missing note"
    assert codes == ["missing-attachment", "missing-attachment", "unresolved-link"]


TRANSCRIPT = """---
url: https://youtu.be/hBBOjCiFcuo
---
## Transcript
[0:09](https://youtu.be/hBBOjCiFcuo?t=9) so today we look at
[0:15](https://youtu.be/hBBOjCiFcuo&t=15) the architecture and
[1:01](https://www.youtube.com/watch?v=hBBOjCiFcuo&t=61s) structure
[2:00](https://youtu.be/aaaaaaaaaaa?t=120) of another video
"""


def test_markdown_time_links_to_the_notes_video_seek_its_player(tmp_path: Path) -> None:
    """Whatever form the link's URL takes (glued `&t=` included, repaired), a time link
    to the note's own video is a timestamp of it; a link to another video stays a link
    to that moment."""
    codes, page = _page(tmp_path, "Talk", TRANSCRIPT)
    html = parse_html(page)
    player = html.one("figure", "player")
    assert (player.attrs["id"], player.attrs["data-video-id"]) == ("video-1", "hBBOjCiFcuo")
    links = html.one("div", "note-body").all("a")
    assert [
        (a.attrs.get("id"), a.attrs["class"], a.attrs["href"], a.attrs.get("data-player"))
        for a in links
    ] == [
        ("ts-1", "timestamp-link", "https://youtu.be/hBBOjCiFcuo?t=9", "video-1"),
        ("ts-2", "timestamp-link", "https://youtu.be/hBBOjCiFcuo?t=15", "video-1"),
        ("ts-3", "timestamp-link", "https://youtu.be/hBBOjCiFcuo?t=61", "video-1"),
        ("ts-4", "external-link", "https://youtu.be/aaaaaaaaaaa?t=120", None),
    ]
    outline = html.one("nav", "video-outline")
    assert [
        (a.text(), a.attrs["href"], a.attrs.get("data-player"))
        for a in outline.all("a", "timestamp-link")
    ] == [
        ("▶ 0:09", "https://youtu.be/hBBOjCiFcuo?t=9", "video-1"),
        ("▶ 0:15", "https://youtu.be/hBBOjCiFcuo?t=15", "video-1"),
        ("▶ 1:01", "https://youtu.be/hBBOjCiFcuo?t=61", "video-1"),
        ("▶ 2:00", "https://youtu.be/aaaaaaaaaaa?t=120", None),
    ]
    assert outline.all("span", "timestamp-time") == [] and outline.all("details") == []
    assert codes == []


def test_a_transcripts_long_outline_starts_folded(tmp_path: Path) -> None:
    lines = "".join(
        f"[{n // 60}:{n % 60:02d}](https://youtu.be/hBBOjCiFcuo?t={n}) words\n"
        for n in range(0, 410, 10)
    )
    _, page = _page(tmp_path, "Talk", "---\nurl: https://youtu.be/hBBOjCiFcuo\n---\n" + lines)
    outline = parse_html(page).one("nav", "video-outline")
    folded = outline.one("details")
    assert "open" not in folded.attrs
    assert folded.one("summary").text() == "Video outline 41 timestamps"
    assert len(folded.one("ol").all("li")) == 41


def test_a_titled_timestamp_url_block_is_the_videos_link_and_player(tmp_path: Path) -> None:
    """The Timestamp Notes plugin pastes `[title](url)`: the player shows the title, never
    the Markdown, and the same block again adds nothing."""
    text = (
        "```timestamp-url\n[Lesson 3: Neural net foundations](https://youtu.be/hBBOjCiFcuo)\n```\n"
        "```timestamp\n1:05\n```\n## Start\n"
        "```timestamp-url\n[Lesson 3: Neural net foundations](https://youtu.be/hBBOjCiFcuo)\n```\n"
    )
    codes, page = _page(tmp_path, "Lesson", text)
    body = parse_html(page).one("div", "note-body")
    player = body.one("figure", "player")
    assert player.attrs["data-video-id"] == "hBBOjCiFcuo"
    assert player.one("p", "player-title").text() == "Lesson 3: Neural net foundations"
    watch = player.one("a", "external-link")
    assert (watch.text(), watch.attrs["href"]) == (
        "Watch on YouTube",
        "https://youtu.be/hBBOjCiFcuo",
    )
    assert body.all("p", "video-link") == []
    assert "](" not in body.text() and codes == []


def test_a_video_block_without_a_player_is_its_titled_link(tmp_path: Path) -> None:
    """A player in an embedded note is not played there: the block is its link."""
    block = "```timestamp-url\n[Talk on convolutions](https://vimeo.com/76979871)\n```\n"
    (tmp_path / "Talk.md").write_text(block, encoding="utf-8")
    _, page = _page(tmp_path, "Host", "![[Talk]]\n")
    link = parse_html(page).one("p", "video-link").one("a")
    assert (link.text(), link.attrs["href"]) == (
        "Talk on convolutions",
        "https://vimeo.com/76979871",
    )


EMBEDDED = """# Talks

![Lesson 3](https://www.youtube.com/watch?v=hBBOjCiFcuo)

```timestamp
1:05
```
## Start

Also see ![the Vimeo one](https://vimeo.com/76979871) in passing.

![A talk](https://example.org/talk.mp4)
"""


def test_an_obsidian_video_embed_is_the_notes_player(tmp_path: Path) -> None:
    """`![title](url)` of a video: Obsidian shows a player, not a broken image."""
    codes, page = _page(tmp_path, "Talks", EMBEDDED)
    body = parse_html(page).one("div", "note-body")
    assert body.all("img") == []
    figures = [child for child in body.children if isinstance(child, Element)]
    youtube = next(f for f in figures if f.tag == "figure")  # in place, outside any <p>
    assert (youtube.attrs["data-kind"], youtube.attrs["data-video-id"]) == (
        "youtube",
        "hBBOjCiFcuo",
    )
    seek = body.one("a", "timestamp-link")
    assert (seek.attrs["data-player"], seek.attrs["href"]) == (
        youtube.attrs["id"],
        "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=65s",
    )
    passing = body.one("a", "external-link", href="https://vimeo.com/76979871")
    assert passing.text() == "the Vimeo one"  # in running text: a link
    video = body.one("video")
    assert (video.attrs["src"], video.attrs["preload"]) == ("https://example.org/talk.mp4", "none")
    assert codes == []
