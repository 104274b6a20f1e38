"""The parse benchmark's measuring tools: GC policy, CPU time, the cores probe."""

from __future__ import annotations

import gc

from bench.parse_bench import Timing, effective_cores, format_report, measure


def test_a_step_runs_with_the_collector_paused_and_gets_it_back() -> None:
    seen: list[bool] = []
    wall, cpu = measure(lambda: seen.append(gc.isenabled()))
    assert seen == [False]
    assert gc.isenabled()
    assert wall >= 0 and cpu >= 0


def test_cpu_time_counts_work_done() -> None:
    _, cpu = measure(lambda: sum(range(3_000_000)))
    assert cpu > 0


def test_the_report_gives_cpu_ratios_and_the_cores_line() -> None:
    timings = [Timing("bare", 2.0, 10, 1.0, 4.0), Timing("ours", 3.0, 10, 1.0, 5.0)]
    report = format_report(timings, "test", 1, "0.00", "2 busy processes got 1.9 cores")
    assert "2 busy processes got 1.9 cores" in report
    assert report.splitlines()[-1] == "| ours | 3.00 | 3 | 0.33 | 1.50 | 5.00 | 1.25 |"


def test_the_cores_probe_sees_at_least_part_of_a_core() -> None:
    assert effective_cores(1, rounds=200_000) > 0.2
