"""Takes the command line; gives progress, reports and the exit code: one module per
subcommand, the only modules (with `cli.py`) that print.

Each has `register(subparsers)` (MkDocs' commands split): a command module owns its
arguments and its handler `run(args, out, err) -> exit code`; `cli.py` only assembles
them.
"""
