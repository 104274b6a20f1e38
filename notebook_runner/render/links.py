"""Links: wiki-links to pages and heading anchors, Markdown links and images to vault
files, `#tags` to their tag pages.

A link the resolver could not resolve is shown as unresolved text, never as a broken
`href`; so is a link to a note that is not published (`publish: false`, `draft: true`),
with an info diagnostic. Which note a wiki-link points at comes from the resolved
`Note.links`, matched by line and the parts written, never by resolving again here.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notebook_runner.model import Diagnostic
from notebook_runner.render.attachments import download_attribute, download_name, site_file
from notebook_runner.render.attributes import safe_url
from notebook_runner.render.slugs import tag_key
from notebook_runner.render.state import PageState, RuleBase, heading_id
from notebook_runner.render.videos import time_link
from notebook_runner.safe_urls import is_safe, is_web_address
from notebook_runner.video import link_at

UNPUBLISHED = ""
"""`_local_target` of a Markdown link to a note that is not published."""
UNPUBLISHED_LINK = "unpublished-link"


class LinkRules(RuleBase):
    def tag(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        page: PageState = env["page"]
        name = str(tokens[idx].meta["name"])
        target = self.index.tag_pages.get(tag_key(name))
        text = escape("#" + name)
        if target is None:
            return f'<span class="tag">{text}</span>'
        return f'<a class="tag" href="{escape(page.url(target))}">{text}</a>'

    def wikilink(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """`[[...]]` as a link; `embeds.EmbedRules` takes over for `![[...]]`."""
        page: PageState = env["page"]
        meta = tokens[idx].meta
        resolved = self._resolved(page, meta)
        text = escape(link_text(meta))
        if resolved is None:
            title = escape(page.ui.format("does_not_exist", target=meta["target"]))
            return f'<span class="internal-link unresolved" title="{title}">{text}</span>'
        if self._unpublished(resolved):
            return self._unpublished_text(page, meta, text)
        if resolved not in self.index.pages:
            page.files_used.add(resolved)
        target = self._target_url(resolved, meta)
        if resolved == page.note.path and not page.embed_stack and "#" in target:
            href = escape(quote("#" + target.partition("#")[2], safe="#-._~"))
        else:
            href = escape(page.url(target))
        return f'<a class="internal-link" href="{href}"{download_attribute(target)}>{text}</a>'

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        page: PageState = env["page"]
        local = self._local_target(page, href)
        if local == UNPUBLISHED:  # an <a> without href: the text, as a placeholder link
            token.attrs.pop("href", None)
            token.attrSet("class", "internal-link unpublished")
            line = int(token.meta.get("line", 0)) if token.meta else 0
            self._report_unpublished(page, line or page.line, href)
        elif local is not None:
            token.attrSet("href", page.url(local))
            if name := download_name(local):
                token.attrSet("download", name)
        elif not is_safe(href):  # markdown-it refuses `javascript:`; this refuses the rest
            token.attrs.pop("href", None)
        elif urlsplit(href).scheme in ("http", "https"):
            token.attrSet("class", "external-link")
            if page.note.timestamps and not page.embed_stack:
                _as_time_link(token, href, page)
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        local = self._local_target(env["page"], src)
        if local:  # not UNPUBLISHED: a note is no image
            token.attrSet("src", env["page"].url(local))
        elif _is_local(src):
            return missing_file(unquote(urlsplit(src).path))
        elif not is_safe(src):  # `data:` images too: the site keeps to one rule
            return escape(self.renderInlineAsText(token.children or [], options, env))
        token.attrSet("loading", "lazy")
        return super().image(tokens, idx, options, env)

    def _resolved(self, page: PageState, meta: Mapping[str, Any]) -> str | None:
        link = self._current_note(page).link_token(meta)
        return link.resolved if link else None

    def _target_url(self, resolved: str, meta: Mapping[str, Any]) -> str:
        if resolved not in self.index.pages:
            return site_file(resolved)
        target = self.index.pages[resolved]
        anchor = heading_id(self.index.summaries[resolved], meta.get("heading"))
        if meta.get("block"):
            anchor = "^" + str(meta["block"])
        return f"{target}#{anchor}" if anchor else target

    def _unpublished(self, resolved: str) -> bool:
        """A note (not an attachment) without a page: `publish: false` or `draft: true`."""
        return resolved in self.index.summaries and resolved not in self.index.pages

    def _unpublished_text(self, page: PageState, meta: Mapping[str, Any], text: str) -> str:
        """A link to a note that is not published is its text: not a broken link, and
        nothing of the note (not even its title) is shown."""
        self._report_unpublished(page, int(meta["line"]), f"[[{meta['target']}]]")
        return f'<span class="internal-link unpublished">{text}</span>'

    def _report_unpublished(self, page: PageState, line: int, written: str) -> None:
        """Told once, by the page of the note holding the link (not by pages that
        transclude that note)."""
        if page.embed_stack:
            return
        message = f"link to unpublished note {written} shown as plain text"
        hint = "the note has publish: false or draft: true"
        page.diagnostics.append(
            Diagnostic(page.note.path, line, "info", UNPUBLISHED_LINK, message, hint)
        )

    def _local_target(self, page: PageState, url: str) -> str | None:
        """Site path for a Markdown link/image to a vault file (`[x](Other.md)`);
        `UNPUBLISHED` for a note without a page."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        note = self._current_note(page)
        path = unquote(parts.path)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(note.path), path))
        for candidate in (joined, path.lstrip("/")):
            if candidate in self.index.pages:
                target = self.index.pages[candidate]
                return f"{target}#{parts.fragment}" if parts.fragment else target
            if candidate in self.index.summaries:
                return UNPUBLISHED
            if candidate in self.index.attachments:
                page.files_used.add(candidate)
                return site_file(candidate)
        return None


