"""`check` benchmark: notebook-runner against nbmake and pytest-markdown-docs, in one run.

`python -m bench.check_bench [--compare-venv bench/.venv-compare] [--jobs 2] [--repeat 1]
[--workdir DIR] [--update-readme]` writes three vaults and times, on the very same notes:

1. `torch`: 20 notes whose two blocks each import torch and compute on a tensor.
   `notebook-runner check -j 2` (config `[check] preload = ["torch"]`, empty cache),
   nbmake on the notes converted to `.ipynb` with jupytext, both with `-n 2`
   (pytest-xdist) and in one process (what a user gets by default), pytest-markdown-docs
   on the `.md` files (one process: it has no parallelism of its own). Target: ours
   >= 30 x faster than nbmake, judged against `pytest --nbmake` as nbmake runs by default
   (one process). The `-n 2` ratio is reported beside it: no cold run can reach 30 x
   there, since one `import torch` alone is about 1/25 of nbmake's `-n 2` time.
2. `trivial`: 200 notes of plain Python, same three tools. Target: ours at least as
   fast as pytest-markdown-docs.
3. `cached`: a 1,000-note synthetic vault (`bench/synth.py`) checked once to fill the
   cache, then re-checked unchanged. Target: re-check < 1 s. Ours only.

Every time is the wall clock of a whole command, interpreter start-up included, because
that is what a user or a CI job waits for. Each note's blocks are self-contained, since
pytest-markdown-docs runs every block in fresh globals; nbmake and ours would share them.
Each tool's result counts are checked, so a tool that silently collected nothing cannot
look fast. The comparison tools live in their own virtual environment so that the
project's stays clean; it is created (and completed) when missing.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jupytext  # type: ignore[import-untyped]

from bench.synth import generate_vault

PROJECT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
RESULTS_START = "<!-- check-results:start -->"
RESULTS_END = "<!-- check-results:end -->"
DEFAULT_COMPARE_VENV = PROJECT / "bench" / ".venv-compare"
CONSTRAINTS = PROJECT / "constraints.txt"
COMPARE_PACKAGES = (
    "nbmake",
    "pytest-markdown-docs",
    "pytest-xdist",
    "jupytext",
    "ipykernel",
    "torch==2.13.0",
)
COMPARE_MODULES = ("nbmake", "pytest_markdown_docs", "xdist", "jupytext", "ipykernel", "torch")
COMMAND_TIMEOUT_S = 1800.0
BLOCKS_PER_NOTE = 2
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
# Only one ini file in the work folder, so pytest never climbs into a project's config.
PYTEST_INI = "[pytest]\n"

SERIAL_NBMAKE = "nbmake, one process"
TORCH_NOTES = 20
TRIVIAL_NOTES = 200
CACHED_NOTES = 1000
TORCH_RATIO_TARGET = 30.0
PARALLEL_NBMAKE_NOTE = "for reference, not the target: see bench/README.md"
TRIVIAL_RATIO_TARGET = 1.0
CACHED_TARGET_S = 1.0


# ---------------------------------------------------------------- the notes


def torch_note(index: int) -> str:
    """A lecture note in the seed's style whose two blocks each do a small torch step."""
    a, b = index % 9 + 1, index * 7 % 9 + 1
    return (
        f"---\ntags:\n  - Code\n  - ML\n---\n# Tensor practice {index}\n"
        f"Gradient descent on a quadratic, after [[Tensor practice {max(index - 1, 0)}]].\n\n"
        "```python\nimport torch\n"
        f"abc = torch.tensor([{a}.0, {b}.0, 1.0])\nabc.requires_grad_()\n"
        "loss = (abc ** 2).sum()\nloss.backward()\nprint(abc.grad)\n```\n\n"
        "The ==mean squared error== of a line over a grid:\n\n"
        "```python\nimport torch\nx = torch.linspace(-2, 2, steps=20)\n"
        f"print(((x * {a} + {b}) ** 2).mean().item())\n```\n"
    )


def trivial_note(index: int) -> str:
    """A short note with two blocks of plain Python: the cost is all in the tool."""
    a, b = index % 9 + 1, index * 7 % 9 + 1
    return (
        f"---\ntags:\n  - Code\n---\n# Exercise {index}\nSee [[Exercise {max(index - 1, 0)}]].\n\n"
        "```python\ndef quad(a, b, c, x): return a*x**2 + b*x + c\n"
        f"print(quad({a}, {b}, 1, 2))\n```\n\n"
        f"```python\nvalues = [{a}, {b}, {a + b}]\nfor i, v in enumerate(values):\n"
        "    print(i, v)\n```\n"
    )


def write_notes(root: Path, count: int, note: Callable[[int], str]) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = [root / f"note {index:04}.md" for index in range(count)]
    for index, path in enumerate(paths):
        path.write_text(note(index), encoding="utf-8")
    return paths


