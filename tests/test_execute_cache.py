"""Cached results: reused while nothing a block depends on changed; `check` never reuses
a failure, but the site can show the last stored one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from execute_support import make_note, run, statuses

from notebook_runner.config import CheckConfig
from notebook_runner.execute.cache import ResultCache, cache_dir
from notebook_runner.execute.formats import is_report, summary_line
from notebook_runner.execute.plan import plan_note
from notebook_runner.model import Diagnostic


@pytest.fixture
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Outside the vault: a vault file the note writes is one of its inputs."""
    return tmp_path_factory.mktemp("log") / "log"


def counting_block(log: Path, name: str) -> str:
    """A block that leaves a trace each time it really runs."""
    return f"open({str(log)!r}, 'a').write({name!r} + '\\n')\nprint({name!r})\n"


def runs(log: Path) -> list[str]:
    text = log.read_text() if log.exists() else ""
    log.unlink(missing_ok=True)
    return text.split()


def test_unchanged_note_is_replayed_from_the_cache(tmp_path: Path, log: Path) -> None:
    note = make_note("n.md", counting_block(log, "one"), counting_block(log, "two"))
    first = run(tmp_path, note, use_cache=True)
    assert statuses(first.notes[0]) == ["passed", "passed"]
    assert runs(log) == ["one", "two"]
    second = run(tmp_path, note, use_cache=True)
    assert runs(log) == []
    assert second.notes[0].status == "cached"
    assert statuses(second.notes[0]) == ["cached", "cached"]
    assert [block.stdout for block in second.notes[0].blocks] == ["one\n", "two\n"]
    assert second.summary.cached == 2
    assert list(cache_dir(tmp_path).glob("*.json"))


def test_a_re_check_counts_the_passes_it_replays_as_passed(tmp_path: Path, log: Path) -> None:
    note = make_note("n.md", counting_block(log, "one"), counting_block(log, "two"))
    first, second = (run(tmp_path, note, use_cache=True) for _ in range(2))
    assert (first.summary.passed, first.summary.cached) == (2, 0)
    assert (second.summary.passed, second.summary.cached) == (2, 2)
    assert summary_line(first).startswith("1 note, 2 blocks: 2 passed, 0 failed, 0 not-run, ")
    assert summary_line(second).startswith(
        "1 note, 2 blocks: 2 passed (2 from the cache), 0 failed, 0 not-run, 0 skipped in "
    )
    assert is_report(summary_line(second).encode())


def test_editing_block_one_reruns_block_two(tmp_path: Path, log: Path) -> None:
    run(
        tmp_path,
        make_note("n.md", counting_block(log, "one"), counting_block(log, "two")),
        use_cache=True,
    )
    runs(log)
    edited = make_note("n.md", counting_block(log, "uno"), counting_block(log, "two"))
    result = run(tmp_path, edited, use_cache=True).notes[0]
    assert statuses(result) == ["passed", "passed"]
    assert runs(log) == ["uno", "two"]


def test_editing_a_later_block_reruns_the_note_to_rebuild_its_state(
    tmp_path: Path, log: Path
) -> None:
    run(
        tmp_path,
        make_note("n.md", counting_block(log, "one"), counting_block(log, "two")),
        use_cache=True,
    )
    runs(log)
    edited = make_note("n.md", counting_block(log, "one"), counting_block(log, "dos"))
    result = run(tmp_path, edited, use_cache=True).notes[0]
    assert statuses(result) == ["passed", "passed"]
    assert runs(log) == ["one", "dos"]


def test_config_change_invalidates(tmp_path: Path, log: Path) -> None:
    note = make_note("n.md", counting_block(log, "one"))
    run(tmp_path, note, use_cache=True)
    runs(log)
    run(tmp_path, note, use_cache=True, config=CheckConfig(prelude="x = 1"))
    assert runs(log) == ["one"]


def test_moved_block_is_replayed_at_its_new_line(tmp_path: Path, log: Path) -> None:
    run(tmp_path, make_note("n.md", counting_block(log, "one")), use_cache=True)
    runs(log)
    moved = make_note("n.md", ("bash", "echo\n", {}), counting_block(log, "one"))
    result = run(tmp_path, moved, use_cache=True).notes[0]
    assert runs(log) == []
    assert [(block.line, block.status) for block in result.blocks] == [(5, "cached")]


def test_failures_are_never_cached_and_no_cache_bypasses(tmp_path: Path, log: Path) -> None:
    failing = make_note("f.md", counting_block(log, "f") + "raise ValueError\n")
    passing = make_note("p.md", counting_block(log, "p"))
    run(tmp_path, failing, passing, use_cache=True)
    assert sorted(runs(log)) == ["f", "p"]
    run(tmp_path, failing, passing, use_cache=True)
    assert runs(log) == ["f"]
    run(tmp_path, failing, passing, use_cache=False)
    assert sorted(runs(log)) == ["f", "p"]


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path, log: Path) -> None:
    note = make_note("n.md", counting_block(log, "one"))
    run(tmp_path, note, use_cache=True)
    runs(log)
    for entry in cache_dir(tmp_path).glob("*.json"):
        entry.write_text("{not json")
    assert statuses(run(tmp_path, note, use_cache=True).notes[0]) == ["passed"]
    assert runs(log) == ["one"]


