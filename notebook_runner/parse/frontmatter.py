"""YAML frontmatter as the note's author meant it.

PyYAML implements YAML 1.1, which turns text people write in notes into something else:
`duration: 1:02:03` becomes 3723, `answer: no` becomes False, `date: 2023-10-01` becomes
a `datetime.date`, `version: 1.10` becomes 1.1. Obsidian shows these values as written,
so we load with our own implicit-typing rule:

- booleans are only `true` / `false` (any case YAML allows: `true`, `True`, `TRUE`);
  `yes`, `no`, `on`, `off` stay strings;
- integers are plain decimal (`42`, `-7`); `012`, `0x1F`, `1_000` and sexagesimal
  `1:02:03` stay strings;
- floats are `digits.digits`, and only when they read back exactly as written
  (`3.14` is a float, `1.10` stays the string "1.10");
- dates and times stay strings; `~`, `null` and empty values are None.

Explicit YAML tags (`!!int "3"`) are honoured. Keys are strings. Values that look like
URLs are trimmed (`" https://..."` is a URL with a stray space). `tags:` / `tag:` (any
case) may be a list or a comma/space separated string; a leading `#` is dropped.
`lang:` is the note's language (its page's `lang`); one that is no language tag is a
warning.

Frontmatter is hostile input like the rest of the note, and YAML aliases (`*name`)
repeat a value without repeating its text: nine anchors of nine references each make
400 bytes stand for 387 million values, and `a: &a [*a]` is a list that contains
itself. So the data is bounded before it is built, on the parser's node graph (where
an alias is its anchored node itself, so measuring visits each distinct node once).
Frontmatter longer than `MAX_TEXT` characters, nested deeper than `MAX_DEPTH`, or
weighing more than `MAX_WEIGHT` once its aliases are expanded is `frontmatter-too-large`;
a value that contains itself is `bad-frontmatter`. Either way the note is read as if it
had no frontmatter. Aliases within those bounds work, as in Obsidian.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from notebook_runner.config import is_language_tag
from notebook_runner.model import Diagnostic, Tag
from notebook_runner.parse.syntax.tags import is_tag_name

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = [
    "MAX_DEPTH",
    "MAX_TEXT",
    "MAX_WEIGHT",
    "Frontmatter",
    "is_tag_name",
    "is_url",
    "parse_frontmatter",
]

MAX_TEXT = 256 * 1024
"""Characters of frontmatter text: 250 times the largest frontmatter in the corpus."""
MAX_DEPTH = 50
"""Levels of nesting (the top-level mapping is one); properties are rarely over three."""
MAX_WEIGHT = 4 * MAX_TEXT
"""The size of the data once aliases are expanded: each node counts one plus the
characters of its value. Without aliases data never weighs more than about twice its
text, so only frontmatter whose aliases multiply it can reach this."""

_TAG_KEYS = frozenset({"tags", "tag"})
_TAG_SPLIT = re.compile(r"[,\s]+")
_SPACE = re.compile(r"\s")  # the same characters as str.isspace


class _NoteLoader(_BaseLoader):
    """Safe loader with the implicit-typing rule in the module docstring."""

    yaml_implicit_resolvers = {}  # noqa: RUF012 - PyYAML reads this class attribute


_NoteLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_NoteLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_NoteLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9]+\.[0-9]+$"),
    list("-+0123456789"),
)
_NoteLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_NoteLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _construct_float(loader: yaml.SafeLoader, node: yaml.Node) -> float | str:
    written = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        value = float(written)
    except ValueError:
        return written
    return value if repr(value) == written.lstrip("+") else written


_NoteLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


@dataclass(frozen=True)
class Frontmatter:
    """Loaded frontmatter: the data, the note line of each top-level key, the tags."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    tags: tuple[Tag, ...] = ()


