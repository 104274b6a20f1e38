"""Takes a vault folder; gives a local HTTP preview of its site that follows the notes as
they change (live reload), re-rendering only what an edit changes.

`server` answers HTTP requests from the pages in memory; `live` keeps them fresh.
"""
