"""Block tokens back to Markdown pieces: containers put their markers in front of their
lines, Python fences come out as `CodeBlock`s, Obsidian blocks get CommonMark forms.

The stream is read once, front to back, as markdown-it's own renderer reads it: an
opening token starts a frame that collects what its blocks write, and its closing
token finishes the frame (prefixing the lines, joining the blocks) into its parent.
Walking the nesting recursively instead visited a token once per enclosing container.
A list's blocks are joined only when the list closes, since whether it is tight (its
items' blocks joined by one line break, not two) is known only then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from markdown_it.token import Token

from notebook_runner.model import PYTHON_LANGS, Note, Timestamp
from notebook_runner.notebooks.markdown_inline import InlineWriter, LinkTargets
from notebook_runner.notebooks.markdown_text import (
    CellBreak,
    Piece,
    destination,
    escape_literal,
    fenced,
    has_scheme,
    prefixed,
    table_row,
)
from notebook_runner.safe_urls import is_safe
from notebook_runner.video import VideoSource, link_at, timestamp_video

__all__ = ["BlockWriter"]

_ALIGN = {"text-align:left": ":--", "text-align:right": "--:", "text-align:center": ":-:"}
_NOT_CONTENT = frozenset({"front_matter", "comment_block"})
"""Blocks that show nothing, so a heading after them still starts a cell."""
_LISTS = frozenset({"bullet_list_open", "ordered_list_open"})
_BLOCK_SEP = "\n\n"
_ROOT = Token("root", "", 0)
"""Stands for the note itself, the frame all others are in."""


@dataclass(slots=True)
class _Frame:
    """An open container: what its blocks wrote so far, each block's pieces apart."""

    token: Token
    index: int
    blocks: list[list[Piece]] = field(default_factory=list)
    items: list[_Frame] = field(default_factory=list)
    """A list's items, finished when the list closes."""
    loose: bool = False
    """A list one of whose items holds a paragraph markdown-it does not hide."""
    title: str = ""
    """A callout's title (from the title block that opens it)."""


