"""`build` parses each note once, in worker processes that then render from those tokens."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from notebook_runner.config import Config, load_config
from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Note, SourceFile
from notebook_runner.pipeline import Workspace, open_vault
from notebook_runner.render import highlight, workers
from notebook_runner.render.emit import MARKER, MARKER_TEXT, staged_site
from notebook_runner.render.pages import SiteSettings
from notebook_runner.render.site import SiteBuild, build_site
from notebook_runner.render.vault_site import build_vault_site
from notebook_runner.render.workers import NoteWorkers, RenderRequest
from notebook_runner.syntax import build_markdown
from notebook_runner.vault import LoadedVault

REPO = Path(__file__).resolve().parent.parent
FIXTURE_VAULT = REPO / "tests" / "fixtures" / "site" / "vault"


def _no_results(config: Config, root: Path, notes: Sequence[Note]) -> dict[str, NoteResult]:
    return {}


def _build(root: Path, jobs: int) -> tuple[Workspace, SiteBuild]:
    config, problems = load_config(root)
    assert problems == []
    return build_vault_site(root, config, _no_results, jobs)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(FIXTURE_VAULT, copy)
    return copy


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_the_same_site_and_notes_as_one_process(
    vault: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker resolves the vault from every worker's notes, passed on by the main
    process: with any number of workers the pages are those of one process."""
    single_workspace, single = _build(vault, jobs=1)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    double_workspace, double = _build(vault, jobs=jobs)
    assert double == single
    assert double_workspace.vault == single_workspace.vault
    assert double_workspace.diagnostics == single_workspace.diagnostics


@pytest.mark.parametrize("jobs", [1, 2])
def test_pages_written_by_workers_make_the_same_site(
    vault: Path, tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a staging folder, each note's page and generated files are on disk before
    the build returns, and with the rest written the site is the in-memory one."""
    _, in_memory = _build(vault, jobs=1)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    config, _ = load_config(vault)
    with staged_site(tmp_path / "site", vault) as staging:
        _, staged = build_vault_site(vault, config, _no_results, jobs, staging)
        written_by_workers = _tree(staging.folder)
        staging.fill(staged.files, staged.copies)
        staging.commit()
    assert sorted(written_by_workers) == list(staged.written)
    assert any(name.endswith(".ipynb") for name in staged.written)
    assert staged.file_count == len(in_memory.files) + len(in_memory.copies)
    expected = {**in_memory.files, MARKER: MARKER_TEXT}
    expected.update({name: path.read_bytes() for name, path in in_memory.copies.items()})
    assert _tree(tmp_path / "site") == expected
    assert staged.diagnostics == in_memory.diagnostics


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_build_is_the_site_of_the_opened_vault(vault: Path) -> None:
    """Same notes and diagnostics as `pipeline.open_vault`, same pages as `build_site`."""
    workspace, built = _build(vault, jobs=1)
    opened = open_vault(vault, use_cache=False)
    assert workspace.vault == opened.vault
    assert sorted(workspace.diagnostics, key=repr) == sorted(opened.diagnostics, key=repr)
    texts = {source.path: source.text for source in opened.loaded.sources}
    assert built == build_site(vault, opened.vault, texts, {}, opened.config.site)


def test_each_note_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(3):
        (tmp_path / f"Note {number}.md").write_text(
            f"# Note {number}\n\n[[Note {(number + 1) % 3}]]\n\n```python\nprint({number})\n```\n",
            encoding="utf-8",
        )
    md = build_markdown()
    parsed: Counter[str] = Counter()
    original = md.parse

    def counting(text: str, env: Any = None) -> Any:
        parsed[text] += 1
        return original(text, env)

    monkeypatch.setattr(md, "parse", counting)
    _build(tmp_path, jobs=1)
    texts = [path.read_text(encoding="utf-8") for path in sorted(tmp_path.glob("*.md"))]
    assert [parsed[text] for text in texts] == [1, 1, 1]


def test_a_worker_that_dies_is_an_error_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [SourceFile(f"n{i}.md", f"# {i}\n") for i in range(4)]
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(workers._Share, "parse", lambda self: os._exit(1))
    message = "a site worker process stopped unexpectedly"
    loaded = LoadedVault(Path("."), tuple(sources), (), None)
    with pytest.raises(RuntimeError, match=message), NoteWorkers(loaded, 2) as started:
        started.parse()


def test_an_error_while_pages_are_pending_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages far larger than a pipe's buffer, never collected: the workers are killed."""
    sources = [SourceFile(f"n{i}.md", f"# {i}\n\n" + "Some words. " * 400) for i in range(40)]
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    loaded = LoadedVault(tmp_path, tuple(sources), (), None)
    with pytest.raises(ValueError, match="stop"), NoteWorkers(loaded, 2) as started:
        started.parse()
        started.start_render(RenderRequest({}, SiteSettings()))
        raise ValueError("stop")


def test_a_worker_lexes_every_fence_of_its_notes_before_rendering(tmp_path: Path) -> None:
    text = "# A\n```python\nx = 1\n```\n> [!note]\n> ```Python\n> y = 2\n> ```\n\n    indented\n"
    sources = (SourceFile("a.md", text),)
    share = workers._Share(sources, {"a.md": text})
    share.parse(LoadedVault(tmp_path, sources, (), None))
    highlight._lexed.cache_clear()
    highlight._highlighted_lines.cache_clear()
    share.lex_code()
    assert highlight._lexed.cache_info().currsize == 2
    highlight.highlight_code("x = 1\n", "python", 3, None, "")
    highlight.highlight_code("y = 2\n", "Python", 7, None, "")
    assert (highlight._lexed.cache_info().hits, highlight._lexed.cache_info().currsize) == (2, 2)
