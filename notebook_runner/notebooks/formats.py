"""The jupytext and nbformat calls, typed, in one place (neither library types them).

Notebooks are built as plain dicts in the shapes nbformat's `new_*` helpers make, but
without their validation: those helpers check every cell and output against the JSON
schema, and `new_notebook` and `nbformat.writes` check the whole notebook twice more,
which made validation a third of a site build's notebook cost. What we build is valid
by construction (the tests validate every kind of cell and output we make). `.ipynb`
text is written from the dicts directly (`ipynb.ipynb_text`); they become
`NotebookNode`s (`as_node`) only for jupytext's formats and for callers that want
attribute access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from notebook_runner.notebooks.ipynb import ipynb_text

if TYPE_CHECKING:
    from nbformat import NotebookNode

NBFORMAT = 4
NBFORMAT_MINOR = 5
"""The notebook format version nbformat writes (`nbformat.v4.nbformat_minor`; a test
keeps them equal). Written out because importing nbformat (and with it jsonschema)
costs `build`, which writes `.ipynb` text itself, a twentieth of a second."""

FORMATS: dict[str, str] = {"ipynb": ".ipynb", "py:percent": ".py", "md:myst": ".md"}
"""The export formats and the extension of their files."""


PERCENT_MARKDOWN_MARKERS = '"""'
"""Markdown cells of `py:percent` files are written as triple-quoted strings, not `# `
comments: jupytext reads commented lines that look like IPython (`#!/bin/bash`, a
line ending in `?`) back as something else, so comments would not round-trip."""


def write_text(notebook: Mapping[str, Any], fmt: str) -> str:
    """The notebook as the text of a file in jupytext format `fmt`."""
    if fmt == "ipynb":  # what jupytext writes, minus nbformat's (logging-only) validation
        return ipynb_text(notebook) + "\n"
    node = as_node(notebook)  # a copy: the caller's notebook is not changed
    if fmt == "py:percent":
        settings = node.metadata.setdefault("jupytext", {})
        settings.setdefault("cell_markers", PERCENT_MARKDOWN_MARKERS)
    text = cast(str, _jupytext().writes(node, fmt=fmt))
    return text if text.endswith("\n") else text + "\n"


def read_text(text: str, fmt: str) -> NotebookNode:
    """Parse a notebook file's text; raises on input jupytext cannot read."""
    notebook: Any = _jupytext().reads(text, fmt=fmt)
    return cast("NotebookNode", notebook)


def as_node(notebook: Mapping[str, Any]) -> NotebookNode:
    """A copy of `notebook` whose mappings are `NotebookNode`s (attribute access), as
    nbformat and jupytext use them."""
    from nbformat import from_dict  # see NBFORMAT_MINOR

    return cast("NotebookNode", from_dict(notebook))  # type: ignore[no-untyped-call]


def notebook(cells: list[dict[str, Any]], metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
        "metadata": metadata,
        "cells": cells,
    }


def markdown_cell(source: str, cell_id: str) -> dict[str, Any]:
    return {"id": cell_id, "cell_type": "markdown", "source": source, "metadata": {}}


def code_cell(
    source: str,
    cell_id: str,
    metadata: dict[str, Any],
    outputs: list[dict[str, Any]],
    execution_count: int | None,
) -> dict[str, Any]:
    return {
        "id": cell_id,
        "cell_type": "code",
        "metadata": metadata,
        "execution_count": execution_count,
        "source": source,
        "outputs": outputs,
    }


def output(output_type: str, **fields: Any) -> dict[str, Any]:
    """An output of `output_type` ("stream", "display_data", "execute_result", "error");
    `fields` are the ones its schema requires."""
    return {**fields, "output_type": output_type}


def _jupytext() -> Any:
    """jupytext, imported on first use: it pulls in jupyter_client and tornado, a tenth
    of a second that `build` (which writes only `.ipynb`) need not wait for."""
    import jupytext  # type: ignore[import-untyped]

    return jupytext
