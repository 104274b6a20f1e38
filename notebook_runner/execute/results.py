"""What a check produced, as plain frozen data, and its JSON form.

Results are plain frozen data so that they can be cached, merged across CI shards
(`report_from_json` reads back what `report_to_json` wrote) and shown by the site
without running anything again. The note process builds them too, so this module stays
small in what it imports; the ways of showing a report live in `formats`.

Lines in results are note lines, shown through a `Locator` (see `diagnostics`). JSON
keeps both: the `line` and the `location` it was shown as, which lets `report merge`
show shards' notebook locations without the vault (`stored_locator`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from notebook_runner.diagnostics import Locator, at_line
from notebook_runner.model import Diagnostic

BlockStatus = Literal["passed", "failed", "not-run", "skipped", "cached"]
NoteStatus = Literal["passed", "failed", "skipped", "cached"]


@dataclass(frozen=True)
class BlockError:
    """Why a block failed. `line` is the note line of the innermost note frame;
    `missing_module` names the module it needs that is not installed (see `modules`),
    "" when the failure is a bug of the note."""

    type: str
    message: str
    line: int
    traceback: str = ""
    source_line: str = ""
    missing_module: str = ""


@dataclass(frozen=True)
class BlockResult:
    """One code block's outcome. `value` is the repr of a last bare expression (as a
    notebook shows it); `figures` are base64 PNGs of matplotlib figures; `reason` says
    why a `skipped` or `not-run` block did not run, in words of the reports."""

    line: int
    status: BlockStatus
    duration_s: float = 0.0
    stdout: str = ""
    stderr: str = ""
    error: BlockError | None = None
    value: str | None = None
    figures: tuple[str, ...] = ()
    reason: str = ""


AFTER_FAILURE = "an earlier block of the note failed"
OPTIONAL_MODULES = "[check] optional_modules"
MARKED_SKIP = "the block is marked skip"
NOTE_NOT_EXECUTED = "the note has execute: false"
NOT_MARKED_RUN = 'not marked run ([check] run = "marked")'


def note_exited(line: int) -> str:
    return f"the note exited at line {line}"


def skipped(line: int, reason: str) -> BlockResult:
    return BlockResult(line, "skipped", reason=reason)


def not_run(line: int) -> BlockResult:
    return BlockResult(line, "not-run", reason=AFTER_FAILURE)


def optional_missing(module: str) -> str:
    return f"missing module: {module} (in {OPTIONAL_MODULES})"


def needs_missing(module: str) -> str:
    return f"an earlier block needs {module}, which is not installed"


@dataclass(frozen=True)
class NoteResult:
    """`inputs`: the vault files the note's blocks opened or imported (absolute paths),
    for the cache; None where unknown (the process died, or opened too many). It is not
    part of a report."""

    path: str
    status: NoteStatus
    blocks: tuple[BlockResult, ...]
    duration_s: float = 0.0
    inputs: tuple[str, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Summary:
    """Block counts. `passed` includes the passes replayed from the cache, which
    `cached` counts again: a re-check of an unchanged vault reads as many passes as
    the first check."""

    notes: int
    blocks: int
    passed: int
    failed: int
    not_run: int
    skipped: int
    cached: int
    missing_modules: int = 0
    """Failed blocks that need a module this Python lacks; not in `failed`."""


@dataclass(frozen=True)
class CheckReport:
    notes: tuple[NoteResult, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    duration_s: float = 0.0
    summary: Summary = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", summarize(self.notes))

    @property
    def failed(self) -> bool:
        """The CLI's exit code 1 condition: a block failed, a missing module included."""
        return self.summary.failed + self.summary.missing_modules > 0


def summarize(notes: Sequence[NoteResult]) -> Summary:
    statuses = [block.status for note in notes for block in note.blocks]
    missing = sum(
        block.error is not None and bool(block.error.missing_module)
        for note in notes
        for block in note.blocks
        if block.status == "failed"
    )
    return Summary(
        notes=len(notes),
        blocks=len(statuses),
        passed=statuses.count("passed") + statuses.count("cached"),
        failed=statuses.count("failed") - missing,
        not_run=statuses.count("not-run"),
        skipped=statuses.count("skipped"),
        cached=statuses.count("cached"),
        missing_modules=missing,
    )


def note_status(blocks: Sequence[BlockResult]) -> NoteStatus:
    """Failed wins; a note is cached or skipped only when every block is."""
    statuses = {block.status for block in blocks}
    if "failed" in statuses:
        return "failed"
    if statuses == {"cached"}:
        return "cached"
    if not statuses or statuses == {"skipped"}:
        return "skipped"
    return "passed"


