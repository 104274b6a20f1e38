"""Diagnostics of link targets that name no file, with the closest names as hints.

A vault repeats its broken links (10,000 notes: 6,600 broken links to 20 distinct
targets), so the wording and the suggestions are worked out once per distinct link.
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from notebook_runner.model import Diagnostic, WikiLink, fold
from notebook_runner.resolve.hints import MAX_SUGGESTIONS, Suggester
from notebook_runner.resolve.names import FileIndex, looks_like_attachment, strip_note_suffix
from notebook_runner.resolve.problems import missing_message, names_hint

_MISSING_ATTACHMENT = "missing-attachment"
_UNRESOLVED_LINK = "unresolved-link"


class _Missing(NamedTuple):
    code: str
    message: str
    closest: list[str]  # folded, best first, one more than is shown
    suggester: Suggester | None  # None: nothing to suggest
    hint: str | None  # for every note but those among `closest`


class MissingTargets:
    """The diagnostics of unresolved links and missing attachments."""

    def __init__(self, note_files: FileIndex, attachment_files: FileIndex) -> None:
        self._note_files = note_files
        self._attachment_files = attachment_files
        self._known: dict[tuple[str, bool, bool, str | None], _Missing] = {}
        self._own_keys: dict[str, str] = {}

    # Built on first use: many vaults never need them.

    @cached_property
    def _note_names(self) -> Suggester:
        return Suggester(self._note_files.names())

    @cached_property
    def _attachment_names(self) -> Suggester:
        return Suggester(self._attachment_files.names())

    def diagnostic(self, path: str, link: WikiLink) -> Diagnostic:
        """The problem of `link` in the note at `path`, whose target names no file."""
        written = (link.target, link.embed, link.markdown, link.alias)
        missing = self._known.get(written)
        if missing is None:
            missing = self._known[written] = self._missing(link)
        hint = missing.hint
        if missing.suggester is not None:
            own = self._own_key(path)
            if own in missing.closest:  # a note is never suggested to itself
                others = [key for key in missing.closest if key != own]
                hint = self._hint(missing.suggester, others, link.embed)
        return Diagnostic(path, link.line, "warning", missing.code, missing.message, hint)

    def _missing(self, link: WikiLink) -> _Missing:
        name = link.target.strip().rstrip("\\").strip().rpartition("/")[2]
        attachment = looks_like_attachment(name)
        code = _MISSING_ATTACHMENT if attachment else _UNRESOLVED_LINK
        message = missing_message(link, code)
        if not attachment:
            name = strip_note_suffix(name)
        if not name:
            return _Missing(code, message, [], None, None)
        suggester = self._attachment_names if attachment else self._note_names
        closest = suggester.closest(name)
        hint = self._hint(suggester, closest, link.embed)
        return _Missing(code, message, closest, suggester, hint)

    @staticmethod
    def _hint(suggester: Suggester, keys: list[str], embed: bool) -> str | None:
        return names_hint([suggester.spelled(key) for key in keys[:MAX_SUGGESTIONS]], embed)

    def _own_key(self, path: str) -> str:
        """The name a note is linked by, folded."""
        key = self._own_keys.get(path)
        if key is None:
            key = self._own_keys[path] = fold(strip_note_suffix(path).rpartition("/")[2])
        return key
