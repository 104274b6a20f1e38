"""Command-line entry point: assembles the subcommands of `notebook_runner.commands`.

This and the command modules are the only code that prints. Exit codes follow pytest's
spirit: 0 all good, 1 the vault has failures, 2 usage or configuration errors.

Only the module of the command being run is imported: the site renderer, jupytext and
yt-dlp cost a third of a second to import, which a `check` run in a pre-commit hook
or a CI matrix should not pay. `--help` and unknown commands import them all.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from notebook_runner import __version__

# Subcommand -> the module in notebook_runner.commands that registers it.
COMMAND_MODULES = {
    "parse": "parse",
    "check": "check",
    "report": "check",
    "build": "build",
    "serve": "serve",
    "videos": "videos",
    "export": "export",
    "init": "init",
}


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notebook-runner",
        description="Render, check and replay Obsidian study notes.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _modules_needed(argv):
        importlib.import_module(f"notebook_runner.commands.{name}").register(commands)
    return parser


def _modules_needed(argv: Sequence[str]) -> list[str]:
    chosen = next((word for word in argv if not word.startswith("-")), None)
    if chosen in COMMAND_MODULES:
        return [COMMAND_MODULES[chosen]]
    return list(dict.fromkeys(COMMAND_MODULES.values()))


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    status: int = args.handler(args, sys.stdout, sys.stderr)
    return status


def entry() -> NoReturn:
    """The `notebook-runner` command and `python -m notebook_runner`: `main`, then a
    quick exit.

    A build of 10,000 notes holds a gigabyte of objects, which interpreter shutdown
    frees one by one (a second here) just before the process ends anyway. So once the
    command has returned, what a normal exit guarantees is done (exit handlers, such as
    stopping the fork server, and flushed output) and the process ends without that
    teardown, as mypy does. An exception still ends the normal way, with its traceback,
    and so does a run under a profiler or a coverage tracer, which save their data then."""
    status = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler or coverage writes its data after the command
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(status)
