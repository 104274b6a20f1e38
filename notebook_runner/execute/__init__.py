"""Running the Python in notes: `check_notes` and the results it reports.

See `plan` for block options and note settings, `sandbox` for what a snippet sees and
the limits it runs under, `runner` for processes and parallelism, `cache` for reuse.
"""

from notebook_runner.execute.results import (
    BlockError,
    BlockResult,
    CheckReport,
    NoteResult,
    Summary,
    format_github,
    format_json,
    format_junit,
    format_text,
    merge_reports,
    report_from_json,
    report_to_json,
)
from notebook_runner.execute.runner import CheckOptions, check_notes, select_shard, start_launcher

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
