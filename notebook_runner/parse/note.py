"""One note's text to a `Note`: a single walk over the markdown-it token stream.

Every line comes from the parser (block `token.map`, or the line the inline rules put in
`token.meta`), never from searching the text. The walk itself is `parse_walk`; here are
the entry points and the `Note` assembled from what the walk collected.

Decisions worth knowing:
- Code blocks are fenced blocks only (indented code in notes is nearly always an
  accident of list indentation). Options after the language are read for Python blocks
  (`python`, `py`, `python3`, `pycon`, any case): flags `skip`, `continue`, `reset`;
  values `timeout=N` (seconds, > 0) and `raises=ExceptionName`. Unknown or malformed
  options are warnings and the block stays Python.
- A markdown link without a scheme (`[text](Other%20Note.md#Part)`) is an internal link,
  as in Obsidian, and joins the wiki-links (`alias` = its text); with a scheme it is an
  external link. A local image `![alt](pic.png)` is an embed. A remote "image" whose
  address is not an image file (`![talk](https://youtu.be/ID)`) is Obsidian's video
  embed: it counts as the video of the timestamps below it, like a `timestamp-url`.
- Timestamps: the video is the nearest valid `timestamp-url` block above, else the first
  frontmatter `video` / `url` / `source` / `media_link` key (any case) holding a URL.
  `section` is the heading directly after the block, else directly before it (blank
  lines, comments and `timestamp-url` blocks aside). `label` is the section, else the
  first words of the text that follows, else the time. The range ends before the next
  timestamp (or before the heading that is that timestamp's section, when it comes
  first) or before a heading of the section's level or higher (no section: the level
  of the heading the timestamp sits under; none: any heading), else at the last line.
- `videos` lists each distinct URL once: `timestamp-url` blocks, then frontmatter
  video keys whose URL no block has; ordered by line.
- `tags`: frontmatter tags, then inline tags, without case-insensitive repeats (the
  first spelling wins).

Diagnostic codes (stable, kebab-case):
  bad-frontmatter       (error)    frontmatter is not YAML / not a mapping
  bad-tag               (warning)  a frontmatter tag Obsidian would not accept
  bad-language          (warning)  a frontmatter `lang` that is no language tag
  frontmatter-only      (info)     a note with frontmatter and nothing else
  unclosed-frontmatter  (warning)  a first-line `---` never closed: shown as text
  unclosed-fence        (warning)  a code fence that is never closed
  unclosed-comment      (warning)  a `%%` block comment that is never closed
  unknown-code-option   (warning)  a word after `python` that is no known option
  bad-code-option       (warning)  a known option with a missing or wrong value
  timestamp-empty       (error)    an empty `timestamp` block
  timestamp-bad-time    (error)    a time that cannot be read (with "did you mean")
  timestamp-fixed-time  (warning)  a time the plugin mis-wrote, read as meant
  timestamp-extra-lines (warning)  a timestamp block holding more than one line
  timestamp-bad-url     (error)    a `timestamp-url` block without a web address
  timestamp-no-video    (warning)  a timestamp with no video to belong to
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Protocol, TypeVar

from markdown_it.token import Token

from notebook_runner.model import Diagnostic, Note, SourceFile, Timestamp
from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.timestamp_sections import place_timestamps
from notebook_runner.parse.walk import NoteWalker

__all__ = ["note_to_dict", "parse_note", "parse_tokens"]


def parse_note(source: SourceFile) -> tuple[Note, list[Diagnostic]]:
    """Parse one note. Never raises on content: problems become diagnostics."""
    note, problems, _ = parse_tokens(source)
    return note, problems


def parse_tokens(source: SourceFile) -> tuple[Note, list[Diagnostic], list[Token]]:
    """`parse_note`, also returning the token stream, for the renderer to reuse."""
    tokens = build_markdown().parse(source.text)
    walker = NoteWalker(source.path, tokens)
    walker.check_note_shape()
    walker.walk()
    return _note(walker, source), walker.problems, tokens


def note_to_dict(note: Note) -> dict[str, Any]:
    """The JSON shape of `notebook-runner parse`: dataclass fields, tuples as lists."""
    converted = _as_lists(asdict(note))
    assert isinstance(converted, dict)
    return converted


def _as_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    return value


# ---------------------------------------------------------------- what the walk collected


def _note(walk: NoteWalker, source: SourceFile) -> Note:
    """Lists the parser can emit out of document order (footnotes) are sorted by line."""
    names = [tag.name for tag in (*walk.frontmatter.tags, *walk.inline_tags)]
    videos = list(walk.block_videos)
    for video in walk.frontmatter_videos:
        if all(known.url != video.url for known in videos):
            videos.append(video)
    return Note(
        path=source.path,
        title=file_stem(source.path),
        frontmatter=walk.frontmatter.data,
        tags=_unique_casefold(names),
        headings=tuple(walk.headings),
        links=_by_line(walk.links),
        external_links=_by_line(walk.external_links),
        highlights=_by_line(walk.highlights),
        callouts=tuple(walk.callouts),
        videos=_by_line(videos),
        timestamps=_timestamps(walk, source.text),
        code_blocks=tuple(walk.code_blocks),
        block_ids=_by_line(walk.block_ids),
        inline_tags=_by_line(walk.inline_tags),
    )


def file_stem(path: str) -> str:
    """`PurePosixPath(path).stem` (the file name without its last suffix) with string
    operations: building a path object was about 1 % of parsing a note."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _timestamps(walk: NoteWalker, text: str) -> tuple[Timestamp, ...]:
    if not walk.stamps:
        return ()  # most notes: spare counting their lines
    return place_timestamps(
        walk.stamps, walk.tokens, walk.headings, walk.heading_at, _line_count(text)
    )


class _Lined(Protocol):
    @property
    def line(self) -> int: ...


_LinedT = TypeVar("_LinedT", bound=_Lined)


def _by_line(items: list[_LinedT]) -> tuple[_LinedT, ...]:
    """Document order: footnote bodies are moved to the token stream's end by the parser."""
    return tuple(sorted(items, key=lambda item: item.line))


def _unique_casefold(names: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    unique = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return tuple(unique)


def _line_count(text: str) -> int:
    """Lines as the parser numbers them (`\\r\\n`, `\\r` and `\\n` all end a line)."""
    count = text.count("\n") + text.count("\r") - text.count("\r\n")
    if text and text[-1] not in "\r\n":
        count += 1
    return max(count, 1)
