"""`notebook-runner build VAULT [-o SITE]`: the vault as a static website.

Default output: `site/` in the current folder, or `<vault>/.notebook-runner/site/` when
the current folder is the vault itself or inside it (a site inside the vault would be
read back as attachments; dot-folders are not). The folder is replaced atomically and
only if it is empty or was made by this command.

Code results come from `check`'s cache by default (only passing notes are cached, so a
failing note shows "not run" unless `--execute` runs `check` first for what is stale);
`--no-cache` ignores them (with `--execute`, every note runs again).

`--strict` makes a build fail (exit 1) on what a CI run must not publish: a failing
block among the results the pages show (stored or run by `--execute`), or an error
diagnostic. The site is written all the same, to look at; the exit status stops a
deployment.

Each note is parsed once, by the worker process that later renders its page from the
same tokens (`publish.workers`); the parse cache of `parse` and `check` is not used.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from notebook_runner.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    vault_exists,
    warn_no_notes,
)
from notebook_runner.config import CheckConfig, Config, load_config
from notebook_runner.diagnostics import format_text, grouped_text, sort_key
from notebook_runner.execute.cache import stored_results
from notebook_runner.execute.results import FAILURE_CODE, NoteResult, missing_modules_of
from notebook_runner.model import Diagnostic, Note
from notebook_runner.outputs import OutputRefused, name_list
from notebook_runner.pipeline import STATE_FOLDER, collector_paused
from notebook_runner.publish.emit import EmitError, check_output, reported, staged_site
from notebook_runner.publish.vault_site import VaultSite, build_vault_site


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("build", help="build the static site of a vault")
    parser.add_argument("vault", type=Path, help="the vault folder")
    parser.add_argument("-o", "--output", type=Path, default=None, help="site folder")
    parser.add_argument(
        "--execute", action="store_true", help="run `check` first for notes whose results are stale"
    )
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore stored check results (with --execute: run every note again)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 on a failing block or an error diagnostic (the site is written all the same)",
    )
    parser.set_defaults(handler=run)


def default_output(vault: Path, cwd: Path) -> Path:
    vault_root, here = vault.resolve(), cwd.resolve()
    if here == vault_root or here.is_relative_to(vault_root):
        return vault_root / STATE_FOLDER / "site"
    return here / "site"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    output: Path = args.output or default_output(args.vault, Path.cwd())
    try:
        check_output(output, args.vault)
    except EmitError as error:
        print(f"notebook-runner: error: {error}", file=err)
        return EXIT_USAGE
    config = refuse_bad_config(args.vault, err)
    if config is None:
        return EXIT_USAGE

    with collector_paused():  # see _build_and_report
        return _build_and_report(args, config, output, out, err)


def _build_and_report(
    args: argparse.Namespace, config: Config, output: Path, out: TextIO, err: TextIO
) -> int:
    """Runs with the cyclic garbage collector paused throughout, and what is left is
    frozen, not collected: the page renderer of the whole vault is a reference cycle
    (markdown-it's renderer holds its own bound methods) that keeps every note alive
    until a collection, and that first collection after a build of 10,000 notes would
    spend 0.7 s taking it apart just before the process ends (`cli.entry` skips the
    teardown). A process that builds many times keeps each build's cycle; tests do."""

    def results(config: Config, root: Path, notes: Sequence[Note]) -> dict[str, NoteResult]:
        return note_results(config.check, root, notes, args.execute, args.jobs, not args.no_cache)

    try:
        with staged_site(output, args.vault) as staging:
            epoch = source_date_epoch(os.environ)
            built = build_vault_site(
                args.vault, config, results, args.jobs, staging, args.execute, epoch
            )
            staging.fill(built.site.files, built.site.copies, args.vault)
            kept = staging.commit(epoch)
    except OutputRefused as error:
        print(f"notebook-runner: error: {error}", file=err)
        return EXIT_USAGE
    if built.note_count == 0:
        warn_no_notes(args.vault, err)
    _report(built, output, out, kept)
    errors = sum(d.severity == "error" for d in (*built.diagnostics, *built.site.diagnostics))
    if args.strict and errors:
        print(f"--strict: {errors} {'error' if errors == 1 else 'errors'} above; exit 1", file=out)
        return EXIT_FAILED
    return EXIT_OK


def refuse_bad_config(vault: Path, err: TextIO) -> Config | None:
    """The vault's config; None (after listing every problem) for a missing vault or a
    config with errors."""
    if not vault_exists(vault, err):
        return None
    config, problems = load_config(vault)
    for problem in sorted(problems, key=sort_key):
        print(format_text(problem), file=err)
    return None if problems else config


def note_results(
    config: CheckConfig,
    root: Path,
    notes: Sequence[Note],
    execute: bool,
    jobs: int | None,
    use_cache: bool = True,
) -> dict[str, NoteResult]:
    """The results hook: what `check` knows about each note, run now with `execute`;
    without `use_cache`, stored results are not used (`--execute` runs every note)."""
    if execute:
        from notebook_runner.execute.options import CheckOptions  # only here
        from notebook_runner.execute.runner import check_notes

        options = CheckOptions(jobs=jobs, keep_going=False, use_cache=use_cache)
        report = check_notes(notes, root, config, options)
        return {result.path: result for result in report.notes}
    return stored_results(notes, root, config) if use_cache else {}


def source_date_epoch(environ: Mapping[str, str]) -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) stamps file times; bad values are ignored."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def _report(built: VaultSite, output: Path, out: TextIO, kept: Sequence[str]) -> None:
    """Problems, the user's files kept in the output folder (but the dot-files and CNAME
    of a gh-pages folder), then the summary."""
    for line in grouped_text([*built.diagnostics, *built.site.diagnostics], built.locate):
        print(line, file=out)
    foreign = reported(kept)
    if foreign:
        files = "file" if len(foreign) == 1 else "files"
        print(f"kept {len(foreign)} {files} build did not write: {name_list(foreign)}", file=out)
    unresolved = sum(d.code == "unresolved-link" for d in built.diagnostics)
    drafts = f"; {built.unpublished} not published" if built.unpublished else ""
    failed = _failed_blocks((*built.diagnostics, *built.site.diagnostics), out)
    print(
        f"built {built.note_count} notes ({built.site.file_count} files) into {output}; "
        f"{unresolved} unresolved links{drafts}{failed}",
        file=out,
    )


def _failed_blocks(diagnostics: Sequence[Diagnostic], out: TextIO) -> str:
    """The ways out of the failing blocks the pages show (printed), and their count for
    the summary line ("" when none failed)."""
    missing = missing_modules_of(diagnostics)
    bugs = sum(d.code == FAILURE_CODE for d in diagnostics)
    if not (bugs or missing):
        return ""
    from notebook_runner.execute.formats import way_out  # only then: it imports xml.etree

    for hint in way_out(bugs, missing):
        print(hint, file=out)
    count = bugs + len(missing)
    return f"; {count} {'block' if count == 1 else 'blocks'} failed"
