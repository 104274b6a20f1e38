"""`notebook-runner init [VAULT] --github-pages`: set a repository up to publish its notes.

Writes `.github/workflows/notebook-runner.yml` at the root of the git repository holding
the vault (see `pages_workflow`), with the vault's folder, the branch checked out and
the Python version found there. It never replaces a file: a workflow already there may
hold the user's edits, so it is refused (exit 2) with its path. This is the one command
that writes into a repository (and into the vault, when the vault is the repository).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from notebook_runner.commands.common import EXIT_OK, EXIT_USAGE
from notebook_runner.commands.pages_workflow import (
    WORKFLOW_PATH,
    NoWorkflow,
    find_repository,
    workflow,
)
from notebook_runner.outputs import OutputRefused, write_new_file

DEFAULT_SHARDS = 4
MAX_SHARDS = 64


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("init", help="set up publishing of a vault")
    parser.add_argument(
        "vault", type=Path, nargs="?", default=Path("."), help="the vault folder (default: .)"
    )
    parser.add_argument(
        "--github-pages",
        action="store_true",
        help="write a GitHub Actions workflow that checks the notes and publishes the site",
    )
    parser.add_argument(
        "--shards",
        type=_shards,
        default=DEFAULT_SHARDS,
        metavar="N",
        help=f"parallel check jobs (default {DEFAULT_SHARDS})",
    )
    parser.set_defaults(handler=run)


def _shards(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_SHARDS:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to {MAX_SHARDS}, got {text!r}")
    return int(text)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not args.github_pages:
        print("notebook-runner: error: nothing to set up; add --github-pages", file=err)
        return EXIT_USAGE
    if not args.vault.is_dir():
        print(f"notebook-runner: error: {args.vault} is not a folder", file=err)
        return EXIT_USAGE
    try:
        repository = find_repository(args.vault)
        path = repository.root / WORKFLOW_PATH
        write_new_file(path, workflow(repository, args.shards))
    except (NoWorkflow, OutputRefused) as refused:
        print(f"notebook-runner: error: {refused}", file=err)
        return EXIT_USAGE
    python = repository.python or "from .python-version"
    print(f"wrote {path}", file=out)
    print(
        f"  checks {repository.vault} in {args.shards} shards with Python {python}, "
        f"publishes from {repository.branch}",
        file=out,
    )
    print(
        "next: commit it, then on GitHub: Settings > Pages > Source: GitHub Actions; "
        "set [site] base_url to the Pages address for the sitemap, feed and link previews",
        file=out,
    )
    return EXIT_OK
