"""`python -m notebook_runner` is the same as the `notebook-runner` command."""

import sys

from notebook_runner.cli import main

sys.exit(main())
