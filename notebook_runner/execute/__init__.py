"""Takes `Note`s and the `[check]` config; gives a `NoteResult` per note (a `CheckReport`):
each note's Python run in its own sandboxed process, results cached and formatted.

See `plan` for block options and note settings, `sandbox` for what a snippet sees
(`mirror` and `writes` for its working folder, `modules` for the imports it lacks),
`limits`, `audit` and `capture` for the limits it runs under, `runner`, `scheduler`
(`options` for how they run), `launchers`, `server` and `processes` for processes and
parallelism, `cache` and `inputs` for reuse, `results` and `formats` for what a check
reports (`tracebacks` for how a failure reads).

The names below are loaded on first use: the fork server imports `execute.sandbox`,
which brings this package in first, and every module it holds is copied into each
note process; the runner and the report formats have no business there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from notebook_runner.execute.formats import (
        format_github,
        format_json,
        format_junit,
        format_text,
    )
    from notebook_runner.execute.launchers import start_launcher
    from notebook_runner.execute.options import CheckOptions
    from notebook_runner.execute.results import (
        BlockError,
        BlockResult,
        CheckReport,
        NoteResult,
        Summary,
        merge_reports,
        report_from_json,
        report_to_json,
    )
    from notebook_runner.execute.runner import check_notes, select_shard

_HOMES = {
    "BlockError": "results",
    "BlockResult": "results",
    "CheckReport": "results",
    "NoteResult": "results",
    "Summary": "results",
    "format_github": "formats",
    "format_json": "formats",
    "format_junit": "formats",
    "format_text": "formats",
    "merge_reports": "results",
    "report_from_json": "results",
    "report_to_json": "results",
    "CheckOptions": "options",
    "check_notes": "runner",
    "select_shard": "runner",
    "start_launcher": "launchers",
}

__all__ = [
    "BlockError",
    "BlockResult",
    "CheckOptions",
    "CheckReport",
    "NoteResult",
    "Summary",
    "check_notes",
    "format_github",
    "format_json",
    "format_junit",
    "format_text",
    "merge_reports",
    "report_from_json",
    "report_to_json",
    "select_shard",
    "start_launcher",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"notebook_runner.execute.{home}"), name)