def is_url(value: object) -> bool:
    """A web address worth linking; strings only, leading/trailing space tolerated."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (
        text.startswith(("http://", "https://"))
        and len(text) > text.index("//") + 2
        and _SPACE.search(text) is None
    )


def parse_frontmatter(
    text: str, path: str, first_line: int
) -> tuple[Frontmatter, list[Diagnostic]]:
    """Load `text` (the lines between the `---` fences; the first is note line
    `first_line`). Bad YAML gives a diagnostic and empty frontmatter, never an exception.
    """
    if len(text) > MAX_TEXT:
        message = f"frontmatter is {len(text):,} characters long, over the limit of {MAX_TEXT:,}"
        return Frontmatter(), [_too_large(path, first_line, message)]
    loader = _NoteLoader(text)
    try:
        node = loader.get_single_node()
        refused = _refused(node, path, first_line) if node is not None else None
        if refused is not None:
            return Frontmatter(), [refused]
        raw = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        return Frontmatter(), [_yaml_diagnostic(error, text, path, first_line)]
    except (TypeError, ValueError, RecursionError) as error:
        # Unhashable keys and the like: YAML that parses but cannot become a dict.
        message = f"frontmatter cannot be read: {error}"
        return Frontmatter(), [Diagnostic(path, first_line, "error", "bad-frontmatter", message)]
    finally:
        loader.dispose()
    if raw is None:
        return Frontmatter(), []
    if not isinstance(raw, dict) or not isinstance(node, yaml.MappingNode):
        message = "frontmatter must be `key: value` lines"
        return Frontmatter(), [Diagnostic(path, first_line, "error", "bad-frontmatter", message)]
    data = {str(key): _plain(value) for key, value in raw.items()}
    key_lines = {
        str(key_node.value): first_line + key_node.start_mark.line for key_node, _ in node.value
    }
    tags, problems = _tags(node, path, first_line)
    if "lang" in data and not is_language_tag(data["lang"]):
        message = f"lang {data['lang']!r} is not a language tag; the site's language is used"
        hint = "write a tag such as en, ko or pt-BR"
        problems.append(
            Diagnostic(path, key_lines["lang"], "warning", "bad-language", message, hint)
        )
    return Frontmatter(data, key_lines, tags), problems


def _too_large(path: str, line: int, message: str) -> Diagnostic:
    hint = "the note is read without its frontmatter"
    return Diagnostic(path, line, "error", "frontmatter-too-large", message, hint)


def _refused(root: yaml.Node, path: str, first_line: int) -> Diagnostic | None:
    """Why the document must not be built (a value containing itself, nesting too deep,
    too heavy once aliases are expanded), or None."""
    if isinstance(root, yaml.ScalarNode):
        return None
    measure = _Measure()
    try:
        weight = measure.collection(root, 1)[0]
    except _Refusal as refusal:
        line = first_line + refusal.node.start_mark.line
        if refusal.code == "bad-frontmatter":
            return Diagnostic(path, line, "error", refusal.code, refusal.message)
        return _too_large(path, line, refusal.message)
    if weight <= MAX_WEIGHT:
        return None
    message = f"frontmatter expands to over {MAX_WEIGHT:,} characters of data through its aliases"
    return _too_large(path, first_line + _heavy_line(root, measure.sizes), message)


class _Refusal(Exception):
    def __init__(self, node: yaml.Node, code: str, message: str) -> None:
        super().__init__(message)
        self.node, self.code, self.message = node, code, message


def _too_deep(node: yaml.Node) -> _Refusal:
    message = f"frontmatter is nested more than {MAX_DEPTH} levels deep"
    return _Refusal(node, "frontmatter-too-large", message)


class _Measure:
    """The weight and depth of the value each collection node expands to, each distinct
    node measured once (an alias is its anchored node itself, so a bomb costs no more
    than its text). The depth is that of the expanded value: an alias chain `b: &b
    [*a]`, `c: &c [*b]` nests deeper than its text shows. This runs for every note with
    frontmatter, so scalars, nearly all nodes, are measured inline, without a call; the
    recursion is at most `MAX_DEPTH` calls deep, since deeper nesting is refused."""

    def __init__(self) -> None:
        self.sizes: dict[int, tuple[int, int]] = {}
        self.open: set[int] = set()

    def collection(self, node: yaml.Node, level: int) -> tuple[int, int]:
        key = id(node)
        known = self.sizes.get(key)
        if known is not None:
            return known
        if key in self.open:
            message = "frontmatter holds a value that contains itself (an alias inside its anchor)"
            raise _Refusal(node, "bad-frontmatter", message)
        if level > MAX_DEPTH:
            raise _too_deep(node)
        self.open.add(key)
        weight, depth = 1, 0
        children = node.value
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in children for part in pair]
        for child in children:
            if isinstance(child, yaml.ScalarNode):
                weight += 1 + len(child.value)
            else:
                child_weight, child_depth = self.collection(child, level + 1)
                weight += child_weight
                depth = max(depth, child_depth)
        self.open.discard(key)
        if level + depth > MAX_DEPTH:  # this node's value nests `depth + 1` levels
            raise _too_deep(node)
        size = self.sizes[key] = (min(weight, MAX_WEIGHT + 1), depth + 1)
        return size


def _heavy_line(root: yaml.Node, sizes: dict[int, tuple[int, int]]) -> int:
    """The line (from 0) of the top-level key whose value takes the data over the limit:
    where to look for the aliases that multiply it."""
    if not isinstance(root, yaml.MappingNode):
        return int(root.start_mark.line)
    total = 1
    for key_node, value_node in root.value:
        for node in (key_node, value_node):
            if isinstance(node, yaml.ScalarNode):
                total += 1 + len(node.value)
            else:
                total += sizes[id(node)][0]
        if total > MAX_WEIGHT:
            break
    return int(key_node.start_mark.line)


def _yaml_diagnostic(error: yaml.YAMLError, text: str, path: str, first_line: int) -> Diagnostic:
    offset = _broken_line(error)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    lines = text.split("\n")
    hint = None
    if "mapping values are not allowed" in problem:
        hint = "put values containing ': ' in quotes"
    elif offset < len(lines) and "\t" in lines[offset]:
        hint = "indent YAML with spaces, not tabs"
    line = first_line + offset
    message = f"frontmatter is not valid YAML: {problem}"
    return Diagnostic(path, line, "error", "bad-frontmatter", message, hint)


def _broken_line(error: yaml.YAMLError) -> int:
    """The 0-based line the author has to fix. PyYAML marks where it gave up (the
    problem) and, for a construct left unfinished, where that began (the context): a
    line without `key: value`, a quote or `[` never closed. There it gives up a line or
    more later, so the context's line is the one to fix; otherwise the problem's."""
    problem = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    unfinished = str(getattr(error, "context", None) or "")
    if context is not None and unfinished.startswith(_UNFINISHED):
        return int(context.line)
    mark = problem or context
    return int(mark.line) if mark is not None else 0


_UNFINISHED = ("while scanning", "while parsing a flow")


def _plain(value: Any) -> Any:
    """JSON-ready values: trimmed URLs, string keys, no dates or bytes from explicit tags."""
    if isinstance(value, str):
        return value.strip() if is_url(value) else value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _tags(
    mapping: yaml.MappingNode, path: str, first_line: int
) -> tuple[tuple[Tag, ...], list[Diagnostic]]:
    tags: list[Tag] = []
    problems: list[Diagnostic] = []
    for key_node, value_node in mapping.value:
        if str(key_node.value).lower() not in _TAG_KEYS:
            continue
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for item in items:
            if not isinstance(item, yaml.ScalarNode):
                continue
            line = first_line + item.start_mark.line
            for word in _TAG_SPLIT.split(str(item.value)):
                name = word.removeprefix("#")
                if not word:
                    continue
                if is_tag_name(name):
                    tags.append(Tag(name, line))
                else:
                    message = (
                        f"'{word}' is not a valid tag (letters, digits, emoji, _ - /;"
                        " no spaces or punctuation; not only digits)"
                    )
                    problems.append(Diagnostic(path, line, "warning", "bad-tag", message))
    return tuple(tags), problems
