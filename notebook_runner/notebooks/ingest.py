"""Notebooks as notes: `.ipynb` files and jupytext `py:percent` files read as Markdown.

The rest of the pipeline knows only Markdown notes, so a notebook is turned into one:
each Markdown cell's text as it is (its links, tags and callouts are then parsed like
any note's), each code cell as a fenced block in the notebook's language, separated by
blank lines. A `LineMap` remembers, for every line of that Markdown, which cell and
which line of the cell it came from, so that a problem found at note line 14 can be
reported where the user can find it: `lesson.ipynb:cell 3:line 2`.

Choices:
- A `.py` file is a notebook only when it has a jupytext header naming the `percent`
  format; any other `.py` file is a module that notes may import, not a note.
- A `py:percent` file paired with an `.ipynb` of the same name (same folder) is not read
  a second time: the `.ipynb` is the note (`pick_notebooks`).
- Code cell options come back from the metadata `export` writes: the `skip-execution`
  tag is `skip`, `raises-exception` is `raises=` (the exception named under
  `notebook_runner`, else any `Exception`), and the other `notebook_runner` options.
- IPython syntax is not Python. A cell that does not compile has its line magics and
  shell escapes (`%matplotlib inline`, `!pip install x`) commented out, line for line,
  with an info diagnostic; a cell magic (`%%bash`) makes the whole cell `skip`.
- Raw cells and empty code cells have no lines in the note (cell numbers still count
  every cell, as Jupyter does).

Diagnostic codes: `bad-notebook` (error: the file is not a notebook jupytext can read;
no note is made), `ipython-magic` (info), `bad-cell-option` (warning: an option in a
cell's metadata that cannot be written as a block option).
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from nbformat import NotebookNode

from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.notebooks.formats import read_text

__all__ = [
    "CellLine",
    "IngestedNotebook",
    "LineMap",
    "notebook_format",
    "pick_notebooks",
    "read_notebook",
]

METADATA_KEY = "notebook_runner"
SKIP_TAG = "skip-execution"
RAISES_TAG = "raises-exception"
PASSED_OPTIONS = ("timeout", "raises", "skip", "continue", "reset")
_FLAGS = frozenset({"skip", "continue", "reset"})
_FALSE = frozenset({"false", "no", "0"})
_NEWLINE = re.compile(r"\r\n?|\n")
_HEADER_FORMAT = re.compile(r"#\s+format_name:\s*['\"]?percent['\"]?\s*$")
_MAGIC = re.compile(r"\s*[%!]")


@dataclass(frozen=True)
class CellLine:
    """Where a note line came from: 1-based cell number and line in that cell's source.

    `line` is None for lines the notebook does not hold (the fences around code)."""

    cell: int
    line: int | None


@dataclass(frozen=True)
class LineMap:
    """Note line -> cell position, for one notebook read as a note."""

    path: str
    positions: tuple[CellLine | None, ...]

    def at(self, line: int) -> CellLine | None:
        """The cell position of 1-based note `line`; None between cells."""
        if 1 <= line <= len(self.positions):
            return self.positions[line - 1]
        return None

    def location(self, line: int) -> str:
        """`path:cell N:line M`, `path:cell N` for a fence line, or the path alone."""
        position = self.at(line)
        if position is None:
            return self.path
        where = f"{self.path}:cell {position.cell}"
        return where if position.line is None else f"{where}:line {position.line}"


@dataclass(frozen=True)
class IngestedNotebook:
    """A notebook as a note: Markdown text under the notebook's own path, and its map."""

    source: SourceFile
    line_map: LineMap
    fmt: str