class BlockWriter:
    """Writes the block tokens of one note's stream, once (`top_level`)."""

    def __init__(
        self, note: Note, targets: LinkTargets, tokens: Sequence[Token], line_breaks: bool
    ) -> None:
        self.note = note
        self.tokens = tokens
        self.inline = InlineWriter(note, targets, line_breaks).inline
        self._code_by_line = {block.line: block for block in note.code_blocks}
        self._stamps = {stamp.line: stamp for stamp in note.timestamps}
        self._videos = {video.line: video for video in note.videos}
        self._sources: dict[str | None, VideoSource | None] = {}
        self._stack = [_Frame(_ROOT, -1)]
        """The containers open at the token being written, innermost last."""

    def top_level(self) -> list[Piece]:
        """The whole stream, with a cell break before each top-level heading (not one
        that follows a timestamp, whose section the heading titles)."""
        tokens = self.tokens
        stack = self._stack
        root = stack[0]
        previous = ""
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if len(stack) == 1:
                if kind == "heading_open" and previous != "timestamp":
                    root.blocks.append([CellBreak()])
                if kind not in _NOT_CONTENT:
                    previous = kind
            written: list[Piece] | None = None
            leaf = _LEAVES.get(kind)
            if leaf is not None:
                written = leaf(self, index)
                if token.nesting == 1:
                    index = self._close_of(index)
            elif kind == "callout_title_open" and self._opens_callout(index):
                stack[-1].title = self.inline(tokens[index + 1])
                index = self._close_of(index)
            elif token.nesting == 1:
                stack.append(_Frame(token, index))
            elif token.nesting == -1 and len(stack) > 1:
                written = self._finish()
            else:
                written = [token.content.rstrip("\n")] if token.content else []
            if written is not None:
                stack[-1].blocks.append(written)
            index += 1
        return _joined(root.blocks, _BLOCK_SEP)

    def _opens_callout(self, index: int) -> bool:
        """Whether the title at `index` is the first block of a callout."""
        frame = self._stack[-1]
        return frame.index == index - 1 and frame.token.type == "callout_open"

    def _close_of(self, index: int) -> int:
        """The closing token of the block opened at `index`."""
        tokens = self.tokens
        if index + 2 < len(tokens):  # paragraphs and headings: open, inline, close
            inside, after = tokens[index + 1], tokens[index + 2]
            if inside.nesting == 0 and after.nesting == -1:
                return index + 2
        depth = 0
        for position in range(index, len(tokens)):
            depth += tokens[position].nesting
            if depth == 0:
                return position
        return len(tokens) - 1

    def _finish(self) -> list[Piece] | None:
        """Close the innermost frame; what it writes into its parent (None for a list
        item, which its list writes when it closes)."""
        stack = self._stack
        frame = stack.pop()
        kind = frame.token.type
        parent = stack[-1].token.type
        if kind == "list_item_open" and parent in _LISTS:
            stack[-1].items.append(frame)
            return None
        if kind in _LISTS:
            return self._list(frame)
        if kind == "footnote_open" and parent == "footnote_block_open":
            return self._footnote(frame)
        finish = _FINISHERS.get(kind)
        if finish is not None:
            return finish(self, frame)
        return _joined(frame.blocks, _BLOCK_SEP)

    # -- containers -------------------------------------------------------------------

    def _blockquote(self, frame: _Frame) -> list[Piece]:
        return prefixed(_joined(frame.blocks, _BLOCK_SEP) or [""], "> ", "> ", "> ")

    def _callout(self, frame: _Frame) -> list[Piece]:
        """`> [!tip] Title` becomes a block quote whose first paragraph is the bold title."""
        title: list[list[Piece]] = [[f"**{frame.title}**"]] if frame.title else []
        inner = _joined(title + frame.blocks, _BLOCK_SEP)
        return prefixed(inner or [""], "> ", "> ", "> ")

    def _list(self, frame: _Frame) -> list[Piece]:
        sep = "\n\n" if frame.loose else "\n"
        return _joined([self._item(item, sep) for item in frame.items], sep)

    def _item(self, frame: _Frame, sep: str) -> list[Piece]:
        token = frame.token
        marker = (token.info + token.markup if token.info else token.markup) + " "
        checked = token.meta.get("checked") if token.meta else None
        box = "" if checked is None else ("[x] " if checked else "[ ] ")
        inner = _joined(frame.blocks, sep)
        if not inner or not isinstance(inner[0], str):
            inner.insert(0, "")
        return prefixed(inner, marker + box, " " * len(marker), "")

    def _footnotes(self, frame: _Frame) -> list[Piece]:
        return _joined([["***"], *frame.blocks], _BLOCK_SEP)

    def _footnote(self, frame: _Frame) -> list[Piece]:
        label = escape_literal(str(frame.token.meta.get("label", "")))
        note = _joined(frame.blocks, _BLOCK_SEP)
        return prefixed(note or [""], f"<sup>{label}</sup> ", "", "")

    # -- blocks written whole -----------------------------------------------------------

    def _paragraph(self, index: int) -> list[Piece]:
        stack = self._stack
        if len(stack) > 1 and stack[-1].token.type == "list_item_open":
            grandparent = stack[-2]  # markdown-it hides the paragraphs of tight lists
            if grandparent.token.type in _LISTS and not self.tokens[index].hidden:
                grandparent.loose = True
        return [self.inline(self.tokens[index + 1])]

    def _heading(self, index: int) -> list[Piece]:
        level = int(self.tokens[index].tag[1:])
        text = self.inline(self.tokens[index + 1]).replace("\n", " ")
        return [("#" * level + " " + text).rstrip()]

    def _fence(self, index: int) -> list[Piece]:
        token = self.tokens[index]
        words = token.info.split()
        if words and words[0].lower() in PYTHON_LANGS and token.map is not None:
            block = self._code_by_line.get(token.map[0] + 1)
            if block is not None:
                return [block]
        return [fenced(token.content, token.info.strip(), token.markup)]

    def _code_block(self, index: int) -> list[Piece]:
        return [fenced(self.tokens[index].content, "", "```")]

    def _hr(self, index: int) -> list[Piece]:
        return [self.tokens[index].markup or "---"]

    def _html(self, index: int) -> list[Piece]:
        return [self.tokens[index].content.rstrip("\n")]

    def _math(self, index: int) -> list[Piece]:
        return ["$$" + self.tokens[index].content + "$$"]

    def _nothing(self, index: int) -> list[Piece]:
        return []

    def _table(self, index: int) -> list[Piece]:
        rows: list[list[str]] = []
        aligns: list[str] = []
        tokens = self.tokens
        for position in range(index, self._close_of(index) + 1):
            token = tokens[position]
            kind = token.type
            if kind == "tr_open":
                rows.append([])
            elif kind in ("th_open", "td_open"):
                cell = self.inline(tokens[position + 1]).replace("|", "\\|").replace("\n", " ")
                rows[-1].append(cell)
                if kind == "th_open":
                    aligns.append(_ALIGN.get(str(token.attrGet("style") or ""), "---"))
        if not rows:
            return []
        lines = [table_row(rows[0]), table_row(aligns), *(table_row(row) for row in rows[1:])]
        return ["\n".join(lines)]

    def _timestamp(self, index: int) -> list[Piece]:
        meta = self.tokens[index].meta
        text = escape_literal(str(meta.get("text", "")))
        stamp = self._stamps.get(int(meta.get("line", 0)))
        url = self._video_at(stamp) if stamp is not None else None
        if not text:
            return []
        if url is None or not is_safe(url):
            return [f"▶ {text}"]
        return [f"[▶ {text}]({destination(url)})"]

    def _video_at(self, stamp: Timestamp) -> str | None:
        if stamp.video not in self._sources:  # the video depends on nothing else
            self._sources[stamp.video] = timestamp_video(self.note, stamp)
        source = self._sources[stamp.video]
        return link_at(source.url, stamp.seconds) if source is not None else None

    def _timestamp_url(self, index: int) -> list[Piece]:
        video = self._videos.get(int(self.tokens[index].meta.get("line", 0)))
        if video is None:
            return []
        if video.title is None and has_scheme(video.url) and " " not in video.url:
            return [f"Video: <{video.url}>"]
        text = escape_literal(video.title or video.url)
        return [f"Video: [{text}]({destination(video.url)})"]


