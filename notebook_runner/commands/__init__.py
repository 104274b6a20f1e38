"""One module per subcommand, each with `register(subparsers)` (MkDocs' commands split).

A command module owns its arguments and its handler `run(args, out, err) -> exit code`;
`cli.py` only assembles them.
"""
