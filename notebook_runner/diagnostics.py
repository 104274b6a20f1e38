"""Formatting of diagnostics for people (text) and machines (JSON, GitHub annotations).

Stages return `Diagnostic`s and never print; only the CLI chooses a format.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from notebook_runner.model import Diagnostic

__all__ = ["Diagnostic", "format_github", "format_text", "sort_key", "to_json"]


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    """Order by file, then line, so output is stable across runs and worker counts."""
    return (diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.message)


def format_text(diagnostic: Diagnostic) -> str:
    """`path:line: severity: message [code]`, plus the hint in parentheses when known."""
    text = f"{diagnostic.path}:{diagnostic.line}: {diagnostic.severity}: {diagnostic.message}"
    if diagnostic.hint:
        text += f" ({diagnostic.hint})"
    return f"{text} [{diagnostic.code}]"


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, so failures show inline on the pull request."""
    level = {"error": "error", "warning": "warning", "info": "notice"}[diagnostic.severity]
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    where = f"file={diagnostic.path},line={diagnostic.line},title={diagnostic.code}"
    return f"::{level} {where}::{escaped}"


def to_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    """Plain dicts in stable order; `hint` is omitted when there is none."""
    rows = []
    for diagnostic in sorted(diagnostics, key=sort_key):
        row = dataclasses.asdict(diagnostic)
        if row["hint"] is None:
            del row["hint"]
        rows.append(row)
    return rows
