"""Which import failures are a module missing from this Python, not a bug in the note.

On real vaults a good share of failures are `import fastai` on a machine without
fastai: the note is fine, the environment is not. Those are told apart (`check` counts
them as "missing module: fastai" and says how to deal with them) from the import
failures that are the note's own bugs, which stay ordinary failures:

- only a `ModuleNotFoundError` for a top-level name that no finder on `sys.path` knows
  is a missing module, wherever it was raised (a module beside the note, or a library
  the note imports, that imports an uninstalled package needs that package too);
- `from math import nope` and an `ImportError` a module raises itself are bugs;
- `import numpy.typo` (a submodule of an installed package) is a bug;
- a name close to a module in the note's folder (`import helpr` beside `helper.py`)
  is a typo, a bug.

Runs in the note process, which has the note's `sys.path`.
"""

from __future__ import annotations

import difflib
import importlib.util
import os

TYPO_CUTOFF = 0.8
"""How close (difflib's ratio) a name must be to a module beside the note to count as
its typo: `helpr` and `helper` are 0.91 apart, `pandas` and `panda_tools` 0.71."""


def missing_module(exception: BaseException, note_dir: str) -> str:
    """The module `exception` says is not installed, or "" when it is a bug of the note."""
    if type(exception) is not ModuleNotFoundError:
        return ""
    name = exception.name
    if not isinstance(name, str) or not name.isidentifier() or _findable(name):
        return ""
    if difflib.get_close_matches(name, _local_modules(note_dir), n=1, cutoff=TYPO_CUTOFF):
        return ""
    return name


def _findable(name: str) -> bool:
    """A module raised about by hand (`raise ModuleNotFoundError(name="os")`) exists."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _local_modules(folder: str) -> list[str]:
    """The modules beside the note: `.py` files and packages (not every folder: a
    folder of notes named `Torch` is no typo of `torch`)."""
    modules = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    modules.append(entry.name.removesuffix(".py"))
                elif os.path.isfile(os.path.join(entry.path, "__init__.py")):
                    modules.append(entry.name)
    except OSError:
        return []
    return modules
