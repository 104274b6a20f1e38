"""A note's exception as the user should see it: at its note line, without our frames.

A job of its own, apart from running the blocks (`sandbox`), and shared with the
runner, which shows the source line of the failures it sees from outside (a crash, a
timeout) the same way. Blocks are compiled with note line numbers, so the note's frames
are at note lines already: this picks the innermost one and drops this package's frames.
"""

from __future__ import annotations

import os
import traceback

from notebook_runner.execute.plan import NotePlan
from notebook_runner.execute.results import BlockError

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def describe(exception: BaseException, plan: NotePlan, fallback_line: int) -> BlockError:
    """The exception at its innermost note line, with the runner's own frames removed."""
    _register_source(plan)
    summary = traceback.TracebackException.from_exception(exception)
    _hide_runner_frames(summary)
    line = _innermost_note_line(summary, plan.path, exception) or fallback_line
    text = "".join(summary.format())
    if isinstance(exception, SystemExit):
        message = f"sys.exit({exception.code!r}) was called"
    elif isinstance(exception, SyntaxError):
        message = exception.msg
    else:
        message = str(exception)
    return BlockError(type(exception).__name__, message, line, text, source_line(plan, line))


def _hide_runner_frames(summary: traceback.TracebackException) -> None:
    seen: set[int] = set()
    current: traceback.TracebackException | None = summary
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = [f for f in current.stack if not f.filename.startswith(PACKAGE_DIR)]
        current.stack = traceback.StackSummary.from_list(frames)
        current = current.__cause__ or current.__context__


def _innermost_note_line(
    summary: traceback.TracebackException, path: str, exception: BaseException
) -> int | None:
    if isinstance(exception, SyntaxError) and exception.filename == path and exception.lineno:
        return exception.lineno
    lines = [frame.lineno for frame in summary.stack if frame.filename == path and frame.lineno]
    return lines[-1] if lines else None


def _register_source(plan: NotePlan) -> None:
    """Make tracebacks show note lines without anyone reading the note file."""
    import linecache

    lines = [line + "\n" for line in plan.source_lines]
    linecache.cache[plan.path] = (sum(map(len, lines)), None, lines, plan.path)


def source_line(plan: NotePlan, line: int) -> str:
    if 1 <= line <= len(plan.source_lines):
        return plan.source_lines[line - 1].strip()
    return ""
