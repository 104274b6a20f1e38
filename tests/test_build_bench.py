"""The build benchmark's report: verdicts against the targets, MkDocs optional."""

from __future__ import annotations

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
