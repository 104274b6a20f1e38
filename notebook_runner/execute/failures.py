"""Failures seen from outside a note process: it died, or its fork server did.

The note process reports its own exceptions (`sandbox`, `tracebacks`); when it cannot
(a segfault, `os._exit`, a kill, a timeout the alarm did not stop, its parent killed),
the runner (`scheduler`) builds the failure from what it knows: the exit status, the
block it was in, and what faulthandler wrote to stderr.
"""

from __future__ import annotations

import signal

from notebook_runner.execute.plan import NotePlan
from notebook_runner.execute.results import BlockError, BlockResult, not_run, skipped
from notebook_runner.execute.tracebacks import source_line

SERVER_LOST = "ForkServerLost"
SIGNAL_STATUS = 128
"""The fork server's keeper exits with 128 + N when the server was killed by signal N."""


def exit_error(plan: NotePlan, current: int | None, exit_code: int) -> BlockError:
    line = plan.blocks[current or 0].line
    if exit_code < 0:
        name = signal_name(-exit_code)
        hint = " (out of memory?)" if -exit_code == signal.SIGKILL else ""
        return BlockError("ProcessKilled", f"the note process was killed by {name}{hint}", line)
    return BlockError("ProcessExited", f"the note process exited with status {exit_code}", line)


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def server_end(status: int) -> str:
    """How the fork server ended, from its keeper's exit status."""
    if status < 0:
        return f"was killed by {signal_name(-status)}"
    if status > SIGNAL_STATUS:
        return f"was killed by {signal_name(status - SIGNAL_STATUS)}"
    return f"exited with status {status}"


def server_lost_error(plan: NotePlan, current: int, status: int) -> BlockError:
    message = (
        f"the note process's parent, notebook-runner's fork server, {server_end(status)} "
        "while this block ran (does the block signal its parent process?); "
        "the server was restarted for the other notes"
    )
    return BlockError(SERVER_LOST, message, plan.blocks[current].line)


def given_up(plan: NotePlan, losses: int, status: int) -> tuple[BlockResult, ...]:
    """The result of a note never run because the fork server kept dying with no note
    to blame: the first block that would have run fails with the reason."""
    message = (
        f"not run: notebook-runner's fork server stopped {losses} times while no note "
        f"ran a block (the last time it {server_end(status)}); does a module of "
        "[check] preload crash it?"
    )
    blocks: list[BlockResult] = []
    failed = False
    for block in plan.blocks:
        if block.skip:
            blocks.append(skipped(block.line, block.skip))
        elif failed:
            blocks.append(not_run(block.line))
        else:
            error = BlockError(SERVER_LOST, message, block.line)
            blocks.append(BlockResult(block.line, "failed", error=error))
            failed = True
    return tuple(blocks)


def locate_crash(error: BlockError, path: str, stderr: str) -> BlockError:
    """A crash has no Python traceback to send, but faulthandler wrote the stack to
    stderr: its innermost frame in the note is the line to report."""
    marker = f'File "{path}", line '
    for text in stderr.splitlines():
        start = text.find(marker)
        if start >= 0:
            digits = text[start + len(marker) :].split(" ", 1)[0]
            if digits.isdigit():
                return BlockError(error.type, error.message, int(digits), stderr.strip())
    return error


def with_source(plan: NotePlan, error: BlockError) -> BlockError:
    return BlockError(
        error.type, error.message, error.line, error.traceback, source_line(plan, error.line)
    )