def test_a_stored_failure_is_shown_to_the_site_at_the_moved_lines(tmp_path: Path) -> None:
    failing = make_note("f.md", "x = 1\nraise ValueError('boom')\n")
    run(tmp_path, failing, use_cache=True)
    moved = make_note("f.md", ("bash", "echo\n", {}), "x = 1\nraise ValueError('boom')\n")
    config = CheckConfig()
    plan, _ = plan_note(moved, config)
    cache = ResultCache(tmp_path, config)
    assert cache.lookup(plan) is None
    shown = cache.lookup(plan, with_failures=True)
    assert shown is not None
    block = shown.blocks[0]
    error = block.error
    assert error is not None
    original_line = make_note("f.md", "x").code_blocks[0].code_line + 1
    assert (block.status, error.type, error.message) == ("failed", "ValueError", "boom")
    assert (block.line, error.line) == (5, original_line + 4)


def test_the_cache_knows_which_notes_it_holds_without_planning_them(tmp_path: Path) -> None:
    assert not ResultCache(tmp_path, CheckConfig()).holds("n.md")  # no folder yet
    run(tmp_path, make_note("n.md", "print(1)\n"), use_cache=True)
    cache = ResultCache(tmp_path, CheckConfig())
    assert (cache.holds("n.md"), cache.holds("other.md")) == (True, False)


def test_a_note_that_writes_to_itself_is_reported_and_not_cached(tmp_path: Path) -> None:
    (tmp_path / "self.md").write_text("```python\n...\n```\n", encoding="utf-8")
    writes = make_note("self.md", "open(__note_path__, 'a').write('appended\\n')\n")
    other = make_note("other.md", "x = 1\n")
    report = run(tmp_path, writes, other, use_cache=True)
    assert [note.status for note in report.notes] == ["passed", "passed"]
    assert list(report.diagnostics) == [
        Diagnostic(
            "self.md",
            1,
            "warning",
            "note-changed-while-running",
            "the note changed while its code ran (does a block write to it?); "
            "its results were not cached",
        )
    ]
    cache = ResultCache(tmp_path, CheckConfig())
    assert (cache.holds("self.md"), cache.holds("other.md")) == (False, True)


def test_a_block_that_deletes_the_cache_does_not_stop_the_run(tmp_path: Path) -> None:
    deletes = make_note(
        "a.md", "import os, shutil\nshutil.rmtree(os.path.join(__note_dir__, '.notebook-runner'))\n"
    )
    others = [make_note(f"n{i}.md", f"x = {i}\n") for i in range(3)]
    run(tmp_path, *others, use_cache=True)
    report = run(tmp_path, deletes, *others, use_cache=True)
    assert [note.status for note in report.notes] == ["passed", "cached", "cached", "cached"]
    assert report.diagnostics == ()


def test_a_cache_that_cannot_be_written_is_reported_once_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    (tmp_path / ".notebook-runner").mkdir()
    (tmp_path / ".notebook-runner" / "cache").write_text("not a folder")
    report = run(tmp_path, make_note("a.md", "x = 1\n"), make_note("b.md", "y\n"), use_cache=True)
    assert [note.status for note in report.notes] == ["passed", "failed"]
    folder = tmp_path / ".notebook-runner" / "cache" / "execute"
    assert list(report.diagnostics) == [
        Diagnostic(
            "a.md",
            1,
            "warning",
            "cache-not-written",
            f"results could not be stored in the cache ([Errno 20] Not a directory: "
            f"'{folder}'); they will run again",
        )
    ]


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: [],
        lambda entry: {**entry, "blocks": [{**entry["blocks"][0], "stdout": 5}]},
        lambda entry: {**entry, "blocks": ["not a block"]},
        lambda entry: {**entry, "inputs": {"helper.py": "not a fingerprint"}},
        lambda entry: {**entry, "blocks": [{**entry["blocks"][0], "status": "great"}]},
    ],
    ids=["list", "number as text", "string as block", "bad inputs", "unknown status"],
)
def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path, log: Path, damage: Any) -> None:
    note = make_note("n.md", counting_block(log, "one"))
    run(tmp_path, note, use_cache=True)
    runs(log)
    for entry in cache_dir(tmp_path).glob("*.json"):
        entry.write_text(json.dumps(damage(json.loads(entry.read_text()))))
    assert statuses(run(tmp_path, note, use_cache=True).notes[0]) == ["passed"]
    assert runs(log) == ["one"]
