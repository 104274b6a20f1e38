"""Obsidian syntax in exported Markdown cells: each construct's plain-Markdown form."""

from __future__ import annotations

import pytest
from notebook_support import export_one, make_vault, markdown_of

from notebook_runner.model import Heading
from notebook_runner.notebooks import export
from notebook_runner.notebooks.export import SiteLinks
from notebook_runner.notebooks.markdown import CellBreak, note_pieces


def test_wikilinks_become_relative_links_to_the_exported_notebooks() -> None:
    files = {
        "course/Lesson.md": "See [[Other]], [[Other#Part two|part 2]] and [[Missing]].\n",
        "Other.md": "# Other\n\n## Part Two\n",
    }
    markdown = markdown_of(export_one(files, "course/Lesson.md"))
    assert markdown == (
        "See [Other](../Other.ipynb), [part 2](../Other.ipynb#Part-Two) and Missing."
    )


def test_link_format_follows_the_export_format() -> None:
    files = {"A.md": "[[B Note]]\n", "B Note.md": "text\n"}
    assert markdown_of(export_one(files, "A.md", fmt="py:percent")) == "[B Note](B%20Note.py)"


def test_markdown_links_into_the_vault_are_redirected_too() -> None:
    files = {"A.md": "[see](B%20Note.md#Top) and [web](https://x.org)\n", "B Note.md": "# Top\n"}
    assert markdown_of(export_one(files, "A.md")) == (
        "[see](B%20Note.ipynb#Top) and [web](https://x.org)"
    )


def test_site_links_point_at_site_pages_with_site_anchors() -> None:
    vault = make_vault({"A.md": "[[B#Part Two]] [[B#^claim]]\n", "B.md": "## Part Two\n"})
    notes = {note.path: note for note in vault.notes}
    targets = SiteLinks(notes, "https://example.org/notes/", {"A.md": "a.html", "B.md": "b.html"})
    pieces = note_pieces(notes["A.md"], "[[B#Part Two]] [[B#^claim]]\n", targets)
    assert pieces == [
        "[B > Part Two](https://example.org/notes/b.html#part-two) "
        "[B > ^claim](https://example.org/notes/b.html#^claim)"
    ]
    assert notes["B.md"].headings == (Heading(2, "Part Two", 1, "part-two"),)


def test_same_note_heading_link_is_a_bare_anchor() -> None:
    files = {"A.md": "# Top part\n\nBack to [[#Top part]].\n"}
    assert markdown_of(export_one(files)) == "# Top part\n\nBack to [Top part](#Top-part)."


def test_callout_becomes_blockquote_with_bold_title() -> None:
    text = "> [!warning]- Careful here\n> Body line\n> > [!tip] Inner\n> > nested\n"
    assert markdown_of(export_one({"A.md": text})) == (
        "> **Careful here**\n>\n> Body line\n>\n> > **Inner**\n> >\n> > nested"
    )


def test_highlight_becomes_mark_and_keeps_inner_markup() -> None:
    assert markdown_of(export_one({"A.md": "a ==**big** deal== b\n"})) == (
        "a <mark>**big** deal</mark> b"
    )


def test_comments_and_block_ids_are_dropped() -> None:
    text = "Seen %%hidden%% text. ^id-1\n\n%%\nblock comment\n```python\nraise X\n```\n%%\n"
    notebook = export_one({"A.md": text})
    assert markdown_of(notebook) == "Seen  text."
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "markdown"]


def test_timestamps_become_links_to_the_video_at_that_second() -> None:
    text = (
        "```timestamp-url\nhttps://www.youtube.com/watch?v=hBBOjCiFcuo\n```\n\n"
        "```timestamp\n12:34\n```\n## Part\n"
    )
    assert markdown_of(export_one({"A.md": text})) == (
        "Video: <https://www.youtube.com/watch?v=hBBOjCiFcuo>\n\n"
        "[▶ 12:34](https://www.youtube.com/watch?v=hBBOjCiFcuo&t=754s)\n\n## Part"
    )


def test_timestamp_without_video_is_plain_text() -> None:
    assert markdown_of(export_one({"A.md": "```timestamp\n1:05\n```\n"})) == "▶ 1:05"