def _joined(blocks: list[list[Piece]], sep: str) -> list[Piece]:
    """The blocks' pieces in order, Markdown text meeting Markdown text joined by `sep`
    (each run of texts joined once: adding texts one by one copied the note's text
    over and over)."""
    pieces: list[Piece] = []
    texts: list[str] = []
    for piece in chain.from_iterable(blocks):
        if isinstance(piece, str):
            texts.append(piece)
            continue
        if texts:
            pieces.append(sep.join(texts))
            texts = []
        pieces.append(piece)
    if texts:
        pieces.append(sep.join(texts))
    return pieces


_LEAVES: dict[str, Callable[[BlockWriter, int], list[Piece]]] = {
    "paragraph_open": BlockWriter._paragraph,
    "heading_open": BlockWriter._heading,
    "table_open": BlockWriter._table,
    "fence": BlockWriter._fence,
    "code_block": BlockWriter._code_block,
    "hr": BlockWriter._hr,
    "html_block": BlockWriter._html,
    "math_block": BlockWriter._math,
    "math_block_label": BlockWriter._math,
    "front_matter": BlockWriter._nothing,
    "comment_block": BlockWriter._nothing,
    "timestamp": BlockWriter._timestamp,
    "timestamp_url": BlockWriter._timestamp_url,
}
"""Blocks written whole from their first token (and, when they open, the rest skipped)."""

_FINISHERS: dict[str, Callable[[BlockWriter, _Frame], list[Piece]]] = {
    "blockquote_open": BlockWriter._blockquote,
    "callout_open": BlockWriter._callout,
    "footnote_block_open": BlockWriter._footnotes,
}
"""How containers write what their blocks wrote; any other joins its blocks."""
