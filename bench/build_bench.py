"""Build benchmark: `notebook-runner build` against MkDocs and bare markdown-it-py, in one run.

`python -m bench.build_bench [--notes 10000] [--seed 1] [--jobs 2] [--repeat 1]
[--workdir DIR] [--compare-venv DIR] [--no-mkdocs] [--update-readme]` generates a synthetic vault
(bench/synth.py) and times, on the very same Markdown files:

- `ours cold`: `notebook-runner build VAULT -j N -o OUT`, a fresh process with no cache
  and no previous site, every note parsed, rendered and written, notebooks included;
- `mkdocs`: `mkdocs build` of the same folder (default theme, `use_directory_urls:
  false`), from the comparison venv;
- `bare`: markdown-it-py rendering every note with plain CommonMark and writing the HTML,
  one process, no Obsidian features: the floor for a Python Markdown site generator;
- `ours rebuild`: after editing one note, the rebuild `notebook-runner serve` does
  (`serve.live.LiveSite.refresh`, in a process that built the site before): only the
  pages that show something of the note, the index, tag pages and search index.

Every command is timed as a user waits for it (interpreter start-up included), best of
`--repeat`. Targets (issue 5, 2 cores): `ours cold` at least 3 x faster than `mkdocs` and
faster than `bare`; `ours rebuild` under 1 s. The machine's load average is recorded
with the results, since other work on the same cores slows every figure.

`--no-mkdocs` leaves MkDocs out (it takes over 20 minutes on 10,000 notes, its theme
writing the whole navigation into every page); its row then says "not run".

MkDocs lives in its own venv (`bench/.venv-compare/`, git-ignored; created when missing,
and `mkdocs` installed into it when absent).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.synth import generate_vault
from notebook_runner.serve.live import LiveSite

REPO = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
RESULTS_START = "<!-- build-results:start -->"
RESULTS_END = "<!-- build-results:end -->"
DEFAULT_COMPARE_VENV = REPO / "bench" / ".venv-compare"
STATE_FOLDER = ".notebook-runner"

BARE_SCRIPT = """
import sys
from pathlib import Path
from markdown_it import MarkdownIt

root, out = Path(sys.argv[1]), Path(sys.argv[2])
md = MarkdownIt("commonmark")
for path in sorted(root.rglob("*.md")):
    relative = path.relative_to(root)
    if any(part.startswith(".") for part in relative.parts):
        continue
    target = out / relative.with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(md.render(path.read_text(encoding="utf-8")), encoding="utf-8")
"""


@dataclass(frozen=True)
class Figures:
    cold: float
    mkdocs: float | None
    bare: float
    rebuild: float


def timed_command(command: Sequence[str], cwd: Path) -> float:
    """Wall time of a command that must succeed; its output is not shown. What earlier
    steps wrote is flushed to disk first, so no command pays for another's writeback."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    os.sync()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=environ, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def ours_cold(vault: Path, out: Path, jobs: int) -> float:
    shutil.rmtree(vault / STATE_FOLDER, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("notebook-runner")), "build", str(vault)]
    return timed_command([*command, "-j", str(jobs), "-o", str(out)], vault.parent)


def bare(vault: Path, out: Path) -> float:
    return timed_command([sys.executable, "-c", BARE_SCRIPT, str(vault), str(out)], vault.parent)


def mkdocs(vault: Path, out: Path, venv: Path) -> float:
    out.parent.mkdir(parents=True, exist_ok=True)
    config = out.parent / "mkdocs.yml"
    config.write_text(
        f"site_name: bench\ndocs_dir: {vault}\nsite_dir: {out}\nuse_directory_urls: false\n",
        encoding="utf-8",
    )
    return timed_command(
        [str(venv / "bin" / "mkdocs"), "build", "-q", "-f", str(config)], out.parent
    )


def remove_old_sites(workdir: Path) -> None:
    """Sites of earlier runs in `workdir` are deleted before the vault is generated, and
    no timed command deletes anything (each attempt writes into new folders): on the
    ext4 of these machines (mounted with `discard`), creating files stays slow for
    several seconds after thousands were deleted, which would be charged to whichever
    command ran next (measured: 16,000 small files written in 0.4 s, or in 2-4 s right
    after deleting a 10,000-note site)."""
    for old in workdir.glob("sites-*"):
        shutil.rmtree(old, ignore_errors=True)


