"""Takes a note's text (`SourceFile`); gives its `Note` and diagnostics (and, on request,
the markdown-it token stream), cached by content hash.

`syntax/` configures markdown-it-py with one rule per Obsidian syntax; `note` assembles
the `Note` from one walk over the tokens (`walk`), where `frontmatter`, `code_options`,
`timestamp_sections` (which section a timestamp belongs to), `addresses` and
`token_text` each read one part. `cache` keeps results by content hash. Only the names
below are for other stages.
"""

from notebook_runner.parse.cache import ParseResult, load_cache, save_cache, source_key
from notebook_runner.parse.note import parse_note, parse_tokens

__all__ = ["ParseResult", "load_cache", "parse_note", "parse_tokens", "save_cache", "source_key"]
