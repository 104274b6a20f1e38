"""Plain, frozen data passed between the pipeline stages.

Every element carries the 1-based line of the note file it came from, taken from
the parser's token map, so that no later stage ever has to search the text again.
Nothing here knows about HTML, execution or videos: those stages read these
records and produce their own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


def fold(text: str) -> str:
    """The form in which Obsidian considers two names equal (notes, tags, headings'
    words): case-insensitive, and after Unicode NFC, since macOS writes file names
    decomposed (`e` + U+0301) where notes are typed composed (`é`)."""
    return unicodedata.normalize("NFC", text).casefold()


# Fence languages that are Python to run: what people write in notes (`pycon` holds
# interactive sessions, run as doctests).
PYTHON_LANGS = frozenset({"python", "py", "python3", "pycon"})


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in user content, reported as `path:line: severity: message`.

    `code` is a stable kebab-case identifier (e.g. `unresolved-link`) that tests and
    users can filter on; `hint` is an optional suggestion such as "did you mean ...?".
    """

    path: str
    line: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class SourceFile:
    """One note as read from disk. `path` is vault-relative with `/` separators."""

    path: str
    text: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    id: str


@dataclass(frozen=True)
class WikiLink:
    """`[[target#heading#sub^block|alias]]`; `target` is empty for same-note links.

    `heading` keeps nested heading parts joined with `#` (as written after the
    target). `resolved` is filled in by the resolve stage with the target's path.
    `markdown` marks a Markdown link to a note (`[text](Note.md#Part)`), so that
    messages can quote it as the user wrote it.
    """

    target: str
    heading: str | None
    block: str | None
    alias: str | None
    embed: bool
    line: int
    resolved: str | None = None
    markdown: bool = False


@dataclass(frozen=True)
class ExternalLink:
    url: str
    text: str
    line: int


@dataclass(frozen=True)
class Highlight:
    text: str
    line: int


@dataclass(frozen=True)
class Tag:
    """An inline `#tag` or a frontmatter tag; `name` is without the `#`."""

    name: str
    line: int


@dataclass(frozen=True)
class BlockId:
    """A `^block-id` at the end of a paragraph or list item."""

    id: str
    line: int


@dataclass(frozen=True)
class Callout:
    """`> [!type] Title`; `fold` is `+` (open), `-` (closed) or None (not foldable)."""

    type: str
    title: str
    fold: Literal["+", "-"] | None
    line: int
    end_line: int
    depth: int = 1


@dataclass(frozen=True)
class VideoRef:
    """A video the note refers to: a `timestamp-url` block or a frontmatter key."""

    url: str
    line: int
    title: str | None = None


@dataclass(frozen=True)
class Timestamp:
    """A `timestamp` block: `seconds` into `video`, introducing lines `line..end_line`."""

    text: str
    seconds: int
    line: int
    video: str | None
    section: str | None
    label: str
    end_line: int


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block. `line` is the opening fence, `end_line` the closing one
    (or the last line of the note when the fence is never closed). Fences inside
    `%%` comments are not code blocks at all.

    `options` are the words after the language: `key=value` pairs keep their value,
    bare flags such as `skip` map to "true".

    `code_line` is the note line of the first line of `code`, so that execution can
    compile the block with note line numbers.
    """

    lang: str
    line: int
    end_line: int
    code: str
    code_line: int
    options: dict[str, str] = field(default_factory=dict)

    @property
    def is_python(self) -> bool:
        return self.lang.lower() in PYTHON_LANGS


@dataclass(frozen=True)
class Note:
    path: str
    title: str
    frontmatter: dict[str, Any]
    tags: tuple[str, ...]
    headings: tuple[Heading, ...] = ()
    links: tuple[WikiLink, ...] = ()
    external_links: tuple[ExternalLink, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    callouts: tuple[Callout, ...] = ()
    videos: tuple[VideoRef, ...] = ()
    timestamps: tuple[Timestamp, ...] = ()
    code_blocks: tuple[CodeBlock, ...] = ()
    block_ids: tuple[BlockId, ...] = ()
    inline_tags: tuple[Tag, ...] = ()

    @property
    def tag_names(self) -> tuple[str, ...]:
        """Frontmatter then inline tags as written, each spelling once (`tags` keeps one
        spelling per tag; the tag index groups spellings itself)."""
        return tuple(dict.fromkeys([*self.tags, *(tag.name for tag in self.inline_tags)]))

    def link_token(self, meta: Mapping[str, Any]) -> WikiLink | None:
        """The parsed (and, once resolved, resolved) link a renderer's wiki-link token
        stands for: the same line and parts, so no one re-reads the link text."""
        for link in self.links:
            if (
                link.line == meta["line"]
                and link.target == meta["target"]
                and link.heading == meta["heading"]
                and link.block == meta["block"]
                and link.embed == meta["embed"]
            ):
                return link
        return None


DATE_KEYS = ("updated", "modified", "date", "created")
"""Frontmatter keys a note's own date is read from, in order of preference."""


