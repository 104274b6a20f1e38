"""Command-line entry point: assembles the subcommands of `notebook_runner.commands`.

This and the command modules are the only code that prints. Exit codes follow pytest's
spirit: 0 all good, 1 the vault has failures, 2 usage or configuration errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from notebook_runner import __version__
from notebook_runner.commands import build, check, export, parse, serve, videos

COMMANDS = (parse, check, build, serve, videos, export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notebook-runner",
        description="Render, check and replay Obsidian study notes.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.handler(args, sys.stdout, sys.stderr)
    return status
