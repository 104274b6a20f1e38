"""`build` parses each note once, in worker processes that then check and render it."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from notebook_runner.config import Config, load_config
from notebook_runner.diagnostics import sort_key
from notebook_runner.execute.results import BlockResult, NoteResult
from notebook_runner.model import Diagnostic, Note
from notebook_runner.outputs import manifest_bytes
from notebook_runner.parse.syntax import build_markdown
from notebook_runner.pipeline import open_vault
from notebook_runner.publish import workers
from notebook_runner.publish.emit import MARKER, staged_site
from notebook_runner.publish.site import build_site
from notebook_runner.publish.vault_site import VaultSite, build_vault_site
from notebook_runner.publish.workers import BuildPlan, NoteWorkers, RenderRequest, ResultsHook
from notebook_runner.render import highlight
from notebook_runner.render.pages import SiteSettings
from notebook_runner.resolve import link_resolver
from notebook_runner.vault import VaultListing, list_vault

REPO = Path(__file__).resolve().parent.parent
FIXTURE_VAULT = REPO / "tests" / "fixtures" / "site" / "vault"


def _no_results(config: Config, root: Path, notes: Sequence[Note]) -> dict[str, NoteResult]:
    return {}


def _printed_results(config: Config, root: Path, notes: Sequence[Note]) -> dict[str, NoteResult]:
    """A result for every Python block of the notes asked about, naming the note."""
    found = {}
    for note in notes:
        blocks = tuple(
            BlockResult(block.line, "passed", stdout=f"ran in {note.path}\n")
            for block in note.code_blocks
            if block.is_python
        )
        if blocks:
            found[note.path] = NoteResult(note.path, "passed", blocks)
    return found


def _build(
    root: Path, jobs: int, results: ResultsHook = _no_results, at_once: bool = False
) -> VaultSite:
    config, problems = load_config(root)
    assert problems == []
    return build_vault_site(root, config, results, jobs, results_at_once=at_once)


def _plan(listing: VaultListing) -> BuildPlan:
    return BuildPlan(listing, Config(), _no_results)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(FIXTURE_VAULT, copy)
    return copy


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_the_same_site_and_problems_as_one_process(
    vault: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker knows the other shares' notes from their summaries alone, and parses
    a note of another share that one of its pages transcludes (`Cycle A` and `Cycle B`
    embed each other, `Home` embeds a section of `Topics/Convolutions`): with any
    number of workers the pages and the problems are those of one process; a link
    into another share's note is checked against that note's headings and block ids."""
    (vault / "Zed.md").write_text(
        "[[Home#No such part]] [[Cycle A#^nope]] [[Home]]\n", encoding="utf-8"
    )
    single = _build(vault, jobs=1)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    several = _build(vault, jobs=jobs)
    assert several == single
    assert single.note_count == 6
    zed = [(d.line, d.code) for d in single.diagnostics if d.path == "Zed.md"]
    assert zed == [(1, "unresolved-block"), (1, "unresolved-heading")]
    home = single.site.files["home.html"].decode("utf-8")
    assert '<div class="embed embed-note">' in home


