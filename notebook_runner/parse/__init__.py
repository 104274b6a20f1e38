"""The parse stage: a note's text (`SourceFile`) -> a `Note` and its diagnostics.

`syntax/` configures markdown-it-py with one rule per Obsidian syntax; `note` walks the
tokens (`walk`) and assembles the `Note`: `frontmatter`, `code_options`,
`timestamp_sections`, `addresses` and `token_text` each read one part of it. `cache`
keeps results by content hash. Only the entry points below are meant for other stages.
"""

from notebook_runner.parse.cache import ParseResult, load_cache, save_cache, source_key
from notebook_runner.parse.note import parse_note, parse_tokens

__all__ = ["ParseResult", "load_cache", "parse_note", "parse_tokens", "save_cache", "source_key"]
