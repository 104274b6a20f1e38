"""A note's exception as the user should see it: at its note line, without our frames.

A job of its own, apart from running the blocks (`sandbox`), and shared with the
runner, which shows the source line of the failures it sees from outside (a crash, a
timeout) the same way. Blocks are compiled with note line numbers, so the note's frames
are at note lines already: this picks the innermost one and drops the tool's frames:
this package's, and the standard library's frames that only show how the tool ran the
block (`ast.parse` in front of every SyntaxError, `doctest`'s runner), i.e. every frame
before the first one of the note (or the prelude). Frames of code the note calls (a
library, a module beside the note) stay, as Jupyter shows them.
"""

from __future__ import annotations

import os
import traceback

from notebook_runner.execute.plan import NotePlan
from notebook_runner.execute.results import BlockError

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
PRELUDE = "<prelude>"
"""The file name the `[check] prelude` is compiled under."""
TIMEOUT = "Timeout"
"""The type of a block's failure at its timeout, whichever side stopped it."""


def timed_out(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


def describe(
    exception: BaseException,
    plan: NotePlan,
    fallback_line: int,
    shown_as: tuple[str, str] | None = None,
) -> BlockError:
    """The exception at its innermost note line, with the tool's frames removed.

    `shown_as`: (type, message) to report instead of the exception's own, for the
    exceptions the tool raises in a block (a timeout), whose class is no business of
    the note's author."""
    _register_source(plan)
    summary = traceback.TracebackException.from_exception(exception)
    hide_tool_frames(summary, plan.path)
    line = _innermost_note_line(summary, plan.path, exception) or fallback_line
    lines = list(summary.format())
    if shown_as is not None:
        lines[-1] = f"{shown_as[0]}: {shown_as[1]}\n"
        return BlockError(*shown_as, line, "".join(lines), source_line(plan, line))
    text = "".join(lines)
    if isinstance(exception, SystemExit):
        message = f"sys.exit({exception.code!r}) was called"
    elif isinstance(exception, SyntaxError):
        message = exception.msg
    else:
        message = str(exception)
    return BlockError(type(exception).__name__, message, line, text, source_line(plan, line))


def hide_tool_frames(summary: traceback.TracebackException, path: str) -> None:
    """Keep the frames from the first one of the note on, without this package's; a
    SyntaxError of the note itself keeps none (its own location shows the line)."""
    seen: set[int] = set()
    current: traceback.TracebackException | None = summary
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = [f for f in current.stack if not f.filename.startswith(PACKAGE_DIR)]
        first = next((i for i, f in enumerate(frames) if _is_users(f.filename, path)), None)
        if first is not None:
            frames = frames[first:]
        elif getattr(current, "filename", None) == path:  # the note's SyntaxError
            frames = []
        current.stack = traceback.StackSummary.from_list(frames)
        current = current.__cause__ or current.__context__


def _is_users(filename: str, path: str) -> bool:
    """The note's own code: its blocks, the prelude, its doctest examples."""
    return filename in (path, PRELUDE) or filename.startswith(f"<doctest {path}[")


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