def notebook_format(path: str, text: str) -> str | None:
    """The jupytext format to read `path` with, or None when it is not a notebook."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".ipynb":
        return "ipynb"
    if suffix == ".py" and _has_percent_header(text):
        return "py:percent"
    return None


def _has_percent_header(text: str) -> bool:
    """A jupytext header: `# ---` ... `# ---` at the top, naming the percent format."""
    lines = _NEWLINE.split(text)
    if not lines or lines[0].strip() != "# ---":
        return False
    for line in lines[1:]:
        if line.strip() == "# ---" or not line.startswith("#"):
            return False
        if _HEADER_FORMAT.match(line):
            return True
    return False


def pick_notebooks(candidates: Mapping[str, str]) -> dict[str, str]:
    """Vault path -> format of the files to read as notes, from candidate files (path ->
    text); a percent script beside an `.ipynb` of the same name is its pair, not a note."""
    formats = {path: notebook_format(path, text) for path, text in candidates.items()}
    notebooks = {path for path, fmt in formats.items() if fmt == "ipynb"}
    picked = {}
    for path, fmt in sorted(formats.items()):
        if fmt is None:
            continue
        if fmt == "py:percent" and str(PurePosixPath(path).with_suffix(".ipynb")) in notebooks:
            continue
        picked[path] = fmt
    return picked


def read_notebook(
    path: str, text: str, fmt: str | None = None
) -> tuple[IngestedNotebook | None, list[Diagnostic]]:
    """Read one notebook file as a note; never raises on content."""
    fmt = fmt or notebook_format(path, text)
    if fmt is None:
        message = "not a notebook: neither .ipynb nor a jupytext py:percent script"
        return None, [Diagnostic(path, 1, "error", "bad-notebook", message)]
    notebook, problem = _load(path, text, fmt)
    if notebook is None:
        return None, [problem] if problem else []
    builder = _NoteBuilder(path, _language(notebook))
    for number, cell in enumerate(notebook.cells, start=1):
        builder.add(number, cell)
    source = SourceFile(path, "\n".join(builder.lines) + "\n" if builder.lines else "")
    line_map = LineMap(path, tuple(builder.positions))
    return IngestedNotebook(source, line_map, fmt), builder.diagnostics


def _load(path: str, text: str, fmt: str) -> tuple[NotebookNode | None, Diagnostic | None]:
    if fmt == "ipynb":
        try:
            json.loads(text)
        except ValueError as error:
            line = error.lineno if isinstance(error, json.JSONDecodeError) else 1
            reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            message = f"not a notebook: invalid JSON ({reason})"
            return None, Diagnostic(path, line, "error", "bad-notebook", message)
    # jupytext warns (on stderr) instead of failing for some files it cannot use, such as
    # nbformat 3 notebooks: a library stage must not print, and such a file is no note.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            notebook = read_text(text, fmt)
        except Exception as error:  # jupytext and nbformat raise many kinds on bad files
            return None, _unreadable(path, str(error) or type(error).__name__)
    if not isinstance(notebook.get("cells"), list):
        return None, _unreadable(path, str(caught[0].message) if caught else "it has no cells")
    return notebook, None


def _unreadable(path: str, reason: str) -> Diagnostic:
    first_line = reason.strip().splitlines()[0] if reason.strip() else reason
    message = f"not a notebook jupytext can read: {first_line}"
    return Diagnostic(path, 1, "error", "bad-notebook", message)


def _language(notebook: NotebookNode) -> str:
    metadata = notebook.get("metadata", {})
    for key in ("kernelspec", "language_info"):
        section = metadata.get(key)
        if isinstance(section, Mapping):
            name = section.get("language" if key == "kernelspec" else "name")
            if isinstance(name, str) and name.strip():
                return name.strip().lower()
    return "python"


class _NoteBuilder:
    """Accumulates the note's lines, their cell positions and the problems found."""

    def __init__(self, path: str, language: str) -> None:
        self.path = path
        self.language = language
        self.lines: list[str] = []
        self.positions: list[CellLine | None] = []
        self.diagnostics: list[Diagnostic] = []

    def add(self, number: int, cell: Any) -> None:
        if not isinstance(cell, Mapping):
            return
        kind = cell.get("cell_type")
        source = str(cell.get("source", ""))
        if kind == "markdown":
            self._separate()
            self._cell_lines(number, _NEWLINE.split(source))
        elif kind == "code" and source.strip():
            self._separate()
            self._code(number, source, cell.get("metadata", {}))

    def _separate(self) -> None:
        if self.lines:
            self.lines.append("")
            self.positions.append(None)

    def _cell_lines(self, number: int, lines: list[str]) -> None:
        for offset, line in enumerate(lines, start=1):
            self.lines.append(line)
            self.positions.append(CellLine(number, offset))

    def _synthetic(self, number: int, line: str) -> None:
        self.lines.append(line)
        self.positions.append(CellLine(number, None))

    def _code(self, number: int, source: str, metadata: Any) -> None:
        lines = _NEWLINE.split(source)
        fence_line = len(self.lines) + 1
        options = self._options(number, metadata, fence_line)
        if self.language == "python":
            lines, skip = self._python_lines(lines, fence_line + 1)
            if skip and "skip" not in options:
                options.append("skip")
        fence = "`" * max(3, _longest_backtick_run(lines) + 1)
        self._synthetic(number, " ".join([fence + self.language, *options]))
        self._cell_lines(number, lines)
        self._synthetic(number, fence)

    def _options(self, number: int, metadata: Any, line: int) -> list[str]:
        """Fence options from the cell's tags and `notebook_runner` metadata."""
        metadata = metadata if isinstance(metadata, Mapping) else {}
        tags = metadata.get("tags", [])
        tags = tags if isinstance(tags, list) else []
        stored = metadata.get(METADATA_KEY, {})
        stored = dict(stored) if isinstance(stored, Mapping) else {}
        if SKIP_TAG in tags:
            stored.setdefault("skip", "true")
        if RAISES_TAG in tags:
            stored.setdefault("raises", "Exception")
        options = []
        for key in PASSED_OPTIONS:
            if key not in stored:
                continue
            value = str(stored[key])
            if not value or any(char.isspace() for char in value):
                message = f"cell {number}: option {key}={value!r} cannot be a block option"
                self.diagnostics.append(
                    Diagnostic(self.path, line, "warning", "bad-cell-option", message)
                )
                continue
            if key in _FLAGS:
                if value.lower() not in _FALSE:
                    options.append(key)
            else:
                options.append(f"{key}={value}")
        return options

    def _python_lines(self, lines: list[str], first_line: int) -> tuple[list[str], bool]:
        """IPython-only lines made harmless; True when a cell magic means skip the cell."""
        if _compiles("\n".join(lines)):
            return lines, False
        if lines and lines[0].lstrip().startswith("%%"):
            magic = lines[0].strip().split()[0]
            message = f"cell magic {magic}: the cell is IPython, not Python, and is not checked"
            self.diagnostics.append(
                Diagnostic(self.path, first_line, "info", "ipython-magic", message)
            )
            return lines, True
        result = []
        for offset, line in enumerate(lines):
            if _MAGIC.match(line):
                message = f"IPython line `{line.strip()}` is not Python; check does not run it"
                self.diagnostics.append(
                    Diagnostic(self.path, first_line + offset, "info", "ipython-magic", message)
                )
                indent = line[: len(line) - len(line.lstrip())]
                line = f"{indent}# {line.lstrip()}"
            result.append(line)
        return result, False


def _compiles(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _longest_backtick_run(lines: list[str]) -> int:
    return max((len(line.lstrip()) - len(line.lstrip().lstrip("`")) for line in lines), default=0)
