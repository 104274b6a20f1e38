"""The body of `notebook-runner check` and `report merge`: run the notes, write the report.

Imported by `commands.check` only once the fork server is on its way (see there).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import PurePosixPath
from typing import TextIO

from notebook_runner.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    open_or_refuse,
    repository_folder,
    usable_output,
    written,
)
from notebook_runner.config import CheckConfig
from notebook_runner.diagnostics import Locator, sort_key
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
    select_shard,
)
from notebook_runner.execute.formats import VAULT_FOLDER_KEY, is_report
from notebook_runner.execute.results import stored_locator
from notebook_runner.model import Diagnostic, Note
from notebook_runner.pipeline import Workspace
from notebook_runner.vault import NOTEBOOK_SUFFIXES, glob_match

SOURCE_PROBLEMS = frozenset(
    {
        "not-utf8",
        "unreadable",
        "bad-frontmatter",
        "frontmatter-too-large",
        "unclosed-frontmatter",
        "unclosed-fence",
        "unclosed-comment",
        "bad-notebook",
        "bad-cell-option",
    }
)
"""Diagnostic codes of loading and parsing that `check` reports (see `source_problems`)."""

FORMATTERS: dict[str, Callable[[CheckReport, Locator, str], str]] = {
    "text": lambda report, locate, _: format_text(report, locate),
    "json": format_json,
    "junit": lambda report, locate, _: format_junit(report, locate),
    "github": format_github,
}
"""Each format takes the report, its `Locator` and the vault's folder in its repository,
which GitHub annotations need and the JSON report records for `report merge`."""


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not usable_output(args.output, args.vault, is_report, "check", err):
        return EXIT_USAGE
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
    problems = source_problems(workspace, notes, args.shard)
    report = replace(report, diagnostics=(*problems, *report.diagnostics))
    folder = repository_folder(args.vault, os.environ)
    text = FORMATTERS[args.format](report, workspace.locate, folder)
    if not written(text, args.output, out, err):
        return EXIT_USAGE
    broken = any(problem.severity == "error" for problem in problems)
    return EXIT_FAILED if report.failed or broken else EXIT_OK


def selected_notes(notes: Sequence[Note], config: CheckConfig) -> list[Note]:
    """Notes matching an `include` glob and no `exclude` glob of `[check]`."""
    return [note for note in notes if _selected(note.path, config)]


def _selected(path: str, config: CheckConfig) -> bool:
    return any(glob_match(path, pattern) for pattern in config.include) and not any(
        glob_match(path, pattern) for pattern in config.exclude
    )


def source_problems(
    workspace: Workspace, notes: Sequence[Note], shard: tuple[int, int] | None
) -> list[Diagnostic]:
    """Loading and parsing problems that bear on a note's code, for the notes with code
    this run checks: without them a note whose bytes are not UTF-8, whose frontmatter
    (with its `execute` and `timeout`) is broken or whose fence never closes would pass
    in silence. Like pytest's collection errors, errors among them fail the run. A note
    without Python (a notebook aside) has no code they could bear on: its problems are
    `parse`'s and `build`'s business, and never fail a check. A file that never became a
    note (unreadable) is reported by shard 1 only, so a CI matrix reports it once."""
    config = workspace.config.check
    checked = {note.path for note in select_shard(notes, shard) if _has_code(note)}
    known = {note.path for note in workspace.vault.notes}
    first_shard = shard is None or shard[0] == 1

    def concerns_this_run(path: str) -> bool:
        if path in known:
            return path in checked
        return first_shard and _selected(path, config)

    return sorted(
        (
            problem
            for problem in workspace.diagnostics
            if problem.code in SOURCE_PROBLEMS and concerns_this_run(problem.path)
        ),
        key=sort_key,
    )


def _has_code(note: Note) -> bool:
    """A notebook always counts: one jupytext cannot read shows no blocks at all."""
    suffix = PurePosixPath(note.path).suffix.lower()
    return suffix in NOTEBOOK_SUFFIXES or any(block.is_python for block in note.code_blocks)


def run_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not usable_output(args.output, None, is_report, "report merge", err):
        return EXIT_USAGE
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
    folder = next((data[VAULT_FOLDER_KEY] for data in saved if _has_folder(data)), "")
    text = FORMATTERS[args.format](merged, stored_locator(saved), folder)
    if not written(text, args.output, out, err):
        return EXIT_USAGE
    return EXIT_FAILED if merged.failed else EXIT_OK


def _has_folder(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get(VAULT_FOLDER_KEY), str)


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