def write_check_config(root: Path, preload: Sequence[str]) -> None:
    modules = ", ".join(json.dumps(module) for module in preload)
    (root / "notebook-runner.toml").write_text(f"[check]\npreload = [{modules}]\n")


def convert_to_notebooks(notes: Sequence[Path], out: Path) -> list[Path]:
    """What an nbmake user would run: each note as a notebook, through jupytext."""
    out.mkdir(parents=True, exist_ok=True)
    notebooks = []
    for note in notes:
        notebook = jupytext.read(note, fmt="md")
        notebook.metadata["kernelspec"] = dict(KERNELSPEC)
        target = out / note.with_suffix(".ipynb").name
        jupytext.write(notebook, target, fmt="ipynb")
        notebooks.append(target)
    return notebooks


# ---------------------------------------------------------------- the command lines


def ours_command(vault: Path, jobs: int, report: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "notebook_runner",
        "check",
        str(vault),
        "-j",
        str(jobs),
        "--format",
        "json",
        "-o",
        str(report),
    ]


def nbmake_command(compare_python: Path, notebooks: Path, workers: int) -> list[str]:
    parallel = ["-n", str(workers)] if workers > 1 else []
    return [
        str(compare_python),
        "-m",
        "pytest",
        *_pytest_common(),
        "--nbmake",
        *parallel,
        str(notebooks),
    ]


def markdown_docs_command(compare_python: Path, notes: Path) -> list[str]:
    return [
        str(compare_python),
        "-m",
        "pytest",
        *_pytest_common(),
        "--markdown-docs",
        str(notes),
    ]


def _pytest_common() -> list[str]:
    return ["-q", "-p", "no:cacheprovider"]


# ---------------------------------------------------------------- running and counting


@dataclass(frozen=True)
class Outcome:
    """One timed command: its wall time and how many tests or blocks passed and failed."""

    seconds: float
    passed: int
    failed: int
    output: str
    cached: int = 0


def bench_env() -> dict[str, str]:
    """The environment of every timed command: Python may write bytecode, as on a user's
    machine. With PYTHONDONTWRITEBYTECODE set (as in some sandboxes), an editable install
    recompiles its sources on every run while pip-installed tools load their bytecode."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_timed(command: Sequence[str], cwd: Path, timeout: float = COMMAND_TIMEOUT_S) -> Outcome:
    """Runs in its own session so that a timeout also kills kernels and workers."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=bench_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        output += f"\n[check_bench: killed after {timeout:g} s]"
    seconds = time.perf_counter() - start
    return Outcome(seconds, *pytest_counts(output), output)


def pytest_counts(output: str) -> tuple[int, int]:
    """(passed, failed) from pytest's last summary line; errors count as failures."""
    lines = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    if not lines:
        return 0, 0
    summary = lines[-1]
    counts = {
        word: int(number) for number, word in re.findall(r"(\d+) (passed|failed|errors?)", summary)
    }
    failed = counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
    return counts.get("passed", 0), failed


def report_counts(report: Path) -> tuple[int, int, int]:
    """(passed, failed or not-run, cached) from our JSON report, whose `passed` counts
    the passes replayed from the cache too; zeros if none."""
    try:
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        return int(summary["passed"]), summary["failed"] + summary["not_run"], summary["cached"]
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0, 0


def run_ours(vault: Path, jobs: int, fresh: bool) -> Outcome:
    report = vault.parent / f"{vault.name}-report.json"
    if fresh:
        shutil.rmtree(vault / ".notebook-runner", ignore_errors=True)
    report.unlink(missing_ok=True)
    outcome = run_timed(ours_command(vault, jobs, report), vault.parent)
    passed, failed, cached = report_counts(report)
    return Outcome(outcome.seconds, passed, failed, outcome.output, cached)


def best_of(repeat: int, action: Callable[[], Outcome]) -> Outcome:
    """The fastest of `repeat` runs (as timeit does): noise only ever adds time."""
    return min((action() for _ in range(max(1, repeat))), key=lambda outcome: outcome.seconds)


# ---------------------------------------------------------------- the comparison venv


