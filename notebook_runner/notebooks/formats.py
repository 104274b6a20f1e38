"""The jupytext and nbformat calls, typed, in one place (neither library types them).

Notebooks are built from plain `NotebookNode`s in the shapes nbformat's `new_*` helpers
make, but without their validation: those helpers check every cell and output against
the JSON schema, and `new_notebook` and `nbformat.writes` check the whole notebook twice
more, which made validation a third of a site build's notebook cost. What we build is
valid by construction (the tests validate every kind of cell and output we make).
"""

from __future__ import annotations

import copy
from typing import Any, cast

from nbformat import NotebookNode, from_dict
from nbformat.v4 import nbformat as NBFORMAT
from nbformat.v4 import nbformat_minor as NBFORMAT_MINOR
from nbformat.v4.nbjson import writes as json_writes

FORMATS: dict[str, str] = {"ipynb": ".ipynb", "py:percent": ".py", "md:myst": ".md"}
"""The export formats and the extension of their files."""


PERCENT_MARKDOWN_MARKERS = '"""'
"""Markdown cells of `py:percent` files are written as triple-quoted strings, not `# `
comments: jupytext reads commented lines that look like IPython (`#!/bin/bash`, a
line ending in `?`) back as something else, so comments would not round-trip."""


def write_text(notebook: NotebookNode, fmt: str) -> str:
    """The notebook as the text of a file in jupytext format `fmt`."""
    if fmt == "ipynb":  # what jupytext writes, minus nbformat's (logging-only) validation
        text = cast(str, json_writes(notebook))  # type: ignore[no-untyped-call]
        return text + "\n"
    if fmt == "py:percent":
        notebook = copy.deepcopy(notebook)
        settings = notebook.metadata.setdefault("jupytext", {})
        settings.setdefault("cell_markers", PERCENT_MARKDOWN_MARKERS)
    text = cast(str, _jupytext().writes(notebook, fmt=fmt))
    return text if text.endswith("\n") else text + "\n"


def read_text(text: str, fmt: str) -> NotebookNode:
    """Parse a notebook file's text; raises on input jupytext cannot read."""
    notebook: Any = _jupytext().reads(text, fmt=fmt)
    return cast(NotebookNode, notebook)


def notebook(cells: list[NotebookNode], metadata: dict[str, Any]) -> NotebookNode:
    return _shallow(
        nbformat=NBFORMAT,
        nbformat_minor=NBFORMAT_MINOR,
        metadata=_node(metadata),
        cells=cells,
    )


def markdown_cell(source: str, cell_id: str) -> NotebookNode:
    return _shallow(id=cell_id, cell_type="markdown", source=source, metadata=_node({}))


def code_cell(
    source: str,
    cell_id: str,
    metadata: dict[str, Any],
    outputs: list[NotebookNode],
    execution_count: int | None,
) -> NotebookNode:
    return _shallow(
        id=cell_id,
        cell_type="code",
        metadata=_node(metadata),
        execution_count=execution_count,
        source=source,
        outputs=outputs,
    )


def output(output_type: str, **fields: Any) -> NotebookNode:
    """An output of `output_type` ("stream", "display_data", "execute_result", "error");
    `fields` are the ones its schema requires."""
    node = _node(fields)
    node["output_type"] = output_type
    return node


def _node(mapping: dict[str, Any]) -> NotebookNode:
    """Nested mappings as nodes too, as nbformat's helpers give them (attribute access)."""
    return cast(NotebookNode, from_dict(mapping))  # type: ignore[no-untyped-call]


def _shallow(**fields: Any) -> NotebookNode:
    """A node of `fields` as given (already nodes, or lists of nodes)."""
    return NotebookNode(**fields)  # type: ignore[no-untyped-call]


def _jupytext() -> Any:
    """jupytext, imported on first use: it pulls in jupyter_client and tornado, a tenth
    of a second that `build` (which writes only `.ipynb`) need not wait for."""
    import jupytext  # type: ignore[import-untyped]

    return jupytext
