"""The jupytext and nbformat calls, typed, in one place (neither library types them)."""

from __future__ import annotations

import copy
from typing import Any, cast

import jupytext  # type: ignore[import-untyped]
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

FORMATS: dict[str, str] = {"ipynb": ".ipynb", "py:percent": ".py", "md:myst": ".md"}
"""The export formats and the extension of their files."""


PERCENT_MARKDOWN_MARKERS = '"""'
"""Markdown cells of `py:percent` files are written as triple-quoted strings, not `# `
comments: jupytext reads commented lines that look like IPython (`#!/bin/bash`, a
line ending in `?`) back as something else, so comments would not round-trip."""


def write_text(notebook: NotebookNode, fmt: str) -> str:
    """The notebook as the text of a file in jupytext format `fmt`."""
    if fmt == "py:percent":
        notebook = copy.deepcopy(notebook)
        settings = notebook.metadata.setdefault("jupytext", {})
        settings.setdefault("cell_markers", PERCENT_MARKDOWN_MARKERS)
    text = cast(str, jupytext.writes(notebook, fmt=fmt))
    return text if text.endswith("\n") else text + "\n"


def read_text(text: str, fmt: str) -> NotebookNode:
    """Parse a notebook file's text; raises on input jupytext cannot read."""
    notebook: Any = jupytext.reads(text, fmt=fmt)
    return cast(NotebookNode, notebook)


def notebook(cells: list[NotebookNode], metadata: dict[str, Any]) -> NotebookNode:
    return cast(NotebookNode, new_notebook(cells=cells, metadata=metadata))  # type: ignore[no-untyped-call]


def markdown_cell(source: str) -> NotebookNode:
    return cast(NotebookNode, new_markdown_cell(source))  # type: ignore[no-untyped-call]


def code_cell(source: str, metadata: dict[str, Any]) -> NotebookNode:
    return cast(NotebookNode, new_code_cell(source, metadata=metadata))  # type: ignore[no-untyped-call]


def output(output_type: str, **fields: Any) -> NotebookNode:
    return cast(NotebookNode, new_output(output_type, **fields))  # type: ignore[no-untyped-call]
