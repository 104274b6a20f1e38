"""How link targets name files: folding, note suffixes, and the index that finds a target.

Everything here runs once per file or per distinct target, never once per link.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from notebook_runner.model import fold

NOTE_SUFFIX = ".md"
# Notes read from notebooks keep their file's suffix (`vault.NOTEBOOK_SUFFIXES`).
NOTE_SUFFIXES = (NOTE_SUFFIX, ".ipynb", ".py")
_LONGEST_SUFFIX = max(map(len, NOTE_SUFFIXES))
# The file types Obsidian embeds (images, audio, video, PDF, canvas). A dot followed by
# anything else is part of a note name: `Node.js`, `Lesson 2.5`, `Pt. 2 Backprop`.
_ATTACHMENT_TYPES = frozenset(
    {
        *("avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"),
        *("flac", "m4a", "mp3", "ogg", "wav", "webm", "3gp"),
        *("mkv", "mov", "mp4", "ogv", "pdf", "canvas"),
    }
)


def note_suffix(path: str) -> str:
    """The note suffix `path` ends with (folded), or "" for none. Case folding maps each
    character on its own, so folding the last few characters is enough."""
    if path.endswith(NOTE_SUFFIX):  # most note paths: no folding needed
        return NOTE_SUFFIX
    tail = path[-_LONGEST_SUFFIX:]
    if "." not in tail:  # most link targets
        return ""
    folded = tail.casefold()
    for suffix in NOTE_SUFFIXES:
        if folded.endswith(suffix):
            return suffix
    return ""


def strip_note_suffix(path: str) -> str:
    """A note's name as links write it: without `.md`, `.ipynb` or `.py`."""
    suffix = note_suffix(path)
    return path[: -len(suffix)] if suffix else path


def looks_like_attachment(name: str) -> bool:
    stem, dot, extension = name.rpartition(".")
    return bool(stem and dot) and extension.casefold() in _ATTACHMENT_TYPES


class FileEntry(NamedTuple):
    """A file as links compare against it, computed once per file."""

    path: str
    link_form: str  # the path as a link writes it: notes lose `.md`
    key: str  # `link_form` folded
    depth: int  # folders above the file
    suffix: str  # `note_suffix(path)`


class Match(NamedTuple):
    """What a link target names: the winner, and when several files tie for it, the
    tied paths with the shortest link that picks each (for the hint)."""

    path: str | None
    tied: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


NO_MATCH = Match(None)


class FileIndex:
    """Files grouped by folded name, so a target finds its candidates in one lookup."""

    def __init__(self, paths: Iterable[str], is_note: bool) -> None:
        self._by_name: dict[str, list[FileEntry]] = {}
        for path in paths:
            suffix = note_suffix(path)
            form = path[: -len(suffix)] if is_note and suffix else path
            key = fold(form)
            entry = FileEntry(path, form, key, path.count("/"), suffix)
            self._by_name.setdefault(key.rpartition("/")[2], []).append(entry)
        self.verbatim = self._verbatim(attachment=not is_note)

    def _verbatim(self, attachment: bool) -> dict[str, str]:
        """What most links are: a file's unique name or path, exactly as the file spells
        it, mapped to its path; `Resolver` finds these without folding or suffix rules."""
        found: dict[str, str] = {}
        for group in self._by_name.values():
            if len(group) == 1:
                path, form = group[0].path, group[0].link_form
                name = form.rpartition("/")[2]
                if _is_verbatim(name, attachment):
                    found[name] = path
                if "/" in form and _is_verbatim(form, attachment):
                    found[form] = path
        return found

    def names(self) -> dict[str, str]:
        """Folded file name -> the name as the first file of that name spells it."""
        return {
            name: group[0].link_form.rpartition("/")[2] for name, group in self._by_name.items()
        }

    def find(self, key: str, exact: bool, suffix: str | None = None) -> Match:
        """`key` is a folded link path; `exact` demands the whole path, not a suffix.

        `suffix` (folded) keeps only the notes of that file type; without it a Markdown
        note wins over a notebook of the same name."""
        group = self._by_name.get(key.rpartition("/")[2])
        if group is None:
            return NO_MATCH
        if suffix is not None:
            group = [entry for entry in group if entry.suffix == suffix]
        if len(group) == 1:  # most names: one file, no preference to apply
            entry = group[0]
            if entry.key == key or (not exact and entry.key.endswith("/" + key)):
                return Match(entry.path)
            return NO_MATCH
        markdown = [entry for entry in group if entry.suffix == NOTE_SUFFIX]
        found = _matching(markdown, key, exact) or _matching(group, key, exact)
        if not found:
            return NO_MATCH
        if len(found) == 1:
            return Match(found[0].path)
        tied = tuple(entry.path for entry in found)
        choices = tuple(_shortest_unique_form(entry, group) for entry in found)
        return Match(found[0].path, tied, choices)


def _is_verbatim(form: str, attachment: bool) -> bool:
    """Whether a target written as `form` is looked up exactly as written, in the index
    of attachments (`attachment`) or of notes first."""
    return (
        form[:1] not in ("", ".", "/")  # not relative, not from the root
        and form == form.strip().rstrip("\\").strip()
        and not note_suffix(form)
        and looks_like_attachment(form) == attachment
    )


def _matching(group: Sequence[FileEntry], key: str, exact: bool) -> list[FileEntry]:
    """The shallowest files whose link form is `key` or ends with `/key`, sorted."""
    suffix = "/" + key
    found = [f for f in group if f.key == key or (not exact and f.key.endswith(suffix))]
    if len(found) <= 1:
        return found
    shallowest = min(entry.depth for entry in found)
    return sorted((f for f in found if f.depth == shallowest), key=lambda f: f.path)


def _shortest_unique_form(entry: FileEntry, group: Sequence[FileEntry]) -> str:
    """The shortest link that picks `entry` among same-named files, to suggest to users."""
    parts = entry.link_form.split("/")
    for start in range(len(parts) - 1, -1, -1):
        form = "/".join(parts[start:])
        winners = _matching(group, fold(form), exact=False)
        if len(winners) == 1 and winners[0] is entry:
            return form
    return entry.link_form
