"""The optional vault configuration file, `notebook-runner.toml` at the vault root.

Like MkDocs, the whole file is validated up front and every problem is reported at
once, so a user fixes their config in one pass instead of one error per run.
Unknown sections and keys are errors (with a "did you mean" hint) because a typo in
`timeout` silently falling back to the default is worse than a refusal.

Example::

    [vault]
    ignore = ["templates/**"]  # default: Obsidian's templates folders
    empty_notes = "off"        # empty notes, notes of properties only: error, warning, info

    [check]
    timeout = 30          # seconds per block
    memory_mb = 4096      # per note process
    preload = ["torch"]   # imported once by the warm parent process
    prelude = "import math"
    include = ["**/*.md", "**/*.ipynb", "**/*.py"]  # only notes and notebooks match
    exclude = ["drafts/**"]
    optional_modules = ["fastai"]  # blocks needing them are skipped when not installed
    run = "all"           # or "marked": only blocks marked `run`, notes with `execute: true`

    [videos]
    duplicates = "warning"  # a timestamp repeated: error, warning, info or off
    order = "warning"       # a timestamp earlier than the one before it

    [site]
    title = "My study notes"
    base_url = "https://example.org/notes/"
    repository = "github.com/me/notes"
    feed_items = 20       # entries of feed.xml (with base_url)
    language = "ko"       # pages' lang and interface text (built in: de, en, ko);
                          # default: detected from the notes' text
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from notebook_runner.model import Diagnostic, Severity
from notebook_runner.safe_urls import is_web_address

CONFIG_NAME = "notebook-runner.toml"


@dataclass(frozen=True)
class VaultConfig:
    """`ignore`: globs of vault paths to leave out; None when not set, which leaves out
    Obsidian's templates folders (`vault.list_vault`). `empty_notes`: the severity of a
    note that is empty or holds nothing but properties, None (off) by default: Obsidian
    makes such notes itself (`Untitled.md`) and people keep property-only notes."""

    ignore: tuple[str, ...] | None = None
    empty_notes: Severity | None = None


@dataclass(frozen=True)
class CheckConfig:
    timeout: float = 30.0
    memory_mb: int = 4096
    preload: tuple[str, ...] = ()
    prelude: str = ""
    include: tuple[str, ...] = ("**/*.md", "**/*.ipynb", "**/*.py")
    exclude: tuple[str, ...] = ()
    optional_modules: tuple[str, ...] = ()
    """Top-level modules whose absence skips the blocks that import them (and the rest
    of their note) instead of failing them (see `execute.modules`)."""
    run: str = "all"
    """"marked": run only blocks marked `run` and notes with `execute: true`, for vaults
    where most snippets are illustrations (see `execute.plan`)."""


@dataclass(frozen=True)
class VideosConfig:
    """Severity of repeated / backwards timestamps; None when set to "off"."""

    duplicates: Severity | None = "warning"
    order: Severity | None = "warning"


@dataclass(frozen=True)
class SiteConfig:
    """`language`: "" when not set (pages then take the language of the notes' text)."""

    title: str = "Notes"
    base_url: str = ""
    repository: str = ""
    feed_items: int = 20
    language: str = ""


@dataclass(frozen=True)
class Config:
    vault: VaultConfig = field(default_factory=VaultConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    videos: VideosConfig = field(default_factory=VideosConfig)
    site: SiteConfig = field(default_factory=SiteConfig)


Validator = Callable[[Any], Any]


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError("must be a positive number")
    return float(value)


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _web_address_or_empty(value: Any) -> str:
    """The site's address goes into the 404 page's links and exported notebooks: only
    an http(s) URL, never `javascript:...` (see `safe_urls`)."""
    if not isinstance(value, str) or (value and not is_web_address(value)):
        raise ValueError("must be an http:// or https:// address")
    return value


_SEVERITIES: dict[str, Severity | None] = {
    "error": "error",
    "warning": "warning",
    "info": "info",
    "off": None,
}


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")
"""A BCP 47 language tag as pages declare it (`en`, `ko`, `pt-BR`, `zh-Hant-TW`)."""


def is_language_tag(value: object) -> bool:
    return isinstance(value, str) and LANGUAGE_TAG.fullmatch(value) is not None


def _language(value: Any) -> str:
    if not is_language_tag(value):
        raise ValueError("must be a language tag such as en, ko or pt-BR")
    return str(value)


def _severity_or_off(value: Any) -> Severity | None:
    if not isinstance(value, str) or value not in _SEVERITIES:
        raise ValueError("must be one of error, warning, info, off")
    return _SEVERITIES[value]


def _string_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of strings")
    return tuple(value)


def _one_of(*choices: str) -> Validator:
    def validate(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(map(repr, choices))}")
        return str(value)

    return validate


def _module_names(value: Any) -> tuple[str, ...]:
    names = _string_list(value)
    wrong = [name for name in names if not name.isidentifier()]
    if wrong:
        raise ValueError(f"must name top-level modules (as in `import NAME`), not {wrong[0]!r}")
    return names


_SCHEMA: dict[str, tuple[type[Any], dict[str, Validator]]] = {
    "vault": (VaultConfig, {"ignore": _string_list, "empty_notes": _severity_or_off}),
    "check": (
        CheckConfig,
        {
            "timeout": _positive_number,
            "memory_mb": _positive_int,
            "preload": _string_list,
            "prelude": _string,
            "include": _string_list,
            "exclude": _string_list,
            "optional_modules": _module_names,
            "run": _one_of("all", "marked"),
        },
    ),
    "videos": (VideosConfig, {"duplicates": _severity_or_off, "order": _severity_or_off}),
    "site": (
        SiteConfig,
        {
            "title": _string,
            "base_url": _web_address_or_empty,
            "repository": _string,
            "feed_items": _positive_int,
            "language": _language,
        },
    ),
}


EMPTY_NOTE_CODES = frozenset({"empty-note", "frontmatter-only"})


def as_configured(diagnostics: Iterable[Diagnostic], config: Config) -> list[Diagnostic]:
    """The vault's diagnostics at the severities `config` gives them (`[vault]
    empty_notes`), the ones switched off left out."""
    severity = config.vault.empty_notes
    if severity is None:
        return [d for d in diagnostics if d.code not in EMPTY_NOTE_CODES]
    return [replace(d, severity=severity) if d.code in EMPTY_NOTE_CODES else d for d in diagnostics]


def load_config(vault_root: Path) -> tuple[Config, list[Diagnostic]]:
    """Read and validate the config; on any error the defaults are returned with
    every problem listed, so callers can refuse to run (exit code 2)."""
    path = vault_root / CONFIG_NAME
    if not path.is_file():
        return Config(), []
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _line_of_toml_error(str(error))
        return Config(), [_error(line, "bad-config", f"invalid TOML: {error}")]
    return _validate(data, _KeyLines(text))


def _validate(data: Mapping[str, Any], lines: _KeyLines) -> tuple[Config, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    sections: dict[str, Any] = {}
    for section, table in data.items():
        if section not in _SCHEMA:
            diagnostics.append(_unknown(lines.line(section, None), "section", section, _SCHEMA))
            continue
        if not isinstance(table, dict):
            diagnostics.append(
                _error(lines.line(None, section), "bad-config", f"[{section}] must be a table")
            )
            continue
        sections[section] = _validate_section(section, table, lines, diagnostics)
    if diagnostics:
        return Config(), diagnostics
    return Config(**sections), []


def _validate_section(
    section: str, table: dict[str, Any], lines: _KeyLines, diagnostics: list[Diagnostic]
) -> Any:
    cls, validators = _SCHEMA[section]
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in validators:
            diagnostics.append(
                _unknown(lines.line(section, key), f"key in [{section}]", key, validators)
            )
            continue
        try:
            values[key] = validators[key](value)
        except ValueError as problem:
            diagnostics.append(
                _error(lines.line(section, key), "bad-config", f"{section}.{key} {problem}")
            )
    return cls(**values)


def _unknown(line: int, kind: str, name: str, known: Mapping[str, Any]) -> Diagnostic:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known))}"
    return _error(line, "unknown-config-key", f"unknown {kind} '{name}'", hint)


def _error(line: int, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(CONFIG_NAME, line, "error", code, message, hint)


def _line_of_toml_error(message: str) -> int:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else 1


class _KeyLines:
    """Line numbers of tables and keys, which tomllib does not report.

    Only used to point config errors at a line; a key that cannot be found
    falls back to its table's header line, then to line 1.
    """

    _TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str | None, str | None], int] = {}
        table: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if match := self._TABLE.match(line):
                table = match.group(1)
                self._lines.setdefault((table, None), number)
            elif match := self._KEY.match(line):
                self._lines.setdefault((table, match.group(1)), number)

    def line(self, table: str | None, key: str | None) -> int:
        return self._lines.get((table, key)) or self._lines.get((table, None)) or 1
