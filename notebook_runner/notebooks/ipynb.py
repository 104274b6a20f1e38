"""The `.ipynb` text of a notebook, byte for byte what `nbformat.writes` gives, faster.

nbformat deep-copies the notebook, splits its multi-line strings into lists of lines
and hands it to `json.dumps` with `indent=1`, which makes Python fall back from its C
encoder to the pure-Python one: together about half of a site build's notebook cost.
Here nothing is copied: the text is written in one pass, in the layout `json.dumps`
gives, with every string through the C string encoder, and the fields nbformat splits
(cell sources, stream text, text types of output data and attachments) are split as
they are written. What nbformat strips as transient (`signature`, `orig_nbformat*`,
cells' `trusted`) is skipped, so that the bytes agree for any v4 notebook, not only ours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from typing import Any

__all__ = ["ipynb_text"]

_Out = list[str]
_Writer = Callable[[Any, str, _Out], None]
"""Writes a value nested `newline` deep (a line break and the indentation) to the parts."""

_string: Callable[[str], str] = encode_basestring
_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})
_KEYS = {
    key: _string(key) + ": "
    for key in (
        "cell_type", "cells", "data", "display_name", "ename", "evalue", "execution_count",
        "id", "kernelspec", "language", "language_info", "metadata", "name", "nbformat",
        "nbformat_minor", "output_type", "outputs", "source", "tags", "text", "traceback",
    )
}  # fmt: skip
"""The keys every notebook repeats, encoded once."""


def ipynb_text(notebook: Mapping[str, Any]) -> str:
    """`nbformat.writes(notebook)` (nbformat 4, JSON with `indent=1` and sorted keys);
    the notebook itself is left unchanged."""
    out: _Out = []
    _object(notebook, "\n", out, _NOTEBOOK_FIELDS)
    return "".join(out)


def _value(value: Any, newline: str, out: _Out) -> None:
    """`value` as `json.dumps(..., indent=1, sort_keys=True, ensure_ascii=False)`
    writes it."""
    if isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict):
        _object(value, newline, out, {})
    elif isinstance(value, list | tuple):
        _array(value, newline, out)
    else:
        out.append(_scalar(value))


def _object(
    mapping: Mapping[str, Any], newline: str, out: _Out, fields: Mapping[str, _Writer]
) -> None:
    """A JSON object; the values of `fields` are written by their own writers."""
    if not mapping:
        out.append("{}")
        return
    inner = newline + " "
    separator = "{" + inner
    for key in sorted(mapping):
        if not isinstance(key, str):
            raise TypeError(f"notebook keys must be strings, not {type(key).__name__}")
        out.append(separator)
        out.append(_KEYS.get(key) or _string(key) + ": ")
        value = mapping[key]
        write = fields.get(key)
        if write is not None:
            write(value, inner, out)
        elif type(value) is str:
            out.append(_string(value))
        else:
            _value(value, inner, out)
        separator = "," + inner
    out.append(newline + "}")


def _array(values: list[Any] | tuple[Any, ...], newline: str, out: _Out) -> None:
    if not values:
        out.append("[]")
        return
    inner = newline + " "
    try:  # most arrays hold only strings (lines), which the C encoder takes in one go
        out.append("[" + inner + ("," + inner).join(map(_string, values)) + newline + "]")
        return
    except TypeError:
        pass
    separator = "[" + inner
    for value in values:
        out.append(separator)
        _value(value, inner, out)
        separator = "," + inner
    out.append(newline + "]")


def _scalar(value: object) -> str:
    """Numbers, booleans and null as the JSON encoder writes them; bytes as their
    ASCII text, as nbformat's encoder does."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, bytes):
        return _string(value.decode("ascii"))
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


# -- what nbformat's `split_lines` and `strip_transient` change ----------------------


def _lines(value: Any, newline: str, out: _Out) -> None:
    """Multi-line text as its lines (line ends kept), as nbformat stores it."""
    if isinstance(value, str):
        _array(value.splitlines(True), newline, out)
    else:
        _value(value, newline, out)


def _without(transient: frozenset[str]) -> _Writer:
    def write(metadata: Any, newline: str, out: _Out) -> None:
        if metadata == {}:  # most cells'
            out.append("{}")
            return
        if isinstance(metadata, dict) and not transient.isdisjoint(metadata):
            metadata = {key: value for key, value in metadata.items() if key not in transient}
        _value(metadata, newline, out)

    return write


def _bundle(bundle: Any, newline: str, out: _Out) -> None:
    """A mimebundle: text types (and SVG, JavaScript) as lines; others (base64 images,
    JSON) whole."""
    if not isinstance(bundle, dict):
        _value(bundle, newline, out)
        return
    fields = {mime: _lines for mime in bundle if mime.startswith("text/") or mime in _SPLIT_MIMES}
    _object(bundle, newline, out, fields)


def _attachments(attachments: Any, newline: str, out: _Out) -> None:
    if not isinstance(attachments, dict):
        _value(attachments, newline, out)
        return
    _object(attachments, newline, out, dict.fromkeys(attachments, _bundle))


def _outputs(outputs: Any, newline: str, out: _Out) -> None:
    _objects(outputs, newline, out, lambda output: _OUTPUT_FIELDS.get(output["output_type"], {}))


def _cells(cells: Any, newline: str, out: _Out) -> None:
    _objects(cells, newline, out, _cell_fields)


def _cell_fields(cell: Mapping[str, Any]) -> Mapping[str, _Writer]:
    return _CODE_CELL_FIELDS if cell["cell_type"] == "code" else _CELL_FIELDS


def _objects(
    items: Any,
    newline: str,
    out: _Out,
    fields_of: Callable[[Mapping[str, Any]], Mapping[str, _Writer]],
) -> None:
    """A list of cells or outputs, each written with the fields its kind has."""
    if not isinstance(items, list | tuple) or not items:
        _value(items, newline, out)
        return
    inner = newline + " "
    separator = "[" + inner
    for item in items:
        out.append(separator)
        _object(item, inner, out, fields_of(item))
        separator = "," + inner
    out.append(newline + "]")


_NOTEBOOK_FIELDS: dict[str, _Writer] = {
    "metadata": _without(frozenset({"orig_nbformat", "orig_nbformat_minor", "signature"})),
    "cells": _cells,
}
_CELL_FIELDS: dict[str, _Writer] = {
    "metadata": _without(frozenset({"trusted"})),
    "source": _lines,
    "attachments": _attachments,
}
_CODE_CELL_FIELDS: dict[str, _Writer] = {**_CELL_FIELDS, "outputs": _outputs}
_OUTPUT_FIELDS: dict[str, dict[str, _Writer]] = {
    "stream": {"text": _lines},
    "execute_result": {"data": _bundle},
    "display_data": {"data": _bundle},
}