def written_date(frontmatter: Mapping[str, Any]) -> str:
    """A date the author wrote in the frontmatter (keys compared case-insensitively);
    "" when there is none. File times would make pages depend on the checkout."""
    lowered = {str(key).casefold(): value for key, value in frontmatter.items()}
    for key in DATE_KEYS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def is_published(frontmatter: Mapping[str, Any]) -> bool:
    """Whether the site shows the note: not with `publish: false` (Obsidian Publish's
    key) or `draft: true` (Quartz's). Only YAML's booleans count (`draft: yes` is text,
    as every other value is), and keys compare case-insensitively like `written_date`'s."""
    lowered = {str(key).casefold(): value for key, value in frontmatter.items()}
    return lowered.get("publish") is not False and lowered.get("draft") is not True


@dataclass(frozen=True)
class NoteSummary:
    """A note as the rest of the vault sees it: what links into it are checked against
    and point at (title, headings, block ids), what the vault's indexes take from it
    (where its links lead, its tags) and what a listing shows (its date).

    `build`'s workers parse their shares of the vault apart and exchange these instead
    of whole notes: a tenth of the bytes, and every page needs no more of another note
    (a transclusion, which needs all of it, parses that note where it is rendered).
    `tag_names`: frontmatter then inline tags, each spelling once, in order of
    appearance; `targets`: the resolved paths of its links, each once, in order;
    `published`: see `is_published`."""

    path: str
    title: str
    headings: tuple[Heading, ...]
    block_ids: tuple[BlockId, ...]
    tag_names: tuple[str, ...]
    targets: tuple[str, ...]
    date: str
    published: bool = True

    @classmethod
    def of(cls, note: Note) -> NoteSummary:
        return cls(
            path=note.path,
            title=note.title,
            headings=note.headings,
            block_ids=note.block_ids,
            tag_names=note.tag_names,
            targets=tuple(dict.fromkeys(link.resolved for link in note.links if link.resolved)),
            date=written_date(note.frontmatter),
            published=is_published(note.frontmatter),
        )


@dataclass(frozen=True)
class VaultMap:
    """What every page needs of the whole vault: each note's summary (in path order),
    backlinks (path -> the notes linking to it) and tags (name -> its notes)."""

    notes: tuple[NoteSummary, ...]
    backlinks: dict[str, tuple[str, ...]]
    tags: dict[str, tuple[str, ...]]
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vault:
    """The resolved vault: notes with resolved links, plus the indexes built from them."""

    notes: tuple[Note, ...]
    backlinks: dict[str, tuple[str, ...]]
    tags: dict[str, tuple[str, ...]]
    attachments: tuple[str, ...] = ()

    def map(self) -> VaultMap:
        """The vault as pages see it, from notes all at hand."""
        summaries = tuple(NoteSummary.of(note) for note in self.notes)
        return VaultMap(summaries, self.backlinks, self.tags, self.attachments)
