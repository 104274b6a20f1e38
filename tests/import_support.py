"""What a fresh interpreter has imported after some code. Start-up time is a feature
(`check` in a pre-commit hook, the fork server copied into every note process, `build`
of a small vault), so tests pin what each entry point must not load."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Sequence


def loaded_after(code: str, modules: Sequence[str]) -> list[str]:
    """Those of `modules` that a fresh interpreter has imported once `code` has run."""
    script = (
        f"{code}\nimport sys\n"
        f"print(sorted(name for name in {tuple(modules)!r} if name in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded: list[str] = ast.literal_eval(completed.stdout.splitlines()[-1])
    return loaded