def test_escapes_and_entities_are_written_back_as_typed() -> None:
    text = "\\*not emphasis\\* &amp; \\[[not a link]] 1986\\. year\n"
    assert markdown_of(export_one({"A.md": text})) == text.rstrip("\n")


def test_lists_tasks_and_tables_keep_their_shape() -> None:
    text = (
        "- [x] done\n- [ ] todo\n  1. sub\n  2. more\n\n"
        "| a | b \\| c |\n|:--|--:|\n| [[X\\|alias]] | `p\\|q` |\n"
    )
    assert markdown_of(export_one({"A.md": text, "X.md": ""})) == (
        "- [x] done\n- [ ] todo\n  1. sub\n  2. more\n\n"
        "| a | b \\| c |\n| :-- | --: |\n| [alias](X.ipynb) | `p\\|q` |"
    )


def test_image_embed_links_the_attachment_with_its_size() -> None:
    vault = make_vault({"notes/A.md": "![[pic.png|100]] ![[pic.png]]\n"}, ["img/pic.png"])
    notes = {note.path: note for note in vault.notes}
    from notebook_runner.notebooks.export import NotebookLinks

    pieces = note_pieces(
        notes["notes/A.md"], "![[pic.png|100]] ![[pic.png]]\n", NotebookLinks(notes)
    )
    assert pieces == [
        '<img src="../img/pic.png" alt="pic.png" width="100"> ![pic.png](../img/pic.png)'
    ]


def test_other_fences_stay_markdown_and_python_fences_become_blocks() -> None:
    text = "Intro\n\n```bash\nls\n```\n\n```python\nx = 1\n```\n\nOutro\n"
    vault = make_vault({"A.md": text})
    note = vault.notes[0]
    from notebook_runner.notebooks.export import NotebookLinks

    pieces = note_pieces(note, text, NotebookLinks({"A.md": note}))
    assert pieces == ["Intro\n\n```bash\nls\n```", note.code_blocks[1], "Outro"]


def test_python_fence_inside_a_list_splits_the_list_around_the_code_cell() -> None:
    text = "1. first\n\n   ```python\n   x = 1\n   ```\n\n   still first\n2. second\n"
    notebook = export_one({"A.md": text})
    assert [(cell.cell_type, cell.source) for cell in notebook.cells] == [
        ("markdown", "# A"),
        ("markdown", "1. first"),
        ("code", "x = 1"),
        ("markdown", "still first\n\n2. second"),
    ]


def test_top_level_headings_start_new_cells_except_after_their_timestamp() -> None:
    text = "Intro\n\n# One\n\ntext\n\n```timestamp\n1:00\n```\n## Two\n"
    vault = make_vault({"A.md": text})
    from notebook_runner.notebooks.export import NotebookLinks

    pieces = note_pieces(vault.notes[0], text, NotebookLinks({"A.md": vault.notes[0]}))
    kinds = ["break" if isinstance(p, CellBreak) else p for p in pieces]
    assert kinds == ["Intro", "break", "# One\n\ntext\n\n▶ 1:00\n\n## Two"]


def test_footnotes_and_math_survive() -> None:
    text = "Claim[^1] with $x^2$.\n\n$$\ny = 1\n$$\n\n[^1]: Source.\n"
    assert markdown_of(export_one({"A.md": text})) == (
        "Claim<sup>1</sup> with $x^2$.\n\n$$\ny = 1\n$$\n\n***\n\n<sup>1</sup> Source."
    )


def test_each_heading_is_keyed_once_however_many_links_name_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long note linking to its own headings was quadratic: every link matched every
    heading again. Keys are now made once per heading plus once per link."""
    count = 300
    text = "".join(f"## Part {n}\n\nSee [[#Part {n}]].\n\n" for n in range(count))
    vault = make_vault({"A.md": text})
    notes = {note.path: note for note in vault.notes}
    keyed: list[str] = []
    original = export._heading_key

    def counted(text: str) -> str:
        keyed.append(text)
        return original(text)

    monkeypatch.setattr(export, "_heading_key", counted)
    pieces = note_pieces(notes["A.md"], text, export.NotebookLinks(notes))
    assert f"See [Part {count - 1}](#Part-{count - 1})." in "".join(map(str, pieces))
    assert len(keyed) == 2 * count
