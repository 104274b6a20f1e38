"""`notebook-runner check VAULT`: run the Python in notes, report failures at note lines.

Also `notebook-runner report merge A.json B.json ...` to join the JSON reports of a CI
matrix that split a vault with `--shard K/N`.

This module only registers the commands and starts the fork server: it reads the
config and starts the server (whose preload import of torch takes over a second) before
importing anything else, so that importing the parser and the runner (`check_run`),
loading and parsing the vault all happen while the server imports.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from notebook_runner.config import load_config
from notebook_runner.execute.launchers import start_launcher

FORMATS = ("github", "json", "junit", "text")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("check", help="run the Python blocks of every note")
    parser.add_argument("vault", type=Path, help="the vault folder")
    parser.add_argument("--format", choices=FORMATS, default="text")
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
    merge.add_argument("--format", choices=FORMATS, default="json")
    merge.add_argument("-o", "--output", type=Path, help="write the report to this file")
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
    from notebook_runner.commands import check_run  # only now: see the module docstring

    return check_run.run(args, out, err)


def run_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notebook_runner.commands import check_run

    return check_run.run_merge(args, out, err)


def _start_launcher_early(vault: Path) -> None:
    """Right after reading the config, so that the fork server's start-up and preload
    import (torch: over a second) run while the vault is loaded and parsed. The config
    is read again by `open_or_refuse`, which reports its errors; a broken config starts
    nothing."""
    if not vault.is_dir():
        return
    config, errors = load_config(vault)
    if not errors:
        start_launcher(tuple(config.check.preload))
