"""The single walk over a note's markdown-it token stream, collecting what makes its `Note`.

Apart from the entry points (`parse`, whose docstring holds the decisions and the
diagnostic codes) because this is the part that grows with every new syntax: one
handler per block token type that carries something, the inline children read in one
loop. It runs for every token of every note, so tokens that carry nothing are skipped
before any call, and handlers are bound methods called directly, without wrappers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it.token import Token

from notebook_runner.model import (
    PYTHON_LANGS,
    BlockId,
    Callout,
    CodeBlock,
    Diagnostic,
    ExternalLink,
    Heading,
    Highlight,
    Severity,
    Tag,
    VideoRef,
    WikiLink,
)
from notebook_runner.parse.addresses import (
    is_image_address,
    local_embed_target,
    split_markdown_link,
    video_address_problem,
)
from notebook_runner.parse.code_options import read_code_options
from notebook_runner.parse.frontmatter import Frontmatter, is_url, parse_frontmatter
from notebook_runner.parse.timestamp_sections import PendingTimestamp
from notebook_runner.parse.token_text import plain_text, until_close
from notebook_runner.timecode import parse_timecode

VIDEO_KEYS = ("video", "url", "source", "media_link")

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SLUG_DROP = re.compile(r"[^\w\- ]")


def slugify(text: str) -> str:
    """GitHub-style heading id: lower case, punctuation dropped, spaces to hyphens. It
    never holds an upper-case ASCII letter, which every id the site makes up holds
    (`render.state` names them), so the two never meet."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


