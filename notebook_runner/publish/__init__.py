"""The whole site: a vault's notes (read, parsed and resolved in worker processes) ->
every page, the listings, search and assets, written atomically into the output folder.

`vault_site` runs a build (`workers` each render a share of the notes, `at_hand` parses
the notes they embed); `site` assembles pages in memory; `listings` makes the index,
tag and 404 pages; `emit` owns every write to disk.
"""
