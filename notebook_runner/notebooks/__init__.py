"""Takes a `Note` and its stored results, gives a Jupyter notebook (`export`); takes a
notebook, gives a Markdown note with a line map back to its cells (`ingest`).

Through jupytext: `export` turns a parsed note (plus its stored check results) into a
notebook in any jupytext format; `ingest` reads `.ipynb` and paired `py:percent` files as Markdown
notes with a line map back to their cells. `markdown` holds the token-to-Markdown
conversion both rely on, `outputs` the check-result-to-cell-output mapping.
"""
