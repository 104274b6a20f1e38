"""`pycon` blocks and blocks starting with `>>>`, checked like docstring examples.

The examples share the note's namespace (so a doctest block sees what earlier blocks
defined and later blocks see its names) and stop at the first mismatch, because later
examples would only fail on its missing results.
"""

from __future__ import annotations

import doctest
import traceback
from dataclasses import replace
from typing import Any

from notebook_runner.execute.modules import missing_module
from notebook_runner.execute.plan import BlockPlan
from notebook_runner.execute.results import BlockError
from notebook_runner.execute.tracebacks import hide_tool_frames

OPTION_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
MESSAGE_LIMIT = 200


def run_doctest(
    block: BlockPlan, path: str, namespace: dict[str, Any], note_dir: str
) -> BlockError | None:
    """Run the examples in the block; return the first failure at its note line.

    Exceptions that are not `Exception`s (timeouts, `SystemExit`) are re-raised so the
    caller reports them the same way as for plain blocks.
    """
    code, code_line = block.code, block.code_line
    parser = doctest.DocTestParser()
    test = parser.get_doctest(code, namespace, path, path, code_line - 1)
    test.globs = namespace  # get_doctest copies the globals; the note's state must be shared
    runner = doctest.DebugRunner(optionflags=OPTION_FLAGS)
    try:
        runner.run(test, clear_globs=False)
    except doctest.DocTestFailure as failure:
        return _mismatch(failure.example, failure.got, code_line)
    except doctest.UnexpectedException as unexpected:
        _, exception, _ = unexpected.exc_info
        if not isinstance(exception, Exception):
            raise exception from None
        error = _unexpected(unexpected.example, unexpected.exc_info, code_line, path)
        return replace(error, missing_module=missing_module(exception, note_dir))
    return None


def _mismatch(example: doctest.Example, got: str, code_line: int) -> BlockError:
    want = example.want
    message = f"expected {_short(want)}, got {_short(got)}"
    details = (
        f"Expected:\n{_indent(want) or '    (nothing)'}\nGot:\n{_indent(got) or '    (nothing)'}"
    )
    return BlockError("DoctestFailure", message, code_line + example.lineno, details)


def _unexpected(example: doctest.Example, exc_info: Any, code_line: int, path: str) -> BlockError:
    _, exception, _ = exc_info
    summary = traceback.TracebackException.from_exception(exception)
    hide_tool_frames(summary, path)
    text = "".join(summary.format())
    return BlockError(type(exception).__name__, str(exception), code_line + example.lineno, text)


def _short(text: str) -> str:
    text = text.strip()
    quoted = repr(text)
    return quoted if len(quoted) <= MESSAGE_LIMIT else quoted[: MESSAGE_LIMIT - 3] + "..."


def _indent(text: str) -> str:
    return "".join("    " + line for line in text.splitlines(keepends=True)).rstrip("\n")