def compare_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_compare_venv(venv: Path, log: Callable[[str], None]) -> Path:
    """Create the comparison venv, or complete one that lacks a tool, and return its python."""
    python = compare_python(venv)
    if not python.exists():
        log(f"creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = [str(python), "-c", f"import {', '.join(COMPARE_MODULES)}"]
    if subprocess.run(probe, capture_output=True).returncode != 0:
        log(f"installing {' '.join(COMPARE_PACKAGES)} into {venv}")
        install = [str(python), "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS)]
        subprocess.run([*install, *COMPARE_PACKAGES], check=True)
    return python


def tool_versions(python: Path) -> dict[str, str]:
    names = ["nbmake", "pytest-markdown-docs", "pytest-xdist", "jupytext", "pytest", "torch"]
    script = (
        "import json, importlib.metadata as m\n"
        f"print(json.dumps({{n: m.version(n) for n in {names!r}}}))"
    )
    result = subprocess.run([str(python), "-c", script], capture_output=True, text=True)
    return dict(json.loads(result.stdout)) if result.returncode == 0 else {}


def warm_up(pythons: Sequence[Path]) -> None:
    """Compile our package's bytecode (pip did the tools') and import torch once from
    each venv (two copies on disk), so that no tool pays a one-off cost the others do not."""
    package = PROJECT / "notebook_runner"
    compile_all = [sys.executable, "-m", "compileall", "-q", str(package)]
    subprocess.run(compile_all, check=True, capture_output=True, env=bench_env())
    for python in pythons:
        subprocess.run([str(python), "-c", "import torch"], check=True, capture_output=True)


# ---------------------------------------------------------------- the scenarios


@dataclass(frozen=True)
class Row:
    scenario: str
    tool: str
    outcome: Outcome
    expected: int
    from_cache: bool = False

    @property
    def passed(self) -> int:
        """Tests or blocks that passed; for a re-check, those replayed from the cache."""
        return self.outcome.cached if self.from_cache else self.outcome.passed

    @property
    def complete(self) -> bool:
        """Did the tool run and pass every test it should have? A fast tool that ran
        nothing would otherwise win."""
        return self.passed == self.expected and self.outcome.failed == 0


@dataclass(frozen=True)
class Settings:
    work: Path
    python: Path
    jobs: int
    repeat: int
    nbmake_serial: bool = True


def compare_three(
    settings: Settings, name: str, count: int, note: Callable[[int], str], preload: Sequence[str]
) -> list[Row]:
    """Ours, nbmake and pytest-markdown-docs on the same `count` notes."""
    folder = settings.work / name
    vault = folder / "vault"
    notes = write_notes(vault, count, note)
    write_check_config(vault, preload)
    notebooks = folder / "notebooks"
    convert_to_notebooks(notes, notebooks)
    blocks = count * BLOCKS_PER_NOTE
    ours = best_of(settings.repeat, lambda: run_ours(vault, settings.jobs, fresh=True))
    rows = [Row(name, f"notebook-runner -j {settings.jobs}", ours, blocks)]
    for workers in nbmake_workers(settings):
        command = nbmake_command(settings.python, notebooks, workers)
        nbmake = best_of(settings.repeat, functools.partial(run_timed, command, folder))
        rows.append(Row(name, nbmake_tool(workers), nbmake, count))
    docs = best_of(
        settings.repeat, lambda: run_timed(markdown_docs_command(settings.python, vault), folder)
    )
    return [*rows, Row(name, "pytest-markdown-docs", docs, blocks)]


def nbmake_workers(settings: Settings) -> list[int]:
    """nbmake with pytest-xdist (`-n jobs`, its own advice for speed) and, unless told
    not to, without it: a plain `pytest --nbmake`, what a user gets by default."""
    parallel = [settings.jobs] if settings.jobs > 1 else []
    return parallel + ([1] if settings.nbmake_serial or not parallel else [])


def nbmake_tool(workers: int) -> str:
    return f"nbmake -n {workers}" if workers > 1 else SERIAL_NBMAKE


def cached_recheck(settings: Settings, count: int) -> list[Row]:
    vault = settings.work / "cached" / "vault"
    generate_vault(vault, count, seed=1)
    first = run_ours(vault, settings.jobs, fresh=True)
    expected = first.passed
    again = best_of(settings.repeat, lambda: run_ours(vault, settings.jobs, fresh=False))
    return [
        Row("cached", f"notebook-runner, first run (-j {settings.jobs})", first, expected),
        Row("cached", "notebook-runner, unchanged re-check", again, expected, from_cache=True),
    ]


# ---------------------------------------------------------------- reporting


def ratio(slower: Row, faster: Row) -> float:
    return slower.outcome.seconds / faster.outcome.seconds


def verdicts(rows: Sequence[Row]) -> list[str]:
    """One line per issue-4 target: the figure, and met / missed by how much."""
    by_key = {(row.scenario, row.tool.split()[0]): row for row in rows}
    lines = []
    torch_ours = by_key[("torch", "notebook-runner")]
    nbmake_rows = [r for r in rows if r.scenario == "torch" and r.tool.startswith("nbmake")]
    for row in nbmake_rows:
        speedup = ratio(row, torch_ours)
        if row.tool == SERIAL_NBMAKE:
            lines.append(_verdict("torch: nbmake / ours", speedup, TORCH_RATIO_TARGET))
        else:
            lines.append(f"torch: {row.tool} / ours: {speedup:.1f} x ({PARALLEL_NBMAKE_NOTE})")
    if not any(row.tool == SERIAL_NBMAKE for row in nbmake_rows):
        lines.append("torch: no verdict (nbmake's default one-process run was left out)")
    trivial_ours = by_key[("trivial", "notebook-runner")]
    trivial_docs = by_key[("trivial", "pytest-markdown-docs")]
    speedup = ratio(trivial_docs, trivial_ours)
    lines.append(_verdict("trivial: pytest-markdown-docs / ours", speedup, TRIVIAL_RATIO_TARGET))
    recheck = next(row for row in rows if row.tool.endswith("re-check"))
    seconds = recheck.outcome.seconds
    met = seconds < CACHED_TARGET_S
    state = "met" if met else f"MISSED by {seconds - CACHED_TARGET_S:.2f} s"
    lines.append(f"cached re-check: {seconds:.2f} s (target < {CACHED_TARGET_S:g} s): {state}")
    return lines


def _verdict(label: str, speedup: float, target: float) -> str:
    state = "met" if speedup >= target else f"MISSED by a factor {target / speedup:.2f}"
    return f"{label}: {speedup:.1f} x (target >= {target:g} x): {state}"


def results_table(rows: Sequence[Row]) -> str:
    lines = [
        "| scenario | tool | time (s) | passed / expected | failed |",
        "|---|---|---:|---:|---:|",
    ]
    for row in rows:
        outcome = row.outcome
        mark = "" if row.complete else " **incomplete**"
        lines.append(
            f"| {row.scenario} | {row.tool} | {outcome.seconds:.2f} | "
            f"{row.passed} / {row.expected}{mark} | {outcome.failed} |"
        )
    return "\n".join(lines)


def machine_line(versions: dict[str, str], load: float) -> str:
    """Where and when; the load average at the start tells whether something else was
    competing for the two cores."""
    date = datetime.date.today().isoformat()
    tools = ", ".join(f"{name} {version}" for name, version in versions.items())
    return (
        f"{date}, {_cpu_model()}, {os.cpu_count()} cores (load average {load:.2f} at the "
        f"start), Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}; {tools}"
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def results_block(rows: Sequence[Row], machine: str, repeat: int) -> str:
    runs = "one run" if repeat <= 1 else f"best of {repeat} runs"
    return "\n".join(
        [
            f"Measured {machine}; {runs} each.",
            "",
            results_table(rows),
            "",
            *[f"- {line}" for line in verdicts(rows)],
        ]
    )


def update_readme(block: str, readme: Path = README) -> bool:
    """Replace only the text between this benchmark's markers; False if they are missing."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(RESULTS_START), text.find(RESULTS_END)
    if start < 0 or end < start:
        return False
    head = text[: start + len(RESULTS_START)]
    readme.write_text(f"{head}\n{block}\n{text[end:]}", encoding="utf-8")
    return True


# ---------------------------------------------------------------- entry point


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.check_bench", description=__doc__)
    parser.add_argument("--compare-venv", type=Path, default=DEFAULT_COMPARE_VENV)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="report the best of N runs")
    parser.add_argument("--workdir", type=Path, help="keep the vaults here (default: temp)")
    parser.add_argument("--torch-notes", type=int, default=TORCH_NOTES)
    parser.add_argument("--trivial-notes", type=int, default=TRIVIAL_NOTES)
    parser.add_argument("--cached-notes", type=int, default=CACHED_NOTES)
    parser.add_argument(
        "--no-serial-nbmake",
        action="store_true",
        help="time nbmake with pytest-xdist only (its one-process runs take minutes)",
    )
    parser.add_argument("--update-readme", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load = os.getloadavg()[0]
    python = ensure_compare_venv(args.compare_venv.resolve(), print)
    warm_up([Path(sys.executable), python])
    with tempfile.TemporaryDirectory(prefix="check-bench-") as temp:
        work = (args.workdir or Path(temp)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        (work / "pytest.ini").write_text(PYTEST_INI)
        settings = Settings(work, python, args.jobs, args.repeat, not args.no_serial_nbmake)
        rows = compare_three(settings, "torch", args.torch_notes, torch_note, ["torch"])
        rows += compare_three(settings, "trivial", args.trivial_notes, trivial_note, [])
        rows += cached_recheck(settings, args.cached_notes)
    block = results_block(rows, machine_line(tool_versions(python), load), args.repeat)
    print(block)
    for row in rows:
        if not row.complete:
            print(f"\n--- {row.scenario} / {row.tool}: incomplete; its output ends:")
            print(row.outcome.output[-3000:])
    if args.update_readme and not update_readme(block):
        print(f"{README}: markers {RESULTS_START} / {RESULTS_END} not found", file=sys.stderr)
        return 2
    return 0 if all(row.complete for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
