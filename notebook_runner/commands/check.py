"""`notebook-runner check VAULT`: run the Python in notes, report failures at note lines.

Also `notebook-runner report merge A.json B.json ...` to join the JSON reports of a CI
matrix that split a vault with `--shard K/N`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from notebook_runner.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, open_or_refuse
from notebook_runner.config import CheckConfig, load_config
from notebook_runner.diagnostics import Locator
from notebook_runner.execute import (
    CheckOptions,
    CheckReport,
    NoteResult,
    check_notes,
    format_github,
    format_json,
    format_junit,
    format_text,
    merge_reports,
    report_from_json,
    start_launcher,
)
from notebook_runner.execute.results import stored_locator
from notebook_runner.model import Note
from notebook_runner.vault import glob_match

FORMATTERS: dict[str, Callable[[CheckReport, Locator], str]] = {
    "text": format_text,
    "json": format_json,
    "junit": format_junit,
    "github": format_github,
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("check", help="run the Python blocks of every note")
    parser.add_argument("vault", type=Path, help="the vault folder")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="notes run in parallel")
    parser.add_argument(
        "--keep-going", action="store_true", help="run blocks after a failed block too"
    )
    parser.add_argument("--no-cache", action="store_true", help="run everything again")
    parser.add_argument("--shard", type=_shard, default=None, metavar="K/N")
    parser.add_argument("-o", "--output", type=Path, help="write the report to this file")
    parser.set_defaults(handler=run)

    report = commands.add_parser("report", help="work with saved check reports")
    actions = report.add_subparsers(dest="action", required=True, metavar="ACTION")
    merge = actions.add_parser("merge", help="join JSON reports of shards into one")
    merge.add_argument("reports", type=Path, nargs="+")
    merge.add_argument("--format", choices=sorted(FORMATTERS), default="json")
    merge.set_defaults(handler=run_merge)


def _shard(text: str) -> tuple[int, int]:
    try:
        index, total = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N such as 1/4, got {text!r}") from None
    if not 1 <= index <= total:
        raise argparse.ArgumentTypeError(f"shard {text} is not within 1..N")
    return index, total


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _start_launcher_early(args.vault)
    workspace = open_or_refuse(args.vault, err, args.jobs, check_videos=False)
    if workspace is None:
        return EXIT_USAGE
    config = workspace.config.check
    notes = selected_notes(workspace.vault.notes, config)
    with _progress(len(notes), err, enabled=args.format == "text") as on_progress:
        options = CheckOptions(
            jobs=args.jobs,
            keep_going=args.keep_going,
            use_cache=not args.no_cache,
            shard=args.shard,
            on_progress=on_progress,
        )
        report = check_notes(notes, args.vault, config, options)
    _write(FORMATTERS[args.format](report, workspace.locate), args.output, out)
    return EXIT_FAILED if report.failed else EXIT_OK


def _start_launcher_early(vault: Path) -> None:
    """Right after reading the config, so that the fork server's start-up and preload
    import (torch: over a second) run while the vault is loaded and parsed. The config
    is read again by `open_or_refuse`, which reports its errors; a broken config starts
    nothing."""
    if not vault.is_dir():
        return
    config, errors = load_config(vault)
    if not errors:
        start_launcher(config.check, CheckOptions())


def selected_notes(notes: Sequence[Note], config: CheckConfig) -> list[Note]:
    """Notes matching an `include` glob and no `exclude` glob of `[check]`."""
    return [
        note
        for note in notes
        if any(glob_match(note.path, pattern) for pattern in config.include)
        and not any(glob_match(note.path, pattern) for pattern in config.exclude)
    ]


def run_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reports = []
    saved = []
    for path in args.reports:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            reports.append(report_from_json(data))
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"notebook-runner: error: cannot read report {path}: {error}", file=err)
            return EXIT_USAGE
        saved.append(data)
    merged = merge_reports(reports)
    out.write(FORMATTERS[args.format](merged, stored_locator(saved)))
    return EXIT_FAILED if merged.failed else EXIT_OK


def _write(text: str, output: Path | None, out: TextIO) -> None:
    if output is None:
        out.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@contextmanager
def _progress(
    total: int, err: TextIO, enabled: bool
) -> Iterator[Callable[[NoteResult], None] | None]:
    """A progress bar on an interactive terminal only: logs and CI stay clean."""
    if not (enabled and err is sys.stderr and err.isatty() and total > 1):
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("checking notes", total=total)
        yield lambda _result: progress.advance(task)
