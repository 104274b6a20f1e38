"""The build benchmark's report: verdicts against the targets, MkDocs optional."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from bench import build_bench
from bench.build_bench import Figures, format_report


def test_report_gives_each_target_its_verdict() -> None:
    report = format_report(Figures(2.0, 10.0, 1.5, 0.4), 1000, 2, 3, "0.50")
    assert "| ours cold | `notebook-runner build -j 2` | 2.00 |" in report
    assert "- mkdocs / ours cold: 5.00 x (target >= 3 x): met" in report
    assert "- bare / ours cold: 0.75 x (target > 1 x): MISSED" in report
    assert "- rebuild after one edit: 0.40 s (target < 1 s): met" in report
    assert "load average 0.50 at the start" in report


def test_report_without_mkdocs_says_it_was_not_run() -> None:
    report = format_report(Figures(30.0, None, 14.0, 1.2), 10000, 2, 1, "1.00")
    assert "| mkdocs | `mkdocs build` | not run |" in report
    assert "- mkdocs / ours cold: not measured (--no-mkdocs)" in report
    assert "- rebuild after one edit: 1.20 s (target < 1 s): MISSED" in report


def test_each_attempt_writes_new_folders_and_old_sites_go_before_anything_is_timed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No timed command may pay for deleting thousands of files (slow file creation
    follows on these disks): old sites are removed before the vault is generated."""
    old = tmp_path / "sites-7" / "ours"
    old.mkdir(parents=True)
    (old / "index.html").write_text("old")
    seen: list[tuple[str, bool]] = []
    real = build_bench.timed_command

    def recording(command: Sequence[str], cwd: Path) -> float:
        seen.append((Path(command[0]).name, (tmp_path / "sites-7").exists()))
        return real(command, cwd)

    monkeypatch.setattr(build_bench, "timed_command", recording)
    figures = build_bench.run(tmp_path, notes=6, seed=1, jobs=1, repeat=2, venv=None)
    assert [name for name, _ in seen] == ["notebook-runner", Path(sys.executable).name] * 2
    assert not any(old_site_left for _, old_site_left in seen)
    for attempt in ("sites-0", "sites-1"):
        assert (tmp_path / attempt / "ours" / "index.html").is_file()
        assert any((tmp_path / attempt / "bare").rglob("*.html"))
    assert figures.mkdocs is None and figures.cold > 0 and figures.bare > 0