def _as_time_link(token: Token, href: str, page: PageState) -> None:
    """`[0:09](https://youtu.be/ID?t=9)`, read as a timestamp by the parser: a link that
    seeks the note's player when it plays that video, its href the moment written as
    the video's site writes it (a glued `youtu.be/ID&t=5` repaired), and the anchor the
    outline points at."""
    number = page.time_link_number(int((token.meta or {}).get("line", 0)), href)
    if number is None:
        return
    stamp = page.note.timestamps[number - 1]
    player = page.player_for(stamp.video)
    moment = time_link(player, stamp.seconds, page.url) if player else link_at(href, stamp.seconds)
    if safe_url(moment) is None:
        return
    token.attrSet("href", moment)
    token.attrSet("id", f"ts-{number}")
    if player is not None:
        token.attrSet("class", "timestamp-link")
        token.attrSet("data-player", player.element_id)
        token.attrSet("data-seconds", str(stamp.seconds))


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc) and bool(parts.path)


def missing_file(target: str) -> str:
    """An embedded file that is not in the vault: a visible box naming it, where a
    broken image would show nothing (or an icon) and leave the reader guessing."""
    name = escape(target.rstrip("/").rpartition("/")[2] or target)
    title = escape(f"“{target}” is not in the vault")
    return f'<span class="embed embed-missing" title="{title}">missing: {name}</span>'


def link_text(meta: Mapping[str, Any]) -> str:
    """What Obsidian shows: the alias, else `Note > Heading`, else the target."""
    if meta.get("alias"):
        return str(meta["alias"])
    parts = [str(meta["target"])] if meta["target"] else []
    if meta.get("heading"):
        parts.extend(str(meta["heading"]).split("#"))
    if meta.get("block"):
        parts.append("^" + str(meta["block"]))
    return " > ".join(part for part in parts if part)


def external_link(url: str, text: str) -> str:
    """A link only for web addresses; anything else (`javascript:`...) stays text."""
    if not is_web_address(url):
        return escape(text)
    return f'<a class="external-link" href="{escape(url)}">{escape(text)}</a>'
