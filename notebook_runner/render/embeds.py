"""Embeds: `![[Note]]` / `![[Note#Heading]]` transcluded, and vault files shown in place.

A transclusion is a block, so it only happens outside paragraphs and headings (a
paragraph holding nothing but note embeds is dropped around them); inside running text
a note embed is a link. Transclusion is cycle-safe and depth-limited, and ids inside an
embedded note get a prefix so they stay unique on the page. Images take Obsidian's
`|W` / `|WxH` size; video and audio files get native players.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.model import Note
from notebook_runner.parse.syntax.wikilinks import image_size_attributes
from notebook_runner.render.attachments import download_attribute, site_file
from notebook_runner.render.links import LinkRules, external_link, link_text, missing_file
from notebook_runner.render.state import PageState, heading_key
from notebook_runner.render.timestamps import chapters_track, player_html
from notebook_runner.render.videos import VIDEO_SUFFIXES, Player
from notebook_runner.resolve.names import looks_like_attachment
from notebook_runner.video import recognise

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")
AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".ogg", ".flac", ".opus")
MAX_EMBED_DEPTH = 4
_SPACING = frozenset({"softbreak", "hardbreak"})
_PLAYABLE = frozenset({"youtube", "vimeo", "file"})
"""Players a video embed becomes; any other web page it names stays a link."""


class EmbedRules(LinkRules):
    def wikilink(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        meta = tokens[idx].meta
        if not meta["embed"]:
            return super().wikilink(tokens, idx, options, env)
        page: PageState = env["page"]
        return self._embed(page, meta, self._resolved(page, meta))

    def paragraph_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A paragraph holding only note embeds is dropped: transclusions are blocks."""
        token = tokens[idx]
        if not token.hidden and self._only_note_embeds(env["page"], tokens[idx + 1]):
            token.hidden = tokens[idx + 2].hidden = True
        if not token.hidden:
            env["page"].phrasing += 1
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """`![title](https://youtu.be/ID)` is Obsidian's video embed: the note's player
        where the embed stands alone in its paragraph, else (in running text, or its
        player shown already) a link titled as written."""
        page: PageState = env["page"]
        token = tokens[idx]
        player = self._embedded_player(page, token)
        if player is None:
            return super().image(tokens, idx, options, env)
        if page.phrasing == 0 and player.url not in page.placed_players:
            page.placed_players.add(player.url)
            return player_html(player, page)
        title = self.renderInlineAsText(token.children or [], options, env) or player.url
        return external_link(player.url, title)

    def _embedded_player(self, page: PageState, token: Token) -> Player | None:
        if page.embed_stack:
            return None
        player = page.players.get(str(token.attrGet("src") or ""))
        return player if player is not None and player.kind in _PLAYABLE else None

    def paragraph_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if not tokens[idx].hidden:
            env["page"].phrasing -= 1
        return self.renderToken(tokens, idx, options, env)

    def _only_note_embeds(self, page: PageState, inline: Token) -> bool:
        """Whether the paragraph holds only note embeds and video embeds (blocks, both).
        Looks no further than the first child that is not one of them or spacing: most
        paragraphs start with text."""
        found = False
        for child in inline.children or ():
            kind = child.type
            if kind == "image":
                player = self._embedded_player(page, child)
                if player is None or player.url in page.placed_players:
                    return False
                found = True
            elif kind == "wikilink":
                meta = child.meta
                if not meta["embed"] or self._resolved(page, meta) not in self.index.pages:
                    return False
                found = True
            elif kind == "text":
                if child.content.strip():
                    return False
            elif kind not in _SPACING:
                return False
        return found

    def _embed(self, page: PageState, meta: Mapping[str, Any], resolved: str | None) -> str:
        target = str(meta["target"])
        if resolved is None and looks_like_attachment(target):
            return missing_file(target)
        if resolved is None:
            title = escape(page.ui.format("does_not_exist", target=target))
            return f'<span class="embed unresolved" title="{title}">{escape(target)}</span>'
        if self._unpublished(resolved):  # never transcluded: its text is not published
            return self._unpublished_text(page, meta, escape(link_text(meta)))
        if resolved in self.index.pages and page.phrasing == 0:
            return self._transclude(page, meta, resolved)
        if resolved in self.index.pages:
            href = escape(page.url(self._target_url(resolved, meta)))
            text = escape(link_text(meta))
            return f'<a class="internal-link embed-link" href="{href}">{text}</a>'
        page.files_used.add(resolved)
        return self._file_embed(page, meta, resolved)

    def _file_embed(self, page: PageState, meta: Mapping[str, Any], resolved: str) -> str:
        target = site_file(resolved)
        src = escape(page.url(target))
        name = escape(resolved.rpartition("/")[2])
        lower = resolved.lower()
        if lower.endswith(IMAGE_SUFFIXES):
            size = image_size_attributes(meta.get("alias"))
            alt = escape(str(meta.get("alias") or name)) if not size else name
            return f'<img class="embed" src="{src}" alt="{alt}"{size} loading="lazy">'
        if lower.endswith(VIDEO_SUFFIXES):
            player = page.players.get(resolved)
            element_id = track = ""
            if player is not None and player.url not in page.placed_players:
                page.placed_players.add(player.url)
                element_id = f' id="{escape(player.element_id)}"'
                track = chapters_track(player, page, self.index.videos.get(recognise(resolved).key))
            return (
                f'<video class="embed"{element_id} src="{src}" controls preload="metadata">'
                f"{track}</video>"
            )
        if lower.endswith(AUDIO_SUFFIXES):
            return f'<audio class="embed" src="{src}" controls preload="metadata"></audio>'
        return f'<a class="embed-file" href="{src}"{download_attribute(target)}>{name}</a>'

    def _transclude(self, page: PageState, meta: Mapping[str, Any], resolved: str) -> str:
        note = self.index.notes[resolved]
        href = escape(page.url(self._target_url(resolved, meta)))
        title = escape(link_text(meta))
        link = f'<a class="internal-link" href="{href}">{title}</a>'
        if resolved == page.note.path or resolved in page.embed_stack:
            return f'<span class="embed embed-cycle">{link}</span>'
        if len(page.embed_stack) >= MAX_EMBED_DEPTH:
            return f'<span class="embed embed-deep">{link}</span>'
        tokens = self.md.parse(self.index.sources.get(resolved, ""), {})
        tokens = _section(tokens, note, meta.get("heading"))
        saved_prefix, saved_line = page.id_prefix, page.line
        page.embed_stack.append(resolved)
        page.id_prefix = f"{saved_prefix}e{len(page.embed_stack)}-"
        try:
            body = self.render(tokens, self.options, {"page": page})
        finally:
            page.embed_stack.pop()
            page.id_prefix, page.line = saved_prefix, saved_line
        return (
            f'<div class="embed embed-note"><div class="embed-title">{link}</div>\n'
            f'<div class="embed-body">\n{body}</div></div>\n'
        )


def _section(tokens: list[Token], note: Note, heading: object) -> list[Token]:
    """The tokens of `![[Note#Heading]]`: that heading up to the next of its level."""
    if not isinstance(heading, str) or not heading:
        return tokens
    key = heading_key(heading.split("#")[-1])
    found = next((h for h in note.headings if heading_key(h.text) == key), None)
    if found is None:
        return tokens
    start = next(
        (
            i
            for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.map and t.map[0] + 1 == found.line
        ),
        None,
    )
    if start is None:
        return tokens
    end = len(tokens)
    for index in range(start + 3, len(tokens)):
        token = tokens[index]
        if (
            token.type == "heading_open"
            and token.level == tokens[start].level
            and int(token.tag[1]) <= found.level
        ):
            end = index
            break
    while end > start and tokens[end - 1].type == "timestamp":
        end -= 1  # a timestamp just before the next heading introduces that section
    return tokens[start:end]
