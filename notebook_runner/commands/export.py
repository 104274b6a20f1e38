"""`notebook-runner export VAULT --to ipynb|py:percent|md:myst -o DIR`: notes as notebooks.

Cell outputs come from what `check` stored, as the site shows it: the result cache
(the last result of each note whose code has not changed since, failures with their
error output included) and, when given, a JSON report of a `check` run (`check
--format json -o report.json`). Nothing is run. Only `.ipynb` holds outputs: the text
formats (`py:percent`, `md:myst`) keep code and text, and the summary line says so.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from notebook_runner.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, open_or_refuse
from notebook_runner.diagnostics import grouped_text
from notebook_runner.execute import BlockResult, report_from_json
from notebook_runner.execute.cache import stored_results
from notebook_runner.model import is_published
from notebook_runner.notebooks.export import FORMATS, NotebookLinks, SiteLinks, export_vault
from notebook_runner.notebooks.markdown import LinkTargets
from notebook_runner.outputs import OutputRefused, output_lock, refuse_inside_vault
from notebook_runner.pipeline import Workspace

StoredResults = dict[str, tuple[BlockResult, ...]]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("export", help="write every note as a Jupyter notebook")
    parser.add_argument("vault", type=Path, help="the vault folder")
    parser.add_argument("--to", choices=sorted(FORMATS), default="ipynb", help="file format")
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write to")
    parser.add_argument(
        "--links",
        choices=("auto", "notebooks", "site"),
        default="auto",
        help="where wiki-links point: the exported notebooks, or the site's pages "
        "(auto: the site when [site] base_url is configured)",
    )
    parser.add_argument(
        "--report", type=Path, help="a `check --format json` report to take outputs from"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        refuse_inside_vault(args.output, args.vault)
    except OutputRefused as refused:
        print(f"notebook-runner: error: {refused}", file=err)
        return EXIT_USAGE
    workspace = open_or_refuse(args.vault, err)
    if workspace is None:
        return EXIT_USAGE
    targets = _targets(workspace, args.links, args.to, err)
    if targets is None:
        return EXIT_USAGE
    stored = stored_results(workspace.vault.notes, args.vault, workspace.config.check)
    results: StoredResults = {path: result.blocks for path, result in stored.items()}
    if args.report is not None:
        from_report = _report_results(args.report, err)
        if from_report is None:
            return EXIT_USAGE
        results.update(from_report)
    try:
        with output_lock(args.output, "export"):
            exported, problems = export_vault(
                workspace.vault,
                workspace.loaded.sources,
                args.vault,
                args.output,
                args.to,
                targets,
                results,
                line_breaks=not workspace.loaded.obsidian.strict_line_breaks,
            )
    except OutputRefused as refused:
        print(f"notebook-runner: error: {refused}", file=err)
        return EXIT_USAGE
    for line in grouped_text(problems, workspace.locate):
        print(line, file=err)
    print(
        f"exported {len(exported.notebooks)} notebooks ({_outputs(args.to, workspace, results)}) "
        f"and {len(exported.attachments)} attachments to {args.output}",
        file=out,
    )
    return EXIT_FAILED if any(p.severity == "error" for p in problems) else EXIT_OK


def _targets(workspace: Workspace, links: str, fmt: str, err: TextIO) -> LinkTargets | None:
    notes = {note.path: note for note in workspace.vault.notes}
    base_url = workspace.config.site.base_url
    if links == "site" and not base_url:
        print("notebook-runner: error: --links site needs [site] base_url in the config", file=err)
        return None
    if links == "notebooks" or not base_url:
        return NotebookLinks(notes, fmt)
    from notebook_runner.render.slugs import note_pages  # only the site mode needs it

    pages = note_pages(notes)  # links to a note the site does not publish: its notebook
    shown = {path: page for path, page in pages.items() if is_published(notes[path].frontmatter)}
    return SiteLinks(notes, base_url, shown, fmt)


def _outputs(fmt: str, workspace: Workspace, results: Mapping[str, Sequence[BlockResult]]) -> str:
    """How many notebooks hold outputs; a text format holds none, whatever is stored."""
    if fmt != "ipynb":
        return f"{fmt}, without outputs: the format keeps none"
    with_outputs = sum(1 for note in workspace.vault.notes if results.get(note.path))
    return f"{fmt}, {with_outputs} with outputs"


def _report_results(path: Path, err: TextIO) -> Mapping[str, tuple[BlockResult, ...]] | None:
    try:
        report = report_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"notebook-runner: error: cannot read report {path}: {error}", file=err)
        return None
    return {note.path: note.blocks for note in report.notes}
