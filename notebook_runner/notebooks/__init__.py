"""Notes as Jupyter notebooks and notebooks as notes, through jupytext.

`export` turns a parsed note (plus its stored check results) into a notebook in any
jupytext format; `ingest` reads `.ipynb` and paired `py:percent` files as Markdown
notes with a line map back to their cells. `markdown` holds the token-to-Markdown
conversion both rely on, `outputs` the check-result-to-cell-output mapping.
"""
