"""Serving the site while notes change: a local HTTP preview with live reload.

`server` answers HTTP requests from the pages in memory; `live` re-reads, re-parses
and re-renders only what an edit changes (`publish` builds, this keeps it fresh).
"""