@dataclass
class NoteWalker:
    path: str
    tokens: list[Token]
    problems: list[Diagnostic] = field(default_factory=list)
    frontmatter: Frontmatter = field(default_factory=Frontmatter)
    frontmatter_videos: list[VideoRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    heading_at: dict[int, Heading] = field(default_factory=dict)
    links: list[WikiLink] = field(default_factory=list)
    external_links: list[ExternalLink] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    block_videos: list[VideoRef] = field(default_factory=list)
    stamps: list[PendingTimestamp] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    block_ids: list[BlockId] = field(default_factory=list)
    inline_tags: list[Tag] = field(default_factory=list)
    block_line: int = 1
    current_video: str | None = None
    saw_url_block: bool = False
    video_urls: set[str] = field(default_factory=set)
    slugs: dict[str, int] = field(default_factory=dict)

    def check_note_shape(self) -> None:
        """Frontmatter that swallows or hides the whole note: worth a word to the user."""
        first = self.tokens[0] if self.tokens else None
        if first is None:
            return
        if first.type == "front_matter" and len(self.tokens) == 1:
            message = "note has only frontmatter and no content"
            self._problem(1, "info", "frontmatter-only", message)
        elif first.type == "hr" and first.markup.startswith("-") and first.map == [0, 1]:
            message = "frontmatter is never closed, so it is shown as text"
            self._problem(1, "warning", "unclosed-frontmatter", message, "add a closing --- line")

    def walk(self) -> None:
        """Visit the block tokens that carry something, in order. Most tokens (paragraph,
        list and table markers) carry nothing, so they are skipped in one comprehension
        rather than visited one by one: this runs for every token of every note."""
        handlers = self._handlers()
        wanted = [index for index, token in enumerate(self.tokens) if token.type in handlers]
        for index in wanted:
            token = self.tokens[index]
            self.block_line = token.map[0] + 1 if token.map else self._line_before(index)
            handlers[token.type](index, token)

    def _line_before(self, index: int) -> int:
        """The line of a token the parser gave no map: that of the closest one before it."""
        for before in range(index - 1, -1, -1):
            position = self.tokens[before].map
            if position is not None:
                return position[0] + 1
        return 1

    def _handlers(self) -> dict[str, Callable[[int, Token], None]]:
        return {
            "inline": self._inline,
            "front_matter": self._front_matter,
            "heading_open": self._heading,
            "fence": self._fence,
            "timestamp_url": self._timestamp_url,
            "timestamp": self._timestamp,
            "callout_open": self._callout,
            "comment_block": self._comment_block,
        }

    def _callout(self, index: int, token: Token) -> None:
        self.callouts.append(Callout(**token.meta))

    def _comment_block(self, index: int, token: Token) -> None:
        if not token.meta["closed"]:
            message = "comment `%%` is never closed, so it hides the rest of the note"
            self._problem(token.meta["line"], "warning", "unclosed-comment", message)

    def _front_matter(self, index: int, token: Token) -> None:
        self.frontmatter, problems = parse_frontmatter(
            token.content, self.path, self.block_line + 1
        )
        self.problems.extend(problems)
        self.frontmatter_videos = [
            VideoRef(str(value).strip(), self.frontmatter.key_lines[key])
            for key, value in self.frontmatter.data.items()
            if key.lower() in VIDEO_KEYS and is_url(value)
        ]

    def _heading(self, index: int, token: Token) -> None:
        text = self.tokens[index + 1].content
        heading = Heading(int(token.tag[1:]), text, self.block_line, self._unique_slug(text))
        self.headings.append(heading)
        self.heading_at[index] = heading

    def _unique_slug(self, text: str) -> str:
        """GitHub's rule: a repeated slug gets `-1`, `-2`, ..., skipping any taken by
        another heading (`A`, `A`, `A 1` are `a`, `a-1`, `a-1-1`), so no two headings
        share an id."""
        base = slugify(text) or "section"
        slug = base
        while slug in self.slugs:
            self.slugs[base] += 1
            slug = f"{base}-{self.slugs[base]}"
        self.slugs[slug] = 0
        return slug

    # -- inline content -------------------------------------------------------------

    def _inline(self, _: int, token: Token) -> None:
        children = token.children or []
        for index, child in enumerate(children):
            kind = child.type
            if kind == "text":
                continue
            if kind == "wikilink":
                self.links.append(WikiLink(**child.meta))
            elif kind == "tag":
                self.inline_tags.append(Tag(child.meta["name"], child.meta["line"]))
            elif kind == "block_id":
                self.block_ids.append(BlockId(child.meta["id"], child.meta["line"]))
            elif kind == "mark_open":
                text = plain_text(until_close(children, index, "mark_close"))
                self.highlights.append(Highlight(text, child.meta["line"]))
            elif kind == "link_open":
                self._link(child, plain_text(until_close(children, index, "link_close")))
            elif kind == "image":
                self._image(child)

    def _link(self, token: Token, text: str) -> None:
        href = str(token.attrGet("href") or "")
        line = int(token.meta.get("line", self.block_line))
        if _SCHEME.match(href):
            self.external_links.append(ExternalLink(href, text, line))
        elif href:
            self.links.append(_internal_link(href, text or None, embed=False, line=line))

    def _image(self, token: Token) -> None:
        src = str(token.attrGet("src") or "")
        line = int(token.meta.get("line", self.block_line))
        if src and not _SCHEME.match(src):
            self.links.append(_internal_link(src, None, embed=True, line=line))
        elif is_url(src) and not is_image_address(src):
            self._embedded_video(src, plain_text(token.children or []) or None, line)

    def _embedded_video(self, url: str, title: str | None, line: int) -> None:
        """`![title](https://youtu.be/ID)` is how Obsidian embeds a player: the video of
        the timestamps below it, just like a `timestamp-url` block."""
        self.current_video = url
        self.saw_url_block = True
        self._add_video(VideoRef(url, line, title))

    # -- fences ---------------------------------------------------------------------

    def _fence(self, index: int, token: Token) -> None:
        self._check_closed(token)
        start = self.block_line
        end = token.map[1] if token.map else start
        words = token.info.split()
        lang = words[0] if words else ""
        options = self._code_options(lang, words[1:], start)
        code_line = min(start + 1, end)  # an empty fence on the last line has no code line
        self.code_blocks.append(CodeBlock(lang, start, end, token.content, code_line, options))

    def _check_closed(self, token: Token) -> None:
        """A closed fence spans its content lines plus its two fence lines."""
        if token.map is None:
            return
        start, end = token.map
        if end - start >= token.content.count("\n") + 2:
            return
        message = (
            f"code fence is never closed before its block quote or list ends (line {end})"
            if token.level
            else f"code fence is never closed, so it runs to line {end}"
        )
        hint = f"add a closing {token.markup} line"
        self._problem(start + 1, "warning", "unclosed-fence", message, hint)

    def _code_options(self, lang: str, words: list[str], line: int) -> dict[str, str]:
        if lang.lower() not in PYTHON_LANGS:
            return {}
        options, problems = read_code_options(words)
        for problem in problems:
            self._problem(line, "warning", *problem)
        return options

    # -- timestamps -----------------------------------------------------------------

    def _timestamp_url(self, index: int, token: Token) -> None:
        self._check_closed(token)
        self.saw_url_block = True
        text, line = token.meta["text"], token.meta["line"]
        url, title = split_markdown_link(text)
        url = local_embed_target(url)
        problem = video_address_problem(text, url)
        if problem is not None:
            self.current_video = None
            self._problem(line, "error", "timestamp-bad-url", *problem)
            return
        self.current_video = url
        self._add_video(VideoRef(url, line, title))

    def _add_video(self, video: VideoRef) -> None:
        """Each URL once (a set: a note may hold thousands of `timestamp-url` blocks)."""
        if video.url not in self.video_urls:
            self.video_urls.add(video.url)
            self.block_videos.append(video)

    def _timestamp(self, index: int, token: Token) -> None:
        self._check_closed(token)
        text, line = token.meta["text"], token.meta["line"]
        if not text:
            advice = "write the time as mm:ss, e.g. 12:34, or remove the block"
            self._problem(line, "error", "timestamp-empty", "timestamp block is empty", advice)
            return
        if token.meta["extra_lines"]:
            message = "timestamp block holds more than one line; only the first is used"
            self._problem(line, "warning", "timestamp-extra-lines", message)
        reading = parse_timecode(text)
        if reading.seconds is None:
            hint = f"did you mean {reading.suggestion}?" if reading.suggestion else None
            self._problem(line, "error", "timestamp-bad-time", str(reading.error), hint)
            return
        if reading.warning:
            fix = f"write {reading.suggestion}" if reading.suggestion else None
            self._problem(line, "warning", "timestamp-fixed-time", reading.warning, fix)
        video = self.current_video or self._frontmatter_video()
        if video is None and not self.saw_url_block:
            message = "timestamp has no video: no timestamp-url block above it"
            hint = "add a timestamp-url block above it, or a `video:` URL in the frontmatter"
            self._problem(line, "warning", "timestamp-no-video", message, hint)
        self.stamps.append(
            PendingTimestamp(index, text, reading.seconds, line, self.block_line, video)
        )

    def _frontmatter_video(self) -> str | None:
        return self.frontmatter_videos[0].url if self.frontmatter_videos else None

    def _problem(
        self, line: int, severity: Severity, code: str, message: str, hint: str | None = None
    ) -> None:
        self.problems.append(Diagnostic(self.path, line, severity, code, message, hint))


def _internal_link(href: str, text: str | None, embed: bool, line: int) -> WikiLink:
    path, _, fragment = href.partition("#")
    fragment = unquote(fragment).strip()
    block = fragment[1:] if fragment.startswith("^") else None
    heading = fragment if fragment and block is None else None
    return WikiLink(unquote(path).strip(), heading, block, text, embed, line, markdown=True)
