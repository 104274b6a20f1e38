"""Building notes for the execute tests without going through the parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notebook_runner.config import CheckConfig
from notebook_runner.execute import CheckOptions, CheckReport, NoteResult, check_notes
from notebook_runner.model import CodeBlock, Note

Block = str | tuple[str, str, dict[str, str]]
"""Python code, or (lang, code, options)."""


def make_note(path: str, *blocks: Block, frontmatter: dict[str, Any] | None = None) -> Note:
    """Blocks laid out as in a file: fence on line L, code from L+1, a blank line between."""
    code_blocks = []
    line = 1
    for block in blocks:
        lang, code, options = ("python", block, {}) if isinstance(block, str) else block
        end = line + code.count("\n") + 1
        code_blocks.append(CodeBlock(lang, line, end, code, line + 1, options))
        line = end + 2
    return Note(path, path, frontmatter or {}, (), code_blocks=tuple(code_blocks))


def run(
    tmp_path: Path,
    *notes: Note,
    config: CheckConfig | None = None,
    **options: Any,
) -> CheckReport:
    options.setdefault("use_cache", False)
    return check_notes(list(notes), tmp_path, config or CheckConfig(), CheckOptions(**options))


def run_one(tmp_path: Path, *blocks: Block, **options: Any) -> NoteResult:
    return run(tmp_path, make_note("note.md", *blocks), **options).notes[0]


def statuses(result: NoteResult) -> list[str]:
    return [block.status for block in result.blocks]
