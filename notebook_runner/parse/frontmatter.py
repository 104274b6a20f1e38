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

__all__ = ["Frontmatter", "is_url", "parse_frontmatter"]

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
    loader = _NoteLoader(text)
    try:
        node = loader.get_single_node()
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
