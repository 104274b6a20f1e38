"""Each note with Python code as a Jupyter notebook: a download link, and "Open in Colab".

The notebook is what `notebook-runner export` writes (`notebooks.note_notebook`, with
the stored check results as outputs), stored in the site at
`_files/notebooks/<page>.ipynb` (`ml/lesson-3.html` -> `_files/notebooks/ml/lesson-3.ipynb`).
Its links point at the site's pages, since the other notes' notebooks are not beside a
downloaded file: absolute under `[site] base_url` when that is set, else relative to
the notebook's place in the site.

`[site] repository` names where the built site is committed on GitHub, as the address
GitHub shows for it (`https://` optional):

- `github.com/OWNER/REPO`: the site is the root of the repository's `main` branch;
- `github.com/OWNER/REPO/tree/BRANCH` or `.../tree/BRANCH/FOLDER/...`: that branch, and
  the folder the site is in (the first part after `tree/` is the branch, as GitHub
  writes it; branch names holding `/` are not supported).

Colab then opens `https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/FOLDER/
_files/notebooks/<page>.ipynb`. Anything else is reported and no Colab link is made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markdown_it.token import Token

from notebook_runner.execute.results import BlockResult
from notebook_runner.model import Note, NoteSummary
from notebook_runner.notebooks.export import note_notebook_dict
from notebook_runner.notebooks.formats import write_text
from notebook_runner.render.attachments import site_file
from notebook_runner.render.slugs import relative_url
from notebook_runner.render.state import heading_id

NOTEBOOKS_FOLDER = "_files/notebooks/"
DEFAULT_BRANCH = "main"
COLAB = "https://colab.research.google.com/github/"
_NAME = r"[A-Za-z0-9_.-]+"
_REPOSITORY = re.compile(
    rf"(?:https?://)?(?:www\.)?github\.com/(?P<owner>{_NAME})/(?P<repo>{_NAME})"
    rf"(?:/tree/(?P<branch>[^/\s]+)(?P<folder>(?:/[^/\s]+)*))?/?"
)


@dataclass(frozen=True)
class Repository:
    """The GitHub folder the built site is committed in."""

    owner: str
    name: str
    branch: str
    folder: str

    def colab_url(self, site_path: str) -> str:
        path = "/".join(part for part in (self.folder, site_path) if part)
        return f"{COLAB}{self.owner}/{self.name}/blob/{self.branch}/{quote(path, safe='/')}"


def parse_repository(text: str) -> Repository | None:
    """The repository a `[site] repository` value names; None when it names none."""
    match = _REPOSITORY.fullmatch(text.strip())
    if match is None:
        return None
    name = match["repo"].removesuffix(".git")
    folder = (match["folder"] or "").strip("/")
    return Repository(match["owner"], name, match["branch"] or DEFAULT_BRANCH, folder)


def notebook_path(page: str) -> str:
    """Where the notebook of the note at site page `page` is stored."""
    return NOTEBOOKS_FOLDER + page.removesuffix(".html") + ".ipynb"


@dataclass(frozen=True)
class SiteNotebookLinks:
    """`notebooks.LinkTargets` for notebooks stored in the site: links go to pages."""

    notes: Mapping[str, NoteSummary]
    pages: Mapping[str, str]
    base_url: str

    def href(self, source: str, target: str, heading: str | None, block: str | None) -> str:
        """ "" for a note that is not published: it has no page to link to."""
        page = self.pages.get(target)
        if page is None and target in self.notes:
            return ""
        path = page if page is not None else site_file(target)
        if block:
            anchor: str | None = "^" + block
        elif page is not None:
            anchor = heading_id(self.notes[target], heading)
        else:
            anchor = None
        if self.base_url:
            url = self.base_url.rstrip("/") + "/" + quote(path, safe="/")
        else:
            url = relative_url(notebook_path(self.pages[source]), path)
        return url + (f"#{quote(anchor, safe='^')}" if anchor else "")


def notebook_file(
    note: Note,
    text: str,
    links: SiteNotebookLinks,
    results: Sequence[BlockResult],
    tokens: Sequence[Token] | None = None,
    line_breaks: bool = False,
) -> bytes:
    """The `.ipynb` file of `note`, its code cells carrying the stored `results`;
    `tokens`: the note's stream from `parse.parse_tokens`, saving a second parse;
    `line_breaks`: the vault shows single line breaks, as the page does."""
    notebook = note_notebook_dict(note, text, links, results, tokens, line_breaks)
    return write_text(notebook, "ipynb").encode("utf-8")