def merge_reports(reports: Iterable[CheckReport]) -> CheckReport:
    """Combine shard reports; a note checked by two shards keeps its last result."""
    notes: dict[str, NoteResult] = {}
    diagnostics: list[Diagnostic] = []
    duration = 0.0
    for report in reports:
        notes.update((note.path, note) for note in report.notes)
        diagnostics.extend(report.diagnostics)
        duration = max(duration, report.duration_s)
    ordered = tuple(notes[path] for path in sorted(notes))
    return CheckReport(ordered, tuple(dict.fromkeys(diagnostics)), duration)


# ---------------------------------------------------------------- valid text

_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """`text` with every lone surrogate (which no UTF-8 writer accepts) shown as U+FFFD.

    Whatever a snippet prints, raises or returns may hold them (`print("\\udcff")`, a
    file name decoded with `surrogateescape`), and one would stop every report, the
    cache and the site. ASCII, the common case, is answered without a copy."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def valid_result(block: BlockResult) -> BlockResult:
    """The block with valid text everywhere: what comes out of a note process (or an
    entry stored by an older version) is never trusted to be valid Unicode."""
    error = block.error
    texts = (block.stdout, block.stderr, block.value or "")
    if all(text.isascii() for text in texts) and (
        error is None or f"{error.type}{error.message}{error.traceback}".isascii()
    ):
        return block
    if error is not None:
        error = replace(
            error,
            type=valid_text(error.type),
            message=valid_text(error.message),
            traceback=valid_text(error.traceback),
            source_line=valid_text(error.source_line),
        )
    value = None if block.value is None else valid_text(block.value)
    stdout, stderr = valid_text(block.stdout), valid_text(block.stderr)
    return replace(block, stdout=stdout, stderr=stderr, error=error, value=value)


# ---------------------------------------------------------------- stable text

_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}")
ADDRESS_SHOWN = "at 0x..."


def without_addresses(block: BlockResult) -> BlockResult:
    """The block with the memory addresses of default reprs (`<Line2D object at
    0x7fa8c1d2e3f0>`, `<function f at 0x...>`) shown as `at 0x...` in its output, value
    and error: they change on every run, and a stored result must not (the site is
    byte-identical on rebuild). Only `at 0x` followed by six or more hex digits is
    changed; other hex numbers a block prints are left alone."""
    error = block.error
    texts = [block.stdout, block.stderr, block.value or ""]
    if error is not None:
        texts += (error.message, error.traceback)
    if not any("at 0x" in text for text in texts):
        return block
    if error is not None:
        error = replace(
            error, message=_no_address(error.message), traceback=_no_address(error.traceback)
        )
    value = None if block.value is None else _no_address(block.value)
    stdout, stderr = _no_address(block.stdout), _no_address(block.stderr)
    return replace(block, stdout=stdout, stderr=stderr, error=error, value=value)


def _no_address(text: str) -> str:
    return _ADDRESS.sub(ADDRESS_SHOWN, text) if "at 0x" in text else text


FAILURE_CODE = "block-failed"
MISSING_CODE = "missing-module"
MISSING_PREFIX = "missing module: "


def failures(notes: Iterable[NoteResult]) -> list[tuple[NoteResult, BlockResult, BlockError]]:
    return [
        (note, block, block.error)
        for note in notes
        for block in note.blocks
        if block.status == "failed" and block.error is not None
    ]


def failure_diagnostics(notes: Iterable[NoteResult]) -> list[Diagnostic]:
    """Failures as ordinary diagnostics, so every output format (and `build`, which
    shows stored results) treats them alike."""
    return [
        Diagnostic(note.path, error.line, "error", failure_code(error), headline(error))
        for note, _, error in failures(notes)
    ]


def failure_code(error: BlockError) -> str:
    return MISSING_CODE if error.missing_module else FAILURE_CODE


def headline(error: BlockError) -> str:
    """What went wrong, in one line: `Type: message`, or the module to install."""
    if error.missing_module:
        return MISSING_PREFIX + error.missing_module
    return f"{error.type}: {error.message}"


def missing_modules_of(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """The module each missing-module failure among `diagnostics` needs (`headline`)."""
    return [d.message.removeprefix(MISSING_PREFIX) for d in diagnostics if d.code == MISSING_CODE]


def as_cached(block: BlockResult) -> BlockResult:
    """A stored pass, replayed: same output, no time spent."""
    return replace(block, status="cached", duration_s=0.0)


# ---------------------------------------------------------------- JSON


def block_to_json(block: BlockResult) -> dict[str, Any]:
    error = block.error
    row: dict[str, Any] = {
        "line": block.line,
        "status": block.status,
        "duration_s": round(block.duration_s, 4),
        "stdout": block.stdout,
        "stderr": block.stderr,
        "error": None
        if error is None
        else {
            "type": error.type,
            "message": error.message,
            "line": error.line,
            "traceback": error.traceback,
            "source_line": error.source_line,
            "missing_module": error.missing_module,
        },
        "value": block.value,
        "figures": list(block.figures),
        "reason": block.reason,
    }
    return row


def block_from_json(row: Mapping[str, Any]) -> BlockResult:
    """Raises ValueError or TypeError for a malformed row; text is made valid (an entry
    written by an older version may hold lone surrogates)."""
    if not isinstance(row, Mapping):
        raise TypeError(f"a stored block must be an object, not {type(row).__name__}")
    error = row.get("error")
    value = row.get("value")
    return BlockResult(
        line=int(row["line"]),
        status=_block_status(row["status"]),
        duration_s=float(row.get("duration_s", 0.0)),
        stdout=_stored_text(row.get("stdout", "")),
        stderr=_stored_text(row.get("stderr", "")),
        error=None if error is None else _error_from_json(error),
        value=None if value is None else _stored_text(value),
        figures=tuple(_stored_text(figure) for figure in row.get("figures", ())),
        reason=_stored_text(row.get("reason", "")),
    )


def _error_from_json(error: Mapping[str, Any]) -> BlockError:
    if not isinstance(error, Mapping):
        raise TypeError(f"a stored error must be an object, not {type(error).__name__}")
    return BlockError(
        type=_stored_text(error["type"]),
        message=_stored_text(error["message"]),
        line=int(error["line"]),
        traceback=_stored_text(error.get("traceback", "")),
        source_line=_stored_text(error.get("source_line", "")),
        missing_module=_stored_text(error.get("missing_module", "")),
    )


_BLOCK_STATUSES: dict[object, BlockStatus] = {name: name for name in get_args(BlockStatus)}


def _block_status(value: object) -> BlockStatus:
    status = _BLOCK_STATUSES.get(value) if isinstance(value, str) else None
    if status is None:
        raise ValueError(f"unknown block status {value!r}")
    return status


def _stored_text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return valid_text(value)


def report_to_json(report: CheckReport, locate: Locator = at_line) -> dict[str, Any]:
    summary = report.summary
    return {
        "notes": [
            {
                "path": note.path,
                "status": note.status,
                "duration_s": round(note.duration_s, 4),
                "blocks": [_located_block(note.path, block, locate) for block in note.blocks],
            }
            for note in report.notes
        ],
        "summary": {
            "notes": summary.notes,
            "blocks": summary.blocks,
            "passed": summary.passed,
            "failed": summary.failed,
            "not_run": summary.not_run,
            "skipped": summary.skipped,
            "cached": summary.cached,
            "missing_modules": summary.missing_modules,
        },
        "diagnostics": [
            {
                **{key: value for key, value in vars(d).items() if value is not None},
                "location": locate(d.path, d.line),
            }
            for d in report.diagnostics
        ],
        "duration_s": round(report.duration_s, 4),
    }


def _located_block(path: str, block: BlockResult, locate: Locator) -> dict[str, Any]:
    row = block_to_json(block)
    row["location"] = locate(path, block.line)
    if block.error is not None:
        row["error"]["location"] = locate(path, block.error.line)
    return row


def report_from_json(data: dict[str, Any]) -> CheckReport:
    """Inverse of `report_to_json`, for `report merge`; the summary is recomputed and
    text is made valid (a report saved by an older version may hold lone surrogates)."""
    notes = tuple(
        NoteResult(
            path=_stored_text(row["path"]),
            status=row["status"],
            blocks=tuple(block_from_json(block) for block in row["blocks"]),
            duration_s=float(row.get("duration_s", 0.0)),
        )
        for row in data["notes"]
    )
    diagnostics = tuple(_diagnostic_from_json(row) for row in data.get("diagnostics", ()))
    return CheckReport(notes, diagnostics, float(data.get("duration_s", 0.0)))


def _diagnostic_from_json(row: Mapping[str, Any]) -> Diagnostic:
    fields: dict[str, Any] = {
        key: valid_text(value) if isinstance(value, str) else value
        for key, value in row.items()
        if key != "location"
    }
    return Diagnostic(**fields)


def stored_locator(reports: Iterable[Mapping[str, Any]]) -> Locator:
    """The locations saved reports were shown with (`report_to_json`), for showing them
    again without the vault; lines a report did not locate are shown as `path:line`."""
    known: dict[tuple[str, int], str] = {}
    for data in reports:
        for note in data.get("notes", ()):
            for block in note.get("blocks", ()):
                _remember(known, note.get("path"), block)
                _remember(known, note.get("path"), block.get("error"))
        for diagnostic in data.get("diagnostics", ()):
            _remember(known, diagnostic.get("path"), diagnostic)

    def locate(path: str, line: int) -> str:
        return known.get((path, line)) or at_line(path, line)

    return locate


def _remember(known: dict[tuple[str, int], str], path: object, row: object) -> None:
    """Keeps well-formed entries only: a hand-edited report must not stop a merge."""
    if not isinstance(row, Mapping):
        return
    line, location = row.get("line"), row.get("location")
    if isinstance(path, str) and isinstance(line, int) and isinstance(location, str):
        known[(path, line)] = location
