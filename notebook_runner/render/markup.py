"""A note's token stream to the HTML of its page body.

The parser (`notebook_runner.parse.syntax`) gives every Obsidian construct its own token; the
rule modules give each one its site form: `links` (wiki-links, Markdown links, tags),
`embeds` (transclusions, images, media), `callouts`, `code` (highlighted code with its
`check` result, math) and `timestamps` (time links and players). `SiteRenderer`
combines them and walks the tokens. Lines come from token maps and token meta, never
from the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.render.callouts import CalloutRules
from notebook_runner.render.code import CodeRules
from notebook_runner.render.embeds import EmbedRules
from notebook_runner.render.state import PageState
from notebook_runner.render.timestamps import TimestampRules

_TEXT = frozenset({"text", "code_inline"})


class SiteRenderer(EmbedRules, CalloutRules, CodeRules, TimestampRules):
    """markdown-it's HTML renderer with a rule for each of our token types."""

    def render_page(self, state: PageState, tokens: Sequence[Token]) -> str:
        """The page body from the note's token stream (the parser's, reused)."""
        return self.render(tokens, self.options, {"page": state})

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        """markdown-it's loop, which also tracks the note line, marks the blocks of each
        timestamp's section and collects the page's words for search (the embedded
        note's are not the page's: `embed_stack` is the same for the whole loop)."""
        out: list[str] = []
        page: PageState = env["page"]
        embedded = bool(page.embed_stack)
        sections = {} if embedded else page.sections
        rules = self.rules
        for index, token in enumerate(tokens):
            kind = token.type
            position = token.map
            if position is not None:
                line = page.line = position[0] + 1
                if sections and token.level == 0 and token.nesting >= 0:
                    section = sections.get(line)
                    if section is not None and kind not in ("timestamp", "inline"):
                        token.attrSet("data-section", section)
            if kind == "inline":
                children = token.children or []
                if not embedded:
                    page.text.extend(c.content for c in children if c.type in _TEXT)
                out.append(self.renderInline(children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    def front_matter(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        token = tokens[idx]
        note = self._current_note(page)
        line = token.map[0] + 1 if token.map else 0
        found = next((h.id for h in note.headings if h.line == line), None)
        if found:
            token.attrSet("id", page.id_prefix + found)
        page.phrasing += 1
        return self.renderToken(tokens, idx, options, env)

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        env["page"].phrasing -= 1
        return self.renderToken(tokens, idx, options, env)

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        env["page"].raw_html = True
        return tokens[idx].content

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        env["page"].raw_html = True
        return tokens[idx].content

    def comment_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""

    def comment_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""

    def block_id(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        block = escape(page.id_prefix + "^" + str(tokens[idx].meta["id"]))
        return f'<span class="block-anchor" id="{block}"></span>'
