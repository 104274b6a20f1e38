"""Turning a parsed note into the job its process runs: which blocks, how, with what limits.

Block options (in the fence info string, e.g. ```` ```python raises=NameError timeout=5 ````):

- `skip`: not run, reported `skipped`.
- `raises=Name`: the block must raise that exception (or a subclass); it then passes.
- `timeout=SECONDS`: this block's time limit, instead of the note's or the config's.
- `reset`: start from a fresh namespace; such a block runs even after a failure,
  since it does not depend on what came before.
- `continue`: run this block even when an earlier block failed.
- `run`: with `[check] run = "marked"`, run this block (the others are skipped).

Note settings (frontmatter keys):

- `execute: false`: do not run the note at all; its blocks are reported `skipped`.
- `execute: true`: with `[check] run = "marked"`, run all of the note's blocks.

A block that calls `sys.exit(0)` (or `sys.exit()`) ends the note as it would end a
script: it passes and the later blocks are `skipped` ("the note exited at line N");
another exit status fails the block.
- `timeout: SECONDS`: the default block timeout for this note.

Python blocks are those tagged `python`, `py`, `python3` or `pycon`; `pycon` blocks
and blocks whose first line starts with `>>>` are run as doctests.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from notebook_runner.config import CheckConfig
from notebook_runner.execute.results import MARKED_SKIP, NOT_MARKED_RUN, NOTE_NOT_EXECUTED
from notebook_runner.model import CodeBlock, Diagnostic, Note

DOCTEST_LANGS = frozenset({"pycon"})


@dataclass(frozen=True)
class BlockPlan:
    """A block as the note process sees it: code plus its parsed options."""

    line: int
    code: str
    code_line: int
    doctest: bool
    skip: str = ""
    """Why the block is not run ("": it runs)."""
    raises: str | None = None
    timeout: float = 30.0
    reset: bool = False
    run_after_failure: bool = False


@dataclass(frozen=True)
class NotePlan:
    """Everything the note process needs; it is pickled to the process as is."""

    path: str
    blocks: tuple[BlockPlan, ...]
    source_lines: tuple[str, ...]

    @property
    def runs(self) -> bool:
        """Whether any block is run: a note that runs none needs no process."""
        return not all(block.skip for block in self.blocks)


def plan_note(note: Note, config: CheckConfig) -> tuple[NotePlan, list[Diagnostic]]:
    """Read the note's settings and block options; bad values warn and fall back."""
    diagnostics: list[Diagnostic] = []
    marked = config.run == "marked"
    execute = _execute_setting(note, diagnostics, marked)
    note_timeout = _timeout_setting(note, config.timeout, diagnostics)
    blocks = tuple(
        _plan_block(note.path, block, note_timeout, diagnostics, _skip_reason(execute, marked))
        for block in note.code_blocks
        if block.is_python
    )
    return NotePlan(note.path, blocks, _source_lines(blocks)), diagnostics


def _plan_block(
    path: str,
    block: CodeBlock,
    default_timeout: float,
    diagnostics: list[Diagnostic],
    skip: Callable[[dict[str, str]], str],
) -> BlockPlan:
    options = block.options
    timeout = default_timeout
    if "timeout" in options:
        parsed = _positive_seconds(options["timeout"])
        if parsed is None:
            diagnostics.append(_bad_timeout(path, block.line, options["timeout"], timeout))
        else:
            timeout = parsed
    raises = options.get("raises")
    return BlockPlan(
        line=block.line,
        code=block.code,
        code_line=block.code_line,
        doctest=block.lang.lower() in DOCTEST_LANGS or block.code.lstrip().startswith(">>>"),
        skip=skip(options),
        raises=raises if raises and raises != "true" else None,
        timeout=timeout,
        reset=_flag(options, "reset"),
        run_after_failure=_flag(options, "continue"),
    )


def _skip_reason(execute: bool | None, marked: bool) -> Callable[[dict[str, str]], str]:
    """Why a block with these options is not run, given the note's `execute` setting
    (None: not set) and whether only marked blocks run."""

    def reason(options: dict[str, str]) -> str:
        if execute is False:
            return NOTE_NOT_EXECUTED
        if _flag(options, "skip"):
            return MARKED_SKIP
        if marked and execute is None and not _flag(options, "run"):
            return NOT_MARKED_RUN
        return ""

    return reason


def _flag(options: dict[str, str], name: str) -> bool:
    return options.get(name, "false").lower() not in ("false", "no", "0")


def _execute_setting(note: Note, diagnostics: list[Diagnostic], marked: bool) -> bool | None:
    """True or False as written; None when not set (or set to something else)."""
    value: Any = note.frontmatter.get("execute")
    if value is None or isinstance(value, bool):
        return value
    fallback = "running only its blocks marked `run`" if marked else "running the note"
    diagnostics.append(
        Diagnostic(
            note.path,
            1,
            "warning",
            "bad-note-setting",
            f"frontmatter `execute` must be true or false, not {value!r}; {fallback}",
        )
    )
    return None


def _timeout_setting(note: Note, default: float, diagnostics: list[Diagnostic]) -> float:
    if "timeout" not in note.frontmatter:
        return default
    value: Any = note.frontmatter["timeout"]
    parsed = None if isinstance(value, bool) else _positive_seconds(str(value))
    if parsed is None:
        diagnostics.append(_bad_timeout(note.path, 1, value, default))
        return default
    return parsed


def _positive_seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 and math.isfinite(value) else None


def _bad_timeout(path: str, line: int, value: object, fallback: float) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        "warning",
        "bad-timeout",
        f"timeout must be a positive number of seconds, not {value!r}; using {fallback:g}",
    )


def _source_lines(blocks: tuple[BlockPlan, ...]) -> tuple[str, ...]:
    """The note's lines as far as execution knows them (code lines, blanks elsewhere),
    so that tracebacks can show note source without the note file being read again."""
    last = max((b.code_line + b.code.count("\n") for b in blocks), default=0)
    lines = [""] * last
    for block in blocks:
        for offset, text in enumerate(block.code.splitlines()):
            lines[block.code_line - 1 + offset] = text
    return tuple(lines)
