"""The static site: notes rendered to HTML pages, written atomically (`build`, `serve`).

`site.py` strings the pieces together; `pages.py` renders one note; `emit.py` owns every
write to disk. See `slugs.py` for how note paths become URLs.
"""
