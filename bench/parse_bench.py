"""Parse benchmark: our Obsidian pipeline against bare markdown-it-py, in one run.

`python -m bench.parse_bench [--notes 10000] [--seed 1] [--jobs 2] [--repeat 1]
[--vault DIR] [--update-readme]` generates a synthetic vault (bench/synth.py) unless
`--vault` is given, then times on the very same notes:

- `load`: reading the vault from disk (`vault.load_vault`), for scale;
- `bare`: markdown-it-py, CommonMark + front_matter plugin, one process: the baseline;
- `bare+gfm`: the same plus GFM (tables, strikethrough, autolinks, footnotes, math),
  to show how much of our cost is GFM rather than Obsidian;
- `ours parse`, `ours resolve`: `parse_note` on every note (one process) and
  `resolve_vault` on the result, apart, to show where the time goes;
- `ours`: both together, one process (`pipeline.parse_sources(jobs=1)` + resolve);
- `ours xN`: the same with N worker processes;
- `cached parse`: reading the unchanged vault and parsing it through the content-hash
  parse cache (`pipeline.parse_sources` with a warm cache file);
- `cached all`: the same plus resolving: an unchanged vault opened again.

Every step runs with Python's cyclic garbage collector paused, as `pipeline.open_vault`
runs parsing and resolving (a collection between steps, untimed, clears up). Each step
reports wall time and CPU time (this process plus its finished worker processes): on a
machine shared with other work, CPU time of the one-process steps is the steadier
basis for the `ours` / `bare` ratio, and wall time is what shows the worker speed-up.

Targets (issue 3, 10,000 notes, 2 cores): `ours` <= 1.3 x `bare`; `ours x2` < `bare`;
re-parse of an unchanged vault (`cached parse`) < 2 s.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import markdown_it
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.gfm import gfm_plugin

from bench.synth import generate_vault
from notebook_runner.model import Diagnostic, SourceFile, Vault
from notebook_runner.pipeline import parse_sources
from notebook_runner.resolve import resolve_vault
from notebook_runner.vault import LoadedVault, load_vault

README = Path(__file__).with_name("README.md")
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: float
    notes: int
    megabytes: float
    cpu_seconds: float = 0.0

    @property
    def notes_per_second(self) -> float:
        return self.notes / self.seconds if self.seconds else float("inf")

    @property
    def megabytes_per_second(self) -> float:
        return self.megabytes / self.seconds if self.seconds else float("inf")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have exited (pool workers are
    joined before a step returns), so a step's CPU cost includes its workers'."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage-collector policy of `pipeline.open_vault` (paused while parsing and
    resolving): measuring with the collector running would time a cost the pipeline
    does not pay. The objects left behind are collected afterwards, outside the timing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def measure(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `action`, under the pipeline's GC policy."""
    with collector_paused():
        cpu_start = cpu_seconds()
        _, wall = timed(action)
        cpu = cpu_seconds() - cpu_start
    gc.collect()
    return wall, cpu


def bare_parse(sources: Sequence[SourceFile], md: MarkdownIt) -> None:
    for source in sources:
        md.parse(source.text)


def parse_and_resolve(
    loaded: LoadedVault, jobs: int, cache_file: Path | None = None
) -> tuple[Vault, list[Diagnostic]]:
    notes, _ = parse_sources(loaded.sources, jobs, cache_file)
    return resolve_vault(notes, loaded.attachments)


def rerun_from_disk(root: Path, jobs: int, cache_file: Path) -> tuple[Vault, list[Diagnostic]]:
    """What `pipeline.open_vault` does on an unchanged vault, minus reading the config."""
    loaded, _ = load_vault(root)
    return parse_and_resolve(loaded, jobs, cache_file)


