"""Notebook downloads and "Open in Colab" links on note pages (issue 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notebook_runner.config import SiteConfig
from notebook_runner.model import Diagnostic
from notebook_runner.pipeline import open_vault
from notebook_runner.publish.site import SiteBuild, build_site
from notebook_runner.render.notebooks import Repository, notebook_path, parse_repository

LESSON = """# Lesson

See [[Other#Part two]] and ![[chart.png]].

```python
print("hi")
```

```bash
ls
```
"""
OTHER = "# Other\n\n## Part two\n\nNo code here.\n"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("github.com/me/notes", Repository("me", "notes", "main", "")),
        ("https://github.com/me/notes/", Repository("me", "notes", "main", "")),
        ("github.com/me/notes.git", Repository("me", "notes", "main", "")),
        ("github.com/me/notes/tree/gh-pages", Repository("me", "notes", "gh-pages", "")),
        (
            "https://www.github.com/me/notes/tree/dev/public/site",
            Repository("me", "notes", "dev", "public/site"),
        ),
        ("gitlab.com/me/notes", None),
        ("me/notes", None),
        ("github.com/me", None),
        ("github.com/me/notes/blob/main/x.md", None),
    ],
)
def test_repository_rule(written: str, expected: Repository | None) -> None:
    assert parse_repository(written) == expected


def test_colab_url_opens_the_notebook_in_the_repository() -> None:
    repository = Repository("me", "notes", "main", "site")
    assert repository.colab_url(notebook_path("ml/lesson 3.html")) == (
        "https://colab.research.google.com/github/me/notes/blob/main/site/"
        "_files/notebooks/ml/lesson%203.ipynb"
    )


def _site(tmp_path: Path, config: SiteConfig) -> tuple[SiteBuild, dict[str, bytes]]:
    (tmp_path / "Notes").mkdir()
    (tmp_path / "Notes" / "Lesson.md").write_text(LESSON, encoding="utf-8")
    (tmp_path / "Other.md").write_text(OTHER, encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(b"\x89PNG")
    workspace = open_vault(tmp_path, use_cache=False)
    sources = {source.path: source.text for source in workspace.loaded.sources}
    site = build_site(tmp_path, workspace.vault, sources, {}, config)
    return site, site.files


def _actions(html: bytes) -> str:
    text = html.decode("utf-8")
    start = text.find('<p class="note-actions">')
    return text[start : text.index("</p>", start) + 4] if start >= 0 else ""


def test_a_note_with_python_offers_its_notebook(tmp_path: Path) -> None:
    _, files = _site(tmp_path, SiteConfig())
    assert _actions(files["notes/lesson.html"]) == (
        '<p class="note-actions"><a class="notebook-download" '
        'href="../_files/notebooks/notes/lesson.ipynb" download>Download notebook</a></p>'
    )
    assert _actions(files["other.html"]) == ""
    assert "_files/notebooks/other.ipynb" not in files


def test_the_notebook_holds_the_python_and_links_to_site_pages(tmp_path: Path) -> None:
    _, files = _site(tmp_path, SiteConfig())
    notebook = json.loads(files["_files/notebooks/notes/lesson.ipynb"])
    cells = [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]
    assert cells[1] == ("code", 'print("hi")')
    assert "[Other > Part two](../../../other.html#part-two)" in cells[0][1]
    assert "../../../_files/chart.png" in cells[0][1]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_links_in_notebooks_are_absolute_under_base_url(tmp_path: Path) -> None:
    _, files = _site(tmp_path, SiteConfig(base_url="https://me.github.io/notes/"))
    markdown = "".join(
        json.loads(files["_files/notebooks/notes/lesson.ipynb"])["cells"][0]["source"]
    )
    assert "(https://me.github.io/notes/other.html#part-two)" in markdown


def test_open_in_colab_when_the_repository_is_configured(tmp_path: Path) -> None:
    config = SiteConfig(repository="github.com/me/notes/tree/main/site")
    site, files = _site(tmp_path, config)
    assert _actions(files["notes/lesson.html"]) == (
        '<p class="note-actions"><a class="notebook-download" '
        'href="../_files/notebooks/notes/lesson.ipynb" download>Download notebook</a> · '
        '<a class="open-in-colab external-link" href="https://colab.research.google.com/github/'
        'me/notes/blob/main/site/_files/notebooks/notes/lesson.ipynb">Open in Colab</a></p>'
    )
    assert site.diagnostics == ()


def test_an_unreadable_repository_is_reported_and_gives_no_colab_link(tmp_path: Path) -> None:
    site, files = _site(tmp_path, SiteConfig(repository="gitlab.com/me/notes"))
    assert "open-in-colab" not in _actions(files["notes/lesson.html"])
    assert site.diagnostics == (
        Diagnostic(
            "notebook-runner.toml",
            1,
            "warning",
            "bad-site-repository",
            '[site] repository "gitlab.com/me/notes" is not a GitHub address; '
            'no "Open in Colab" links',
            "write it as github.com/OWNER/REPO or github.com/OWNER/REPO/tree/BRANCH/FOLDER",
        ),
    )
