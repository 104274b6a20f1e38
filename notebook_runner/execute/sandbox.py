"""The note process: limits, captured output, and the blocks run one after another.

Everything here runs inside the per-note child (forked from the warm fork server, or
spawned), never in the runner. The child reports over a FIFO: `("start", i)` before
block `i`, `("done", i, BlockResult)` after it, `("end", inputs)` at the end, with the
vault files the blocks read (see `audit`). If the child dies, the runner knows which
block it was in from the last `start`.

What a snippet sees:
- `__name__ == "__main__"`; `__note_dir__` / `__note_path__` (absolute folder and file
  of the note) and the environment variable `NOTEBOOK_RUNNER_NOTE_DIR`; the note's folder
  is first on `sys.path`, so modules beside the note import.
- The working directory mirrors the note's folder (`mirror`): relative paths read the
  files beside the note, and what a snippet writes lands in the scratch folder, never
  in the vault (`writes` copies a mirrored entry out before it is changed).
- stdin is empty; `MPLBACKEND=Agg`, so matplotlib figures are rendered to PNG.

Limits: those of the process are set by `limits` (memory, processes, core dumps); a
block that outlives its timeout gets a `Timeout` raised in it (the runner kills the
process a little later if that does not stop it); `audit` refuses signals to the fork
server. Errors are shown at note lines by `tracebacks`.
"""

from __future__ import annotations

import ast
import base64
import builtins
import faulthandler
import io
import os
import re
import signal
import sys
import time
import traceback
import warnings
from dataclasses import dataclass, replace
from types import FrameType
from typing import Any, NoReturn

from notebook_runner.execute.audit import NoteAudit
from notebook_runner.execute.audit import install as install_audit
from notebook_runner.execute.capture import INDEX_BYTES, BoundedWriter
from notebook_runner.execute.doctests import run_doctest
from notebook_runner.execute.limits import apply_limits, become_subreaper, die_with_parent
from notebook_runner.execute.modules import missing_module
from notebook_runner.execute.plan import BlockPlan, NotePlan
from notebook_runner.execute.protocol import write_message
from notebook_runner.execute.results import (
    BlockError,
    BlockResult,
    BlockStatus,
    needs_missing,
    not_run,
    note_exited,
    optional_missing,
    skipped,
)
from notebook_runner.execute.tracebacks import (
    PRELUDE,
    TIMEOUT,
    describe,
    source_line,
    timed_out,
)

VALUE_LIMIT = 10_000
_LINES = re.compile(r"\r\n?|\n")
"""Python's line ends (`str.splitlines` knows more, such as form feed)."""
EXIT_INTERNAL_ERROR = 70


@dataclass(frozen=True)
class NoteJob:
    plan: NotePlan
    note_dir: str
    work_dir: str
    capture_dir: str
    channel: str
    output_marker: bytes
    vault_root: str
    preload: tuple[str, ...] = ()
    prelude: str = ""
    optional_modules: tuple[str, ...] = ()
    memory_mb: int = 0
    nproc_limit: int | None = None
    keep_going: bool = False


class BlockTimeout(BaseException):
    """Raised inside a block at its deadline; a BaseException so `except Exception`
    in the snippet cannot swallow it."""


def run_job(job: NoteJob) -> NoReturn:
    """Entry point of a note process; never returns (a forked child must not fall back
    into the fork server's loop)."""
    code = 0
    try:
        watch = _enter_sandbox(job)
        channel = os.open(job.channel, os.O_WRONLY)
        NoteExecution(job, channel, watch).run()
    except BaseException:  # the runner reports the exit status as the block's failure
        traceback.print_exc()
        code = EXIT_INTERNAL_ERROR
    os._exit(code)


# ---------------------------------------------------------------- process setup


def _enter_sandbox(job: NoteJob) -> NoteAudit:
    """Bytecode is not cached: it would be written into the vault's `__pycache__`."""
    die_with_parent()
    become_subreaper()
    watch = install_audit(job.vault_root, job.work_dir, job.note_dir)
    apply_limits(job.memory_mb, job.nproc_limit)
    sys.dont_write_bytecode = True
    os.chdir(job.work_dir)
    os.environ["NOTEBOOK_RUNNER_NOTE_DIR"] = job.note_dir
    os.environ["MPLBACKEND"] = "Agg"
    sys.argv = [os.path.join(job.note_dir, os.path.basename(job.plan.path))]
    sys.path.insert(0, job.note_dir)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    return watch


# ---------------------------------------------------------------- output capture


