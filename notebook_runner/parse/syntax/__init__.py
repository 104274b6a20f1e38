"""The parse stage's rules: the Obsidian dialect of Markdown as one configured
markdown-it-py parser (`build_markdown`), one module per Obsidian syntax.

CommonMark plus GitHub's extensions (tables, strikethrough, bare-URL autolinks, task
lists, footnotes) and `$`/`$$` math and YAML front matter, all from mdit-py-plugins'
`gfm_plugin`, plus one rule per Obsidian syntax, each in its own module of this package.
GitHub alerts are turned off: the callout rule reads the same `> [!NOTE]` and more;
`$$` display math may end a paragraph, as in Obsidian (`display_math`).

Five more plugins change speed and never tokens (each tested against the parser
without it): `autolink_stops` (plain text stops at `www.`, not at every `w`),
`block_starts` (block rules tried only at lines their block can start with),
`inline_starts` (inline rules tried only at characters they can start at),
`line_endings` (line endings normalised without a regex) and `link_cache` (each link
address normalised once).
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.gfm import gfm_plugin

from notebook_runner.parse.syntax.autolink_stops import autolink_stops_plugin
from notebook_runner.parse.syntax.block_ids import block_ids_plugin
from notebook_runner.parse.syntax.block_starts import block_starts_plugin
from notebook_runner.parse.syntax.callouts import callouts_plugin
from notebook_runner.parse.syntax.comments import comments_plugin
from notebook_runner.parse.syntax.display_math import display_math_plugin
from notebook_runner.parse.syntax.highlights import highlights_plugin
from notebook_runner.parse.syntax.inline_starts import inline_starts_plugin
from notebook_runner.parse.syntax.line_endings import line_endings_plugin
from notebook_runner.parse.syntax.link_cache import link_cache_plugin
from notebook_runner.parse.syntax.links import link_lines_plugin
from notebook_runner.parse.syntax.tags import tags_plugin
from notebook_runner.parse.syntax.timestamps import timestamps_plugin
from notebook_runner.parse.syntax.wikilinks import wikilinks_plugin

__all__ = ["build_markdown"]


@cache
def build_markdown() -> MarkdownIt:
    """The one shared parser. Cached because building it costs more than parsing a note;
    it holds no per-document state, so sharing it is safe."""
    md = MarkdownIt("commonmark")
    md.use(gfm_plugin, dollarmath=True, front_matter=True)
    for plugin in (
        display_math_plugin,
        comments_plugin,
        callouts_plugin,
        timestamps_plugin,
        wikilinks_plugin,
        highlights_plugin,
        tags_plugin,
        block_ids_plugin,
        link_lines_plugin,
        autolink_stops_plugin,
        block_starts_plugin,
        link_cache_plugin,
        inline_starts_plugin,
        line_endings_plugin,
    ):
        md.use(plugin)
    return md
