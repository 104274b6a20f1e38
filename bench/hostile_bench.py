"""Hostile-note benchmark: `parse`, `build` and `check` of pathological notes, each as a
ratio to bare markdown-it-py rendering the same text, in one run (issue 13 items 14-15).

`python -m bench.hostile_bench [--scale 1.0] [--repeat 1] [--only NAME ...]
[--update-readme]` writes each note of `NOTES` (bench/hostile.py builds them; `--scale`
shrinks them) alone into a vault and times each command in CPU seconds, interpreter
start-up included (best of `--repeat`):

- `bare`: `python -c` rendering the note with markdown-it-py (CommonMark) and writing
  the HTML: the baseline, "the bare markdown-it render plus start-up";
- `parse`: `notebook-runner parse VAULT`;
- `build`: `notebook-runner build VAULT -o OUT --no-cache` (no stored results);
- `check`: `notebook-runner check VAULT --no-cache` (runs the Python blocks; a note
  without any is only read).

Target (issue 13): every note parses, builds and checks within 3 x `bare`, however many
headings, timestamps or blocks it has; before the fixes, 10,000 timestamps built in 18 s,
a 5 MB note of 52,000 headings and blocks built in 139 s, `[` x 100,000 took 10 s to
parse and `![[` x 50,000 14 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.hostile import (
    code_blocks_note,
    inline_note,
    sections_note,
    timestamps_note,
    videos_note,
)
from bench.parse_bench import load_average

README = Path(__file__).with_name("README.md")
RESULTS_START = "<!-- hostile-results:start -->"
RESULTS_END = "<!-- hostile-results:end -->"
TARGET = 3.0
BARE_SCRIPT = """
import sys
from pathlib import Path
from markdown_it import MarkdownIt

text = Path(sys.argv[1]).read_text(encoding="utf-8")
Path(sys.argv[2]).write_text(MarkdownIt("commonmark").render(text), encoding="utf-8")
"""

NOTES: dict[str, tuple[Callable[[int], str], int]] = {
    "nested brackets": (lambda count: inline_note("nested brackets", count), 100_000),
    "open embeds": (lambda count: inline_note("open embeds", count), 50_000),
    "protocol names": (lambda count: inline_note("protocol names", count), 20_000),
    "footnote refs": (lambda count: inline_note("footnote refs", count), 16_000),
    "wiki-links per line": (lambda count: inline_note("wiki-links per line", count), 50_000),
    "timestamps": (timestamps_note, 10_000),
    "headings + blocks": (sections_note, 52_000),
    "code blocks": (code_blocks_note, 20_000),
    "videos": (videos_note, 5_000),
}
"""Each note's builder and its size in the issue (repeats, timestamps, sections...)."""


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    megabytes: float
    bare: float
    parse: float
    build: float
    check: float

    def ratio(self, seconds: float) -> float:
        return seconds / self.bare


def timed_command(command: Sequence[str], cwd: Path) -> float:
    """CPU seconds (user + system) of a command and every process it waited for; a
    failure is an error (its output is shown). CPU time, not wall time: on a machine
    shared with other work wall time measures the neighbours (a 5 MB render took 50 s
    of wall time and 5 s of CPU under a load average of 9)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # check exits 1 when a block fails
        message = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command[:2])} failed ({done.returncode}): {message}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(name: str, count: int, workdir: Path, repeat: int) -> Row:
    vault = workdir / name.replace(" ", "-").replace("+", "and")
    vault.mkdir(parents=True, exist_ok=True)
    note = vault / "Hostile.md"
    note.write_text(NOTES[name][0](count), encoding="utf-8")
    runner = str(Path(sys.executable).with_name("notebook-runner"))
    commands = {
        "bare": [sys.executable, "-c", BARE_SCRIPT, str(note), str(workdir / "bare.html")],
        "parse": [runner, "parse", str(vault)],
        "build": [runner, "build", str(vault), "-o", str(workdir / "site"), "--no-cache"],
        "check": [runner, "check", str(vault), "--no-cache"],
    }
    best = {step: float("inf") for step in commands}
    for _ in range(repeat):
        for step, command in commands.items():
            best[step] = min(best[step], timed_command(command, workdir))
    size = note.stat().st_size / 1e6
    return Row(name, count, size, best["bare"], best["parse"], best["build"], best["check"])


def run(names: Sequence[str], scale: float, repeat: int, workdir: Path) -> list[Row]:
    rows = []
    for name in names:
        count = max(1, round(NOTES[name][1] * scale))
        rows.append(measure(name, count, workdir, repeat))
        print(format_row(rows[-1]), flush=True)
    return rows


def format_row(row: Row) -> str:
    cells = [f"{row.bare:.2f}"]
    for seconds in (row.parse, row.build, row.check):
        cells.append(f"{seconds:.2f} ({row.ratio(seconds):.2f} x)")
    return f"| {row.name} | {row.count:,} | {row.megabytes:.2f} | " + " | ".join(cells) + " |"


def format_report(rows: Sequence[Row], scale: float, repeat: int, load: str) -> str:
    worst = max(max(row.ratio(s) for s in (row.parse, row.build, row.check)) for row in rows)
    verdict = "met" if worst <= TARGET else "MISSED"
    return "\n".join(
        [
            f"Measured {datetime.date.today().isoformat()}, {platform.machine()}, "
            f"{os.cpu_count()} cores (load average {load} at the start), Python "
            f"{platform.python_version()}; sizes x {scale:g} of the issue's; best of "
            f"{repeat} run(s). CPU seconds of each command and the processes it waited for "
            "(start-up included), and the ratio to `bare`.",
            "",
            "| note | repeats | MB | bare | parse | build | check |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *(format_row(row) for row in rows),
            "",
            f"- worst ratio: {worst:.2f} x (target <= {TARGET:g} x): {verdict}",
        ]
    )


def update_readme(readme: Path, report: str) -> None:
    """Only the text between this benchmark's markers changes."""
    before, _, rest = readme.read_text(encoding="utf-8").partition(RESULTS_START)
    after = rest.partition(RESULTS_END)[2]
    readme.write_text(f"{before}{RESULTS_START}\n{report}\n{RESULTS_END}{after}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="note sizes x this")
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of N runs")
    parser.add_argument("--only", nargs="+", choices=sorted(NOTES), help="these notes only")
    parser.add_argument("--update-readme", action="store_true", help=f"write into {README}")
    args = parser.parse_args(argv)
    load = load_average()
    print("| note | repeats | MB | bare | parse | build | check |", flush=True)
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as temporary:
        rows = run(args.only or list(NOTES), args.scale, args.repeat, Path(temporary))
    report = format_report(rows, args.scale, args.repeat, load)
    print(report)
    if args.update_readme:
        update_readme(README, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
