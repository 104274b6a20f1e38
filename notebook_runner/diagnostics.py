"""Formatting of diagnostics for people (text) and machines (JSON, GitHub annotations).

Stages return `Diagnostic`s and never print; only the CLI chooses a format.

Lines in diagnostics are lines of the note as parsed. For a note read from a notebook
that is generated Markdown nobody sees, so every formatter takes a `Locator`: the one
seam that turns `(path, line)` into the place a person can find
(`lesson.ipynb:cell 3:line 2`). The default locator is the plain `path:line`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from notebook_runner.model import Diagnostic

__all__ = [
    "Diagnostic",
    "Locator",
    "at_line",
    "file_line",
    "format_github",
    "format_text",
    "grouped_text",
    "shown_inert",
    "sort_key",
    "to_json",
]

Locator = Callable[[str, int], str]
"""`(path, note line) -> location`, e.g. `notes/A.md:12` or `lesson.ipynb:cell 3:line 2`."""


def at_line(path: str, line: int) -> str:
    """The location of a line of a note that is its own file: `path:line`."""
    return f"{path}:{line}"


def file_line(path: str, line: int, locate: Locator) -> int | None:
    """`line` when it is a line of the file at `path` itself, so that tools which open
    the file there (GitHub annotations, JUnit) get it; None when `locate` maps it
    elsewhere (a notebook cell), where a line number would point at the wrong place."""
    return line if locate(path, line) == at_line(path, line) else None


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    """Order by file, then line, so output is stable across runs and worker counts."""
    return (diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.message)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown_inert(text: str) -> str:
    """`text` with every control character but newline and tab written out as `\\x1b`.

    Diagnostics and reports quote notes, file names and what snippets print, and all of
    it lands in a terminal or a CI log, where an escape sequence could clear the screen,
    retitle the window or forge a line that looks like ours (`\\r` then a fake "0
    failed"). Text formats are for people: they see the bytes instead. JSON escapes
    control characters itself and JUnit replaces them, so neither needs this."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def format_text(diagnostic: Diagnostic, locate: Locator = at_line) -> str:
    """`location: severity: message [code]`, plus the hint in parentheses when known."""
    where = locate(diagnostic.path, diagnostic.line)
    text = f"{where}: {diagnostic.severity}: {diagnostic.message}"
    if diagnostic.hint:
        text += f" ({diagnostic.hint})"
    return shown_inert(f"{text} [{diagnostic.code}]")


SHOWN_REPEATS = 3
"""How many further places of a repeated diagnostic `grouped_text` names."""


def grouped_text(diagnostics: Iterable[Diagnostic], locate: Locator = at_line) -> list[str]:
    """`format_text` lines in `sort_key` order, for people: the diagnostics of one note
    that are alike but for their line (same severity, code, message and hint: a link
    pasted 24 times) are one line, at the first of them, saying how many there are and
    where the next few are. Machines (JSON, GitHub, JUnit) still get every one."""
    groups: dict[tuple[str, str, str, str, str | None], list[Diagnostic]] = {}
    for diagnostic in sorted(diagnostics, key=sort_key):
        key = (
            diagnostic.path,
            diagnostic.severity,
            diagnostic.code,
            diagnostic.message,
            diagnostic.hint,
        )
        groups.setdefault(key, []).append(diagnostic)
    lines = []
    for first, *rest in sorted(groups.values(), key=lambda group: sort_key(group[0])):
        if not rest:
            lines.append(format_text(first, locate))
            continue
        places = [locate(d.path, d.line).removeprefix(d.path + ":") for d in rest]
        shown = ", ".join(places[:SHOWN_REPEATS])
        more = len(places) - SHOWN_REPEATS
        numbers = all(place.isdigit() for place in places)
        where = (("lines " if len(places) > 1 else "line ") if numbers else "") + shown
        where += f" and {more} more" if more > 0 else ""
        message = f"{len(rest) + 1} x {first.message}, also at {where}"
        lines.append(format_text(dataclasses.replace(first, message=message), locate))
    return lines


def format_github(diagnostic: Diagnostic, locate: Locator = at_line, folder: str = "") -> str:
    """A GitHub Actions workflow command, so failures show inline on the pull request.

    GitHub finds the file relative to the repository root: `folder` is the vault's
    folder there (`commands.common.repository_folder`). A notebook location has no line
    of the file to annotate: the annotation goes on the file, and the message starts
    with the location. Properties and message are escaped as the Actions toolkit does
    (`escapeProperty`, `escapeData`), so `Lesson 1, part 2.md` stays one file name."""
    level = {"error": "error", "warning": "warning", "info": "notice"}[diagnostic.severity]
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    line = file_line(diagnostic.path, diagnostic.line, locate)
    if line is None:
        message = f"{locate(diagnostic.path, diagnostic.line)}: {message}"
    path = f"{folder}/{diagnostic.path}" if folder else diagnostic.path
    position = "" if line is None else str(line)
    properties = [("file", path), ("line", position), ("title", diagnostic.code)]
    where = ",".join(f"{name}={_github_property(value)}" for name, value in properties if value)
    return f"::{level} {where}::{_github_data(message)}"


def _github_data(text: str) -> str:
    return shown_inert(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def to_json(diagnostics: Iterable[Diagnostic], locate: Locator = at_line) -> list[dict[str, Any]]:
    """Plain dicts in stable order, each with its `location`; `hint` is omitted when
    there is none."""
    rows = []
    for diagnostic in sorted(diagnostics, key=sort_key):
        row = dataclasses.asdict(diagnostic)
        if row["hint"] is None:
            del row["hint"]
        row["location"] = locate(diagnostic.path, diagnostic.line)
        rows.append(row)
    return rows