@pytest.mark.parametrize("at_once", [False, True])
def test_check_results_reach_every_page_whoever_looks_them_up(
    vault: Path, at_once: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored results are looked up by each worker for its own notes and shared with
    the others (a transcluded note shows its results too); with `results_at_once` the
    main process asks once, for every note, from the whole notes the workers send."""
    single = _build(vault, 1, _printed_results, at_once)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    several = _build(vault, 2, _printed_results, at_once)
    assert several == single
    page = single.site.files["topics/convolutions.html"].decode("utf-8")
    assert "ran in Topics/Convolutions.md" in page


def test_results_at_once_see_every_note_in_one_call(vault: Path) -> None:
    calls: list[list[str]] = []

    def recording(config: Config, root: Path, notes: Sequence[Note]) -> dict[str, NoteResult]:
        calls.append([note.path for note in notes])
        return {}

    _build(vault, 1, recording, at_once=True)
    assert calls == [sorted(calls[0])] and len(calls[0]) == 5


@pytest.mark.parametrize("jobs", [1, 2])
def test_pages_written_by_workers_make_the_same_site(
    vault: Path, tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a staging folder, each note's page and generated files are on disk before
    the build returns, and with the rest written the site is the in-memory one."""
    in_memory = _build(vault, jobs=1).site
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    config, _ = load_config(vault)
    with staged_site(tmp_path / "site", vault) as staging:
        staged = build_vault_site(vault, config, _no_results, jobs, staging).site
        written_by_workers = _tree(staging.folder)
        staging.fill(staged.files, staged.copies, vault)
        staging.commit()
    assert sorted(written_by_workers) == list(staged.written)
    assert any(name.endswith(".ipynb") for name in staged.written)
    assert staged.file_count == len(in_memory.files) + len(in_memory.copies)
    listed = manifest_bytes("build", [*in_memory.files, *in_memory.copies])
    expected = {**in_memory.files, MARKER: listed}
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
    """Same problems as `pipeline.open_vault`, same pages as `build_site`."""
    built = _build(vault, jobs=1)
    opened = open_vault(vault, use_cache=False)
    assert built.diagnostics == tuple(sorted(opened.diagnostics, key=_full_key))
    assert built.note_count == len(opened.vault.notes)
    texts = {source.path: source.text for source in opened.loaded.sources}
    assert built.site == build_site(vault, opened.vault, texts, {}, opened.config.site)


def _full_key(problem: Diagnostic) -> tuple[str, int, str, str, str, str]:
    return (*sort_key(problem), problem.severity, problem.hint or "")


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


def _listed(root: Path, texts: dict[str, str]) -> VaultListing:
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    return list_vault(root)


def test_a_worker_that_dies_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = _listed(tmp_path, {f"n{i}.md": f"# {i}\n" for i in range(4)})
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(workers._Share, "parse", lambda self: os._exit(1))
    message = "a site worker process stopped unexpectedly"
    with pytest.raises(RuntimeError, match=message), NoteWorkers(_plan(listing), 2) as started:
        started.parse()


def test_an_error_while_pages_are_pending_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages far larger than a pipe's buffer, never collected: the workers are killed."""
    texts = {f"n{i}.md": f"# {i}\n\n" + "Some words. " * 400 for i in range(40)}
    listing = _listed(tmp_path, texts)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    with pytest.raises(ValueError, match="stop"), NoteWorkers(_plan(listing), 2) as started:
        started.parse()
        started.start_render(RenderRequest(None, SiteSettings()))
        raise ValueError("stop")


def test_a_worker_reads_its_own_notes_and_reports_what_reading_found(tmp_path: Path) -> None:
    """A note that is not UTF-8 is reported by the worker that read it, at its line."""
    (tmp_path / "bad.md").write_bytes(b"# Bad\n\ncaf\xe9\n")
    listing = _listed(tmp_path, {"good.md": "# Good\n[[bad]]\n"})
    with NoteWorkers(_plan(listing), 1) as started:
        started.parse()
        started.start_render(RenderRequest(None, SiteSettings()))
        pages, problems = started.rendered()
    assert [page.path for page in pages] == ["bad.md", "good.md"]
    assert [(d.path, d.line, d.code) for d in problems] == [("bad.md", 3, "not-utf8")]


def test_a_worker_lexes_every_fence_of_its_notes_before_rendering(tmp_path: Path) -> None:
    text = "# A\n```python\nx = 1\n```\n> [!note]\n> ```Python\n> y = 2\n> ```\n\n    indented\n"
    share = workers._Share(
        ["a.md"], _plan(_listed(tmp_path, {"a.md": text})), link_resolver(["a.md"])
    )
    share.parse()
    highlight._lexed.cache_clear()
    highlight._highlighted_lines.cache_clear()
    share.lex_code()
    assert highlight._lexed.cache_info().currsize == 2
    highlight.highlight_code("x = 1\n", "python", 3, None, "")
    highlight.highlight_code("y = 2\n", "Python", 7, None, "")
    assert (highlight._lexed.cache_info().hits, highlight._lexed.cache_info().currsize) == (2, 2)


@pytest.mark.parametrize("jobs", [1, 2])
def test_unreadable_video_metadata_is_reported_once_by_any_number_of_workers(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both workers' notes use the video, so each worker finds its entry unreadable;
    the build reports the file once, as one process does."""
    video = "```timestamp-url\nhttps://www.youtube.com/watch?v=hBBOjCiFcuo\n```\n"
    video += "```timestamp\n01:02\n```\n"
    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.md").write_text(f"# {name}\n{video}", encoding="utf-8")
    store = tmp_path / ".notebook-runner" / "videos"
    store.mkdir(parents=True)
    (store / "Youtube-hBBOjCiFcuo.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 0)
    built = _build(tmp_path, jobs)
    found = [(d.path, d.line, d.severity, d.code) for d in built.diagnostics]
    assert found == [
        (".notebook-runner/videos/Youtube-hBBOjCiFcuo.json", 1, "warning", "bad-video-metadata")
    ]
    assert built.diagnostics[0].message.startswith("stored video metadata is unreadable (")
