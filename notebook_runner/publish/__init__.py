"""Takes a vault folder; gives the whole site written atomically: notes read, parsed,
resolved and rendered by worker processes, plus the listings, search and assets.

`vault_site` runs a build (`workers` each handle a share of the notes, `at_hand` parses
the notes they embed); `site` assembles pages in memory; `listings` makes the index,
tag and 404 pages; `emit` owns every write to disk.
"""
