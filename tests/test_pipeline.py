"""The front half of every command: parsing with the content-hash cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_runner import pipeline
from notebook_runner.model import Diagnostic, Note, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import open_vault, parse_cache_file, parse_sources


@pytest.fixture
def parsed_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records which notes were really parsed (not served from the cache)."""
    seen: list[str] = []

    def counting_parse(source: SourceFile) -> tuple[Note, list[Diagnostic]]:
        seen.append(source.path)
        return parse_note(source)

    monkeypatch.setattr(pipeline, "parse_note", counting_parse)
    return seen


def sources(*texts: str) -> list[SourceFile]:
    return [SourceFile(f"n{index}.md", text) for index, text in enumerate(texts)]


def test_unchanged_notes_come_from_the_cache(tmp_path: Path, parsed_paths: list[str]) -> None:
    cache = tmp_path / "parse.pickle"
    first = parse_sources(sources("# A", "[[B]]"), jobs=1, cache_file=cache)
    second = parse_sources(sources("# A", "[[B]]"), jobs=1, cache_file=cache)
    assert parsed_paths == ["n0.md", "n1.md"]
    assert second == first


def test_an_edited_note_alone_is_parsed_again(tmp_path: Path, parsed_paths: list[str]) -> None:
    cache = tmp_path / "parse.pickle"
    parse_sources(sources("# A", "[[B]]"), jobs=1, cache_file=cache)
    notes, _ = parse_sources(sources("# A", "[[C]]"), jobs=1, cache_file=cache)
    assert parsed_paths == ["n0.md", "n1.md", "n1.md"]
    assert [link.target for link in notes[1].links] == ["C"]


def test_a_corrupt_cache_is_ignored(tmp_path: Path, parsed_paths: list[str]) -> None:
    cache = tmp_path / "parse.pickle"
    cache.write_bytes(b"not a pickle")
    notes, _ = parse_sources(sources("# A"), jobs=1, cache_file=cache)
    assert [heading.text for heading in notes[0].headings] == ["A"]
    assert parsed_paths == ["n0.md"]


def test_parallel_parse_gives_the_same_result_as_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    notes = sources(*(f"# Note {index}\n[[n{index + 1}]] #tag{index}" for index in range(6)))
    assert parse_sources(notes, jobs=2) == parse_sources(notes, jobs=1)


def test_open_vault_keeps_its_cache_in_the_state_folder(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    workspace = open_vault(tmp_path, jobs=1)
    assert [note.path for note in workspace.vault.notes] == ["a.md"]
    assert parse_cache_file(tmp_path).is_file()
    assert parse_cache_file(tmp_path).relative_to(tmp_path).parts[0] == ".notebook-runner"