class Capture:
    """Bounded Python-level writers for `sys.stdout` / `sys.stderr`, fresh for each
    block, and fds 1 and 2 pointed again at the runner's FIFOs (see `capture`), so a
    block that closes stdout only breaks itself."""

    def __init__(self, capture_dir: str, marker: bytes) -> None:
        self._fifos = {
            fd: os.open(os.path.join(capture_dir, name), os.O_WRONLY)
            for fd, name in ((1, "stdout"), (2, "stderr"))
        }
        self._marker = marker
        self._writers: dict[int, BoundedWriter] = {}

    def begin(self) -> None:
        for fd, fifo in self._fifos.items():
            os.dup2(fifo, fd)
        self._writers = {1: BoundedWriter(1), 2: BoundedWriter(2)}
        sys.stdout, sys.stderr = self._writers[1], self._writers[2]

    def end(self, index: int) -> tuple[str, str]:
        """The Python-level text; the runner reads what went to the descriptors up to
        the marker written here."""
        marker = self._marker + index.to_bytes(INDEX_BYTES, "big")
        for fifo in self._fifos.values():
            os.write(fifo, marker)
        return self._writers[1].getvalue(), self._writers[2].getvalue()


# ---------------------------------------------------------------- the blocks


class NoteExecution:
    def __init__(self, job: NoteJob, channel: int, watch: NoteAudit) -> None:
        self.job = job
        self.watch = watch
        self.plan = job.plan
        self.channel = channel
        self.capture = Capture(job.capture_dir, job.output_marker)
        faulthandler.enable(file=2, all_threads=True)
        self.namespace: dict[str, Any] | None = None
        self.exited = ""
        """Why the note's remaining blocks are skipped: it exited with status 0."""
        self.missing = ""
        """An optional module an earlier block needs and this Python lacks."""
        self._armed = False
        signal.signal(signal.SIGALRM, self._on_alarm)

    def run(self) -> None:
        failed = False
        for index, block in enumerate(self.plan.blocks):
            result = self._run_or_skip(index, block, failed)
            write_message(self.channel, ("done", index, result))
            failed = failed or result.status == "failed"
        write_message(self.channel, ("end", self.watch.inputs()))

    def _run_or_skip(self, index: int, block: BlockPlan, failed: bool) -> BlockResult:
        if block.skip or self.exited:
            return skipped(block.line, block.skip or self.exited)
        may_run = self.job.keep_going or block.reset or block.run_after_failure
        if failed and not may_run:
            return not_run(block.line)
        if self.missing and not may_run:
            return skipped(block.line, needs_missing(self.missing))
        write_message(self.channel, ("start", index))
        self.capture.begin()
        started = time.perf_counter()
        error, value = self._execute(block)
        duration = time.perf_counter() - started
        stdout, stderr = self.capture.end(index)
        status: BlockStatus = "passed" if error is None else "failed"
        result = BlockResult(block.line, status, duration, stdout, stderr, error, value, _figures())
        return self._unless_optional(result)

    def _unless_optional(self, result: BlockResult) -> BlockResult:
        """A block failing for want of an optional module is skipped, and so are the
        note's later blocks, which may depend on it; its error stays (and keeps the
        result out of the cache, so installing the module runs it)."""
        module = result.error.missing_module if result.error is not None else ""
        if not module or module not in self.job.optional_modules:
            return result
        self.missing = self.missing or module
        return replace(result, status="skipped", reason=optional_missing(module))

    def _execute(self, block: BlockPlan) -> tuple[BlockError | None, str | None]:
        """Run one block under its alarm; every exception becomes the block's error."""
        self._arm(block.timeout)
        try:
            setup_error = self._ensure_namespace(block)
            if setup_error is not None:
                return setup_error, None
            assert self.namespace is not None
            if block.doctest:
                examples = run_doctest(block, self.plan.path, self.namespace, self.job.note_dir)
                return self._located(examples), None
            value = _run_code(block, self.plan.path, self.namespace)
        except BaseException as exception:
            self._disarm()
            return self._expected_or_error(block, exception), None
        finally:
            self._disarm()
        if block.raises is not None and not block.doctest:
            message = f"expected {block.raises} to be raised, but the block raised nothing"
            return self._located(BlockError("DidNotRaise", message, block.line)), value
        return None, value

    def _ensure_namespace(self, block: BlockPlan) -> BlockError | None:
        """A fresh namespace (preload checked, prelude run) for the first block or a reset."""
        if self.namespace is not None and not block.reset:
            return None
        self.namespace = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "__note_dir__": self.job.note_dir,
            "__note_path__": sys.argv[0],
        }
        try:
            for module in self.job.preload:
                __import__(module)
            if self.job.prelude:
                exec(compile(self.job.prelude, PRELUDE, "exec"), self.namespace)
        except BlockTimeout:
            raise
        except BaseException as exception:
            error = self._described(exception, block.line)
            return replace(error, message=f"in the prelude: {error.message}", source_line="")
        return None

    def _expected_or_error(self, block: BlockPlan, exception: BaseException) -> BlockError | None:
        """`sys.exit(0)` ends the note as it would end a script: the block passes and
        the later blocks are skipped; any other exit status is a failure."""
        if block.raises is not None and _matches(exception, block.raises):
            return None
        if isinstance(exception, SystemExit) and _exit_status(exception.code) == 0:
            line = describe(exception, self.plan, block.line).line
            self.exited = note_exited(line)
            return None
        if isinstance(exception, BlockTimeout):
            shown_as = (TIMEOUT, timed_out(block.timeout))
            return describe(exception, self.plan, block.line, shown_as)
        return self._described(exception, block.line)

    def _described(self, exception: BaseException, fallback_line: int) -> BlockError:
        error = describe(exception, self.plan, fallback_line)
        missing = missing_module(exception, self.job.note_dir)
        return replace(error, missing_module=missing) if missing else error

    def _located(self, error: BlockError | None) -> BlockError | None:
        if error is None:
            return None
        return replace(error, source_line=source_line(self.plan, error.line))

    def _arm(self, seconds: float) -> None:
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def _disarm(self) -> None:
        self._armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if self._armed:
            self._armed = False
            raise BlockTimeout


