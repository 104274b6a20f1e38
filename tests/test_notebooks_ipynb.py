"""Our `.ipynb` writer against nbformat's own: the same text for any v4 notebook."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat import NotebookNode, from_dict
from nbformat.v4 import nbjson

from notebook_runner.notebooks import formats
from notebook_runner.notebooks.ipynb import ipynb_text

# Line breaks of every kind `str.splitlines` knows, so that splitting is compared too.
BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
TEXT = st.text(alphabet=st.sampled_from('ab é"\\\t\x00\x7f😀' + BREAKS), max_size=30) | st.text(
    max_size=12
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)
METADATA = st.dictionaries(TEXT, JSON, max_size=3)
MIMES = st.sampled_from(
    ["text/plain", "text/html", "image/png", "image/svg+xml", "application/javascript",
     "application/json", "application/vnd.custom+json", "text/markdown"]
)  # fmt: skip
BUNDLE = st.dictionaries(MIMES, TEXT | st.lists(TEXT, max_size=3) | JSON, max_size=4)
SOURCE = TEXT | st.lists(TEXT, max_size=3)


def _output() -> st.SearchStrategy[dict[str, Any]]:
    stream = st.fixed_dictionaries(
        {
            "output_type": st.just("stream"),
            "name": st.sampled_from(["stdout", "stderr"]),
            "text": TEXT | st.lists(TEXT, max_size=3),
        }
    )
    rich = st.fixed_dictionaries(
        {
            "output_type": st.sampled_from(["display_data", "execute_result"]),
            "metadata": METADATA,
        },
        optional={"data": BUNDLE, "execution_count": st.none() | st.integers(0, 99)},
    )
    error = st.fixed_dictionaries(
        {
            "output_type": st.just("error"),
            "ename": TEXT,
            "evalue": TEXT,
            "traceback": st.lists(TEXT, max_size=3),
        }
    )
    return stream | rich | error


def _cell_metadata() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={"trusted": st.booleans(), "tags": JSON}).flatmap(
        lambda fixed: METADATA.map(lambda more: {**more, **fixed})
    )


CODE_CELL = st.fixed_dictionaries(
    {
        "cell_type": st.just("code"),
        "id": TEXT,
        "metadata": _cell_metadata(),
        "execution_count": st.none() | st.integers(0, 99),
        "outputs": st.lists(_output(), max_size=3),
    },
    optional={"source": SOURCE},
)
TEXT_CELL = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["markdown", "raw"]), "metadata": _cell_metadata()},
    optional={
        "id": TEXT,
        "source": SOURCE,
        "attachments": st.dictionaries(TEXT, BUNDLE, max_size=2),
    },
)
NOTEBOOK_METADATA = st.fixed_dictionaries(
    {},
    optional={
        "signature": TEXT,
        "orig_nbformat": st.integers(1, 4),
        "orig_nbformat_minor": st.integers(0, 5),
        "kernelspec": JSON,
    },
).flatmap(lambda fixed: METADATA.map(lambda more: {**more, **fixed}))
NOTEBOOK = st.fixed_dictionaries(
    {
        "nbformat": st.just(4),
        "nbformat_minor": st.integers(0, 5),
        "metadata": NOTEBOOK_METADATA,
        "cells": st.lists(CODE_CELL | TEXT_CELL, max_size=5),
    }
)


def _nbformat_text(notebook: dict[str, Any]) -> str:
    """nbformat's JSON writer (what `nbformat.writes` ends in), the reference."""
    node: NotebookNode = from_dict(notebook)  # type: ignore[no-untyped-call]
    return str(nbjson.writes(node))  # type: ignore[no-untyped-call]


@settings(max_examples=200, deadline=None)
@given(NOTEBOOK)
def test_the_text_is_what_nbformat_writes(notebook: dict[str, Any]) -> None:
    assert ipynb_text(notebook) == _nbformat_text(notebook)


@settings(max_examples=50, deadline=None)
@given(NOTEBOOK)
def test_the_notebook_is_left_as_it_was(notebook: dict[str, Any]) -> None:
    before = copy.deepcopy(notebook)
    ipynb_text(notebook)
    assert _same(notebook, before)


def _same(left: object, right: object) -> bool:
    """Equality in which NaN equals NaN (metadata may hold it)."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return left == right


def test_nodes_and_bytes_are_written_as_nbformat_writes_them() -> None:
    cell = {"cell_type": "code", "id": "c", "metadata": {}, "source": "x\ny", "outputs": []}
    node = from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]})  # type: ignore[no-untyped-call]
    assert ipynb_text(node) == _nbformat_text(node)
    raw = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"sig": b"abc"}, "cells": []}
    assert ipynb_text(raw) == _nbformat_text(raw)


def test_what_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"when": object()}, "cells": []}
    with pytest.raises(TypeError, match="not JSON serializable"):
        ipynb_text(notebook)
    with pytest.raises(TypeError, match="not JSON serializable"):
        _nbformat_text(notebook)


def test_keys_that_are_not_strings_are_refused() -> None:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {1: "one"}, "cells": []}
    with pytest.raises(TypeError, match="keys must be strings"):
        ipynb_text(notebook)


def test_the_written_out_format_version_is_nbformats() -> None:
    import nbformat.v4

    written_out = (formats.NBFORMAT, formats.NBFORMAT_MINOR)
    assert written_out == (nbformat.v4.nbformat, nbformat.v4.nbformat_minor)