def ours_rebuild(vault: Path) -> float:
    """Edit one note in the middle of the vault and time serve's refresh."""
    live = LiveSite(vault)
    notes = sorted(vault.rglob("*.md"))
    note = notes[len(notes) // 2]
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    started = time.perf_counter()
    refresh = live.refresh([note])
    elapsed = time.perf_counter() - started
    if refresh.full or not refresh.changed:
        raise RuntimeError(f"editing {note} did not give an incremental rebuild")
    return elapsed


def ensure_mkdocs(venv: Path) -> None:
    if (venv / "bin" / "mkdocs").exists():
        return
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "mkdocs"], check=True)


def run(workdir: Path, notes: int, seed: int, jobs: int, repeat: int, venv: Path | None) -> Figures:
    """`venv`: where MkDocs is; None leaves it out."""
    vault = workdir / "vault"
    remove_old_sites(workdir)
    shutil.rmtree(vault, ignore_errors=True)
    generate_vault(vault, notes, seed)
    runs = []
    for attempt in range(repeat):
        sites = workdir / f"sites-{attempt}"
        runs.append(
            Figures(
                cold=ours_cold(vault, sites / "ours", jobs),
                mkdocs=mkdocs(vault, sites / "mkdocs", venv) if venv else None,
                bare=bare(vault, sites / "bare"),
                rebuild=ours_rebuild(vault),
            )
        )
    return Figures(
        cold=min(r.cold for r in runs),
        mkdocs=min((r.mkdocs for r in runs if r.mkdocs is not None), default=None),
        bare=min(r.bare for r in runs),
        rebuild=min(r.rebuild for r in runs),
    )


def format_report(figures: Figures, notes: int, jobs: int, repeat: int, load: str) -> str:
    day = datetime.date.today().isoformat()
    rows = [
        ("ours cold", f"`notebook-runner build -j {jobs}`", _seconds(figures.cold)),
        ("mkdocs", "`mkdocs build`", _seconds(figures.mkdocs)),
        ("bare", "markdown-it-py render, one process", _seconds(figures.bare)),
        ("ours rebuild", "serve's rebuild after editing one note", _seconds(figures.rebuild)),
    ]
    if figures.mkdocs is None:
        versus_mkdocs = "- mkdocs / ours cold: not measured (--no-mkdocs)"
    else:
        ratio = figures.mkdocs / figures.cold
        versus_mkdocs = (
            f"- mkdocs / ours cold: {ratio:.2f} x (target >= 3 x): {_verdict(ratio >= 3)}"
        )
    lines = [
        f"Measured {day}, {platform.machine()}, {os.cpu_count()} cores (load average {load} "
        f"at the start), Python {platform.python_version()}; synthetic vault of {notes} "
        f"notes (seed 1); best of {repeat} run(s).",
        "",
        "| step | what | seconds |",
        "|---|---|---:|",
        *(f"| {name} | {what} | {seconds} |" for name, what, seconds in rows),
        "",
        versus_mkdocs,
        f"- bare / ours cold: {figures.bare / figures.cold:.2f} x "
        f"(target > 1 x): {_verdict(figures.bare > figures.cold)}",
        f"- rebuild after one edit: {figures.rebuild:.2f} s "
        f"(target < 1 s): {_verdict(figures.rebuild < 1)}",
    ]
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "not run" if value is None else f"{value:.2f}"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def update_readme(readme: Path, report: str) -> None:
    text = readme.read_text(encoding="utf-8")
    before, _, rest = text.partition(RESULTS_START)
    _, _, after = rest.partition(RESULTS_END)
    readme.write_text(f"{before}{RESULTS_START}\n{report}\n{RESULTS_END}{after}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the vault and sites here")
    parser.add_argument("--compare-venv", type=Path, default=DEFAULT_COMPARE_VENV)
    parser.add_argument("--no-mkdocs", action="store_true", help="leave MkDocs out")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    venv = None if args.no_mkdocs else args.compare_venv
    if venv is not None:
        ensure_mkdocs(venv)
    load = load_average()
    with tempfile.TemporaryDirectory(prefix="build-bench-") as temporary:
        workdir = (args.workdir or Path(temporary)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        figures = run(workdir, args.notes, args.seed, args.jobs, args.repeat, venv)
    report = format_report(figures, args.notes, args.jobs, args.repeat, load)
    print(report)
    if args.update_readme:
        update_readme(README, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
