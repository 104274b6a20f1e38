"""The parse cache: loading without garbage-collector scans, no rewrite on a full hit."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

import notebook_runner
from notebook_runner.model import SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.parse.cache import (
    ParseResult,
    load_cache,
    package_sources,
    save_cache,
    source_key,
)
from notebook_runner.pipeline import parse_sources

NOTE = "---\ntags: [a, b]\n---\n# Title {n}\n\n[[Other {n}]] ==mark== #tag{n}\n"


def _entries(count: int) -> dict[str, ParseResult]:
    sources = [SourceFile(f"n{n}.md", NOTE.format(n=n)) for n in range(count)]
    return {source_key(source): parse_note(source) for source in sources}


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """Counts the garbage collections that start while the test runs."""
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(count)
    yield started
    gc.callbacks.remove(count)


def test_loading_runs_no_collection_and_gives_back_what_was_saved(
    tmp_path: Path, collections: list[int]
) -> None:
    entries = _entries(300)  # tens of thousands of objects: collections would start
    save_cache(tmp_path / "parse.pickle", entries)
    collections.clear()
    loaded = load_cache(tmp_path / "parse.pickle")
    assert collections == []
    assert loaded == entries
    assert gc.isenabled()


def test_loading_leaves_a_paused_collector_paused(tmp_path: Path) -> None:
    save_cache(tmp_path / "parse.pickle", _entries(2))
    gc.disable()
    try:
        load_cache(tmp_path / "parse.pickle")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_missing_cache_is_empty(tmp_path: Path) -> None:
    assert load_cache(tmp_path / "absent.pickle") == {}
    assert gc.isenabled()


def test_a_full_cache_hit_does_not_write_the_cache_again(tmp_path: Path) -> None:
    cache = tmp_path / "parse.pickle"
    sources = [SourceFile("a.md", "# A\n"), SourceFile("b.md", "[[A]]\n")]
    parse_sources(sources, jobs=1, cache_file=cache)
    written = cache.stat()
    parse_sources(sources, jobs=1, cache_file=cache)
    again = cache.stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)


def test_the_cache_key_covers_every_module_of_the_package_not_only_the_parser() -> None:
    """A parse result is a `model.Note`: editing `model.py` (outside `parse/`) must
    invalidate the cache as surely as editing the token walk."""
    package = Path(notebook_runner.__file__).parent
    every = {path.relative_to(package).as_posix() for path in package.rglob("*.py")}
    names = [name for name, _ in package_sources()]
    assert set(names) == every
    assert {"model.py", "parse/walk.py", "parse/syntax/wikilinks.py"} <= set(names)
