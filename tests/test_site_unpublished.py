"""Notes with `publish: false` or `draft: true`: never published, anywhere.

No page, no listing, tag page, backlink, search entry, attachment copy or notebook link;
a link to one from a published note is its text, with an info diagnostic at the link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from page_support import Element, parse_html

from notebook_runner.cli import main
from notebook_runner.publish import workers
from notebook_runner.serve.live import LiveSite

HOME = """\
# Home

Read [[Draft]] and [[Secret|the secret]] or [the draft](Draft.md). #shared

![[Draft]]

```python
print("home")
```
"""
DRAFT = """\
---
draft: true
tags: [drafty, shared]
---
# Draft

Unfinished thoughts about [[Home]], with a picture: ![[only-draft.png]]
"""
SECRET = "---\npublish: false\n---\n# Secret\n\nPrivate words.\n"
KEPT = "---\npublish: true\ndraft: false\n---\n# Kept\n\nSee [[Home]]. #shared\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    for name, text in {
        "Home.md": HOME,
        "Draft.md": DRAFT,
        "Secret.md": SECRET,
        "Kept.md": KEPT,
    }.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "only-draft.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def built(vault: Path, out: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["build", str(vault), "-o", str(out), *argv]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def page(out: Path, name: str) -> Element:
    return parse_html((out / name).read_bytes())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unpublished_notes_have_no_page_and_appear_nowhere(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    jobs: str,
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)  # the workers' path too
    out = tmp_path / "site"
    report = built(vault, out, capsys, "-j", jobs)
    files = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    assert {"draft.html", "secret.html", "_tags/drafty.html"}.isdisjoint(files)
    assert "_files/only-draft.png" not in files
    assert {"home.html", "kept.html", "_tags/shared.html"} <= files
    index = page(out, "index.html")
    assert [a.text() for a in index.one("ul", "alphabetical").all("a")] == ["Home", "Kept"]
    assert index.one("p", "summary").text() == "2 notes, 1 tag."
    shared = page(out, "_tags/shared.html")
    assert [a.text() for a in shared.all("a", "internal-link")] == ["Home", "Kept"]
    home = page(out, "home.html")
    backlinks = home.one("section", "backlinks")
    assert [a.text() for a in backlinks.all("a")] == ["Kept"]
    assert [a.text() for a in home.one("section", "outgoing-links").all("a")] == []
    search = (out / "_static" / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(search.removeprefix("window.NOTEBOOK_RUNNER_SEARCH = ").rstrip(";\n"))
    assert sorted(entry["title"] for entry in entries) == ["Home", "Kept"]
    assert "Unfinished" not in search and "Private" not in search
    assert report.splitlines()[-1] == (
        f"built 2 notes ({len(files) - 1} files) into {out}; 0 unresolved links; 2 not published"
    )


def test_links_to_unpublished_notes_are_their_text_with_an_info_diagnostic(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    report = built(vault, out, capsys)
    assert report.splitlines()[:3] == [  # sorted by line, then message; repeats grouped
        "Home.md:3: info: link to unpublished note Draft.md shown as plain text "
        "(the note has publish: false or draft: true) [unpublished-link]",
        "Home.md:3: info: 2 x link to unpublished note [[Draft]] shown as plain text, also "
        "at line 5 (the note has publish: false or draft: true) [unpublished-link]",
        "Home.md:3: info: link to unpublished note [[Secret]] shown as plain text "
        "(the note has publish: false or draft: true) [unpublished-link]",
    ]
    body = page(out, "home.html").one("div", "note-body")
    shown = body.all(cls="unpublished")
    assert [(el.tag, el.text(), el.attrs.get("href")) for el in shown] == [
        ("span", "Draft", None),
        ("span", "the secret", None),
        ("a", "the draft", None),  # a placeholder link: an <a> without href
        ("span", "Draft", None),  # the embed: never transcluded
    ]
    assert "Unfinished" not in body.text()
    assert not [a for a in body.all("a") if "draft" in (a.attrs.get("href") or "")]


def test_the_notebook_of_a_published_note_does_not_link_to_unpublished_ones(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    built(vault, out, capsys)
    notebook = json.loads((out / "_files" / "notebooks" / "home.ipynb").read_text("utf-8"))
    markdown = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "Read Draft and the secret or the draft. #shared" in markdown
    assert "draft.html" not in markdown and "Draft.md" not in markdown


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [("Kept.md", "draft: false", "draft: true"), ("Draft.md", "draft: true", "draft: false")],
    ids=["made a draft", "published"],
)
def test_serve_follows_a_note_in_and_out_of_drafts(
    vault: Path, name: str, old: str, new: str
) -> None:
    """The edited note's page goes or comes, and the links to it on other pages turn
    into text or back into links, as a full build would have them."""
    live = LiveSite(vault)
    note = vault / name
    note.write_text(note.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    refresh = live.refresh([note])
    assert not refresh.full
    assert live.site.files == LiveSite(vault).site.files
    assert (name.lower().replace(".md", ".html") in live.site.files) == (new == "draft: false")