def run(root: Path, jobs: int, cache_file: Path, repeat: int = 1) -> list[Timing]:
    """Every measurement on the vault at `root`, in the order of the report.

    Steps are interleaved round by round and each keeps its fastest round: other
    processes only ever add time, and interleaving spreads their noise over all steps.
    """
    loaded, _ = load_vault(root)
    notes, _ = parse_sources(loaded.sources, 1, cache_file)  # also fills the cache
    bare = MarkdownIt("commonmark").use(front_matter_plugin)
    gfm = MarkdownIt("commonmark").use(gfm_plugin, dollarmath=True, front_matter=True)
    steps: dict[str, Callable[[], object]] = {
        "load": lambda: load_vault(root),
        "bare": lambda: bare_parse(loaded.sources, bare),
        "bare+gfm": lambda: bare_parse(loaded.sources, gfm),
        "ours parse": lambda: parse_sources(loaded.sources, 1),
        "ours resolve": lambda: resolve_vault(notes, loaded.attachments),
        "ours": lambda: parse_and_resolve(loaded, 1),
        f"ours x{jobs}": lambda: parse_and_resolve(loaded, jobs),
        "cached parse": lambda: parse_sources(load_vault(root)[0].sources, jobs, cache_file),
        "cached all": lambda: rerun_from_disk(root, jobs, cache_file),
    }
    best = dict.fromkeys(steps, float("inf"))
    best_cpu = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, action in steps.items():
            wall, cpu = measure(action)
            best[name] = min(best[name], wall)
            best_cpu[name] = min(best_cpu[name], cpu)
    count = len(loaded.sources)
    megabytes = sum(len(source.text.encode("utf-8")) for source in loaded.sources) / 1e6
    return [
        Timing(name, seconds, count, megabytes, best_cpu[name]) for name, seconds in best.items()
    ]


def format_report(
    timings: Sequence[Timing], vault: str, repeat: int, load: str, cores: str = ""
) -> str:
    """A Markdown section: when, where, on what, then one row per measurement."""
    bare = next(timing for timing in timings if timing.name == "bare")
    lines = [
        f"Run {datetime.date.today().isoformat()} on {_machine()}.",
        f"Vault: {vault}, {timings[0].notes} notes, {timings[0].megabytes:.1f} MB; "
        f"best of {repeat} run(s); load average before the run: {load}.",
        *([cores] if cores else []),
        "",
        "| step | seconds | notes/s | MB/s | x bare | CPU seconds | x bare (CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for timing in timings:
        lines.append(
            f"| {timing.name} | {timing.seconds:.2f} | {timing.notes_per_second:,.0f} "
            f"| {timing.megabytes_per_second:.2f} | {_ratio(timing.seconds, bare.seconds)} "
            f"| {timing.cpu_seconds:.2f} | {_ratio(timing.cpu_seconds, bare.cpu_seconds)} |"
        )
    return "\n".join(lines)


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}" if base else "-"


def _machine() -> str:
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"markdown-it-py {markdown_it.__version__}"
    )


def _spin(rounds: int) -> int:
    total = 0
    for number in range(rounds):
        total += number
    return total


def effective_cores(workers: int, rounds: int = 20_000_000) -> float:
    """How many cores `workers` busy processes really get right now.

    The load average cannot see a host that runs other machines on the same physical
    cores: there, two processes may each get half a core while this one looks idle.
    Timing the same pure-Python loop alone and then in `workers` processes at once
    shows it; the worker speed-up of `ours xN` is bounded by this figure.
    """
    _, alone = timed(lambda: _spin(rounds))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_spin, [1] * workers))  # started: start-up is not timed
        _, together = timed(lambda: list(pool.map(_spin, [rounds] * workers)))
    return workers * alone / together


def cores_note(workers: int, before: float, after: float) -> str:
    return (
        f"{workers} busy processes got {before:.1f} cores' worth of CPU before the run and "
        f"{after:.1f} after it (`effective_cores`: the ceiling on the `x{workers}` speed-up)."
    )


def load_average() -> str:
    """Other processes on a 2-core machine skew timings; the report says how busy it was."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or platform.machine()
    match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return match.group(1).strip() if match else platform.machine()


def update_readme(readme: Path, report: str) -> None:
    """Replace the text between the result markers, keeping the rest of the README."""
    text = readme.read_text(encoding="utf-8")
    start = text.index(RESULTS_START) + len(RESULTS_START)
    end = text.index(RESULTS_END)
    readme.write_text(f"{text[:start]}\n{report}\n{text[end:]}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parse_bench", description=__doc__)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of N runs")
    parser.add_argument("--vault", type=Path, help="bench this vault instead of a synthetic one")
    parser.add_argument("--update-readme", action="store_true", help=f"write into {README}")
    args = parser.parse_args(argv)
    load = load_average()
    cores_before = effective_cores(args.jobs)
    with tempfile.TemporaryDirectory(prefix="nr-bench-") as scratch:
        root = args.vault or Path(scratch) / "vault"
        if args.vault is None:
            generate_vault(root, args.notes, args.seed)
        timings = run(root, args.jobs, Path(scratch) / "parse-cache.pickle", args.repeat)
    cores = cores_note(args.jobs, cores_before, effective_cores(args.jobs))
    vault = f"`{args.vault}`" if args.vault else f"synthetic (`--seed {args.seed}`)"
    report = format_report(timings, vault, args.repeat, load, cores)
    print(report)
    if args.update_readme:
        update_readme(README, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
