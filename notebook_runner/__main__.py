"""`python -m notebook_runner` is the same as the `notebook-runner` command."""

from notebook_runner.cli import entry

entry()
