"""The hostile-note benchmark: each note timed through every command, ratios to bare
markdown-it-py, the verdict against the 3 x target, and its README block."""

from __future__ import annotations

from pathlib import Path

from bench.hostile_bench import RESULTS_END, RESULTS_START, Row, format_report, run, update_readme


def test_a_small_run_times_every_command_of_each_note(tmp_path: Path) -> None:
    rows = run(["timestamps", "nested brackets"], scale=0.001, repeat=1, workdir=tmp_path)
    assert [(row.name, row.count) for row in rows] == [("timestamps", 10), ("nested brackets", 100)]
    assert all(min(row.bare, row.parse, row.build, row.check) > 0 for row in rows)
    assert (tmp_path / "site" / "hostile.html").is_file()


def test_report_gives_ratios_and_the_worst_against_the_target() -> None:
    rows = [
        Row("timestamps", 10_000, 0.36, 0.5, 0.6, 1.0, 0.25),
        Row("code blocks", 20_000, 0.49, 0.4, 0.5, 2.4, 1.0),
    ]
    report = format_report(rows, 1.0, 1, "1.00")
    assert (
        "| timestamps | 10,000 | 0.36 | 0.50 | 0.60 (1.20 x) | 1.00 (2.00 x) | 0.25 (0.50 x) |"
        in (report)
    )
    assert "- worst ratio: 6.00 x (target <= 3 x): MISSED" in report
    assert "- worst ratio: 2.00 x (target <= 3 x): met" in format_report(rows[:1], 1.0, 1, "1")


def test_readme_block_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{RESULTS_START}\nold\n{RESULTS_END}\nafter\n", encoding="utf-8")
    update_readme(readme, "new")
    assert readme.read_text(encoding="utf-8") == (
        f"before\n{RESULTS_START}\nnew\n{RESULTS_END}\nafter\n"
    )