def _run_code(block: BlockPlan, path: str, namespace: dict[str, Any]) -> str | None:
    """Compile with note line numbers; a last bare expression is evaluated separately
    so its value can be shown, as in a notebook, unless a `;` ends it (as Jupyter
    hides `plt.plot(x);`)."""
    tree = _at_note_lines(block, path)
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr):
        exec(compile(tree, path, "exec"), namespace)
        return None
    tree.body.pop()
    exec(compile(tree, path, "exec"), namespace)
    value = eval(compile(ast.Expression(last.value), path, "eval"), namespace)
    if value is None or _silenced(block, last):
        return None
    text = repr(value)
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT] + "..."


def _at_note_lines(block: BlockPlan, path: str) -> ast.Module:
    """The block's syntax tree numbered with note lines, so tracebacks, syntax errors
    and compile warnings point into the note. The tree is moved down rather than the
    code parsed after `code_line - 1` blank lines, which made every block cost as much
    as the note above it (checking a note was quadratic in its blocks)."""
    offset = block.code_line - 1
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tree = ast.parse(block.code, filename=path)
    except SyntaxError as error:
        error.lineno = error.lineno + offset if error.lineno else error.lineno
        error.end_lineno = error.end_lineno + offset if error.end_lineno else error.end_lineno
        raise
    for warning in caught:  # the parser's warnings (invalid escapes), at note lines
        message, category = warning.message, warning.category
        warnings.warn_explicit(message, category, warning.filename, warning.lineno + offset)
    return ast.increment_lineno(tree, offset)


def _silenced(block: BlockPlan, statement: ast.stmt) -> bool:
    """Whether a `;` follows the statement (its offsets count UTF-8 bytes; its lines
    are note lines)."""
    assert statement.end_lineno is not None and statement.end_col_offset is not None
    line = _LINES.split(block.code)[statement.end_lineno - block.code_line].encode("utf-8")
    return line[statement.end_col_offset :].lstrip().startswith(b";")


def _exit_status(code: object) -> int:
    """The status a Python process would exit with after `sys.exit(code)`."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _matches(exception: BaseException, expected: str) -> bool:
    """`raises=ValueError` accepts subclasses; a dotted name matches the qualified name."""
    for cls in type(exception).__mro__:
        if expected in (cls.__name__, f"{cls.__module__}.{cls.__qualname__}"):
            return True
    return False


def _figures() -> tuple[str, ...]:
    """Open matplotlib figures as base64 PNGs (then closed, so the next block starts clean).

    A figure that cannot be drawn is left out rather than failing a block that passed."""
    pyplot: Any = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return ()
    try:
        return _render_figures(pyplot)
    except Exception:
        return ()


def _render_figures(pyplot: Any) -> tuple[str, ...]:
    images = []
    for number in pyplot.get_fignums():
        buffer = io.BytesIO()
        pyplot.figure(number).savefig(buffer, format="png")
        images.append(base64.b64encode(buffer.getvalue()).decode("ascii"))
    pyplot.close("all")
    return tuple(images)
