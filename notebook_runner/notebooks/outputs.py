"""Stored check results as notebook cell outputs.

A cell shows what Jupyter would have shown had it run the block: printed text as
`stream` outputs, matplotlib figures as `display_data` PNGs, the value of a last bare
expression as `execute_result`, and an exception as an `error` with its traceback.
Blocks that did not run (skipped, not-run after a failure) have no outputs and no
execution count, as in a notebook whose cell was never executed.
"""

from __future__ import annotations

from typing import Any

from notebook_runner.execute.results import BlockResult
from notebook_runner.notebooks.formats import output

RAN = frozenset({"passed", "cached", "failed"})


def ran(result: BlockResult) -> bool:
    return result.status in RAN


def block_outputs(result: BlockResult, execution_count: int) -> list[dict[str, Any]]:
    """The outputs of one block's cell, in the order a notebook front end shows them."""
    if not ran(result):
        return []
    outputs: list[dict[str, Any]] = []
    if result.stdout:
        outputs.append(output("stream", name="stdout", text=result.stdout))
    if result.stderr:
        outputs.append(output("stream", name="stderr", text=result.stderr))
    outputs.extend(
        output("display_data", data={"image/png": figure}, metadata={}) for figure in result.figures
    )
    if result.value is not None:
        outputs.append(
            output(
                "execute_result",
                data={"text/plain": result.value},
                metadata={},
                execution_count=execution_count,
            )
        )
    if result.error is not None and result.status == "failed":
        error = result.error
        traceback = error.traceback.rstrip("\n").splitlines() or [f"{error.type}: {error.message}"]
        outputs.append(output("error", ename=error.type, evalue=error.message, traceback=traceback))
    return outputs
