"""Link resolution, backlinks and the tag index, following Obsidian's rules.

Obsidian lets people link by bare file name from anywhere in the vault, so a link is
only meaningful once it is matched against every file: this stage fills in
`WikiLink.resolved`, reports links that lead nowhere (with a "did you mean" so the fix
is one edit away) and builds the indexes the site needs (backlinks, tags).

Matching rules:
- names compare case-insensitively (and after Unicode NFC, since macOS stores file
  names decomposed while notes are typed composed), with or without `.md`;
- notes read from notebooks are linked to the same way, with or without `.ipynb` /
  `.py`; a name without a suffix means the Markdown note when there is one (as in
  Obsidian, where `[[x]]` is `x.md`), else the notebook of that name;
- `folder/Note` matches any note whose path ends in that folder and name;
  `./x` and `../x` are relative to the linking note; `/x` is from the vault root;
- among several matches the shortest path (fewest folders) wins; a tie at the same
  depth is ambiguous, reported, and resolved to the first path in sorted order;
- a target of a type Obsidian embeds (`image.png`, `paper.pdf`) is looked up among
  the attachments first and is a missing attachment when absent; anything else is
  looked up among the notes first;
- headings compare case-insensitively, ignoring punctuation and whitespace, so that
  `[[Note#What's new?]]` finds `## Whats new`. In `[[Note#A#B]]` each part must be
  found inside the section of the part before it.

Tags: Obsidian treats `#ML` and `#ml` as one tag, so the index groups them, keyed by
the spelling seen first (notes in path order) because that is what pages display.

`serve` re-resolves only what an edit can change (`resolve_changed`): while no file is
added, removed or renamed, where a link leads depends on file names alone, so the
edited notes' links are resolved against the unchanged names and only the backlink and
tag entries they enter or leave are updated.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import NamedTuple

from notebook_runner.model import Diagnostic, Heading, Note, Vault, WikiLink

__all__ = ["resolve_changed", "resolve_vault"]

_NOTE_SUFFIX = ".md"
# Notes read from notebooks keep their file's suffix (`vault.NOTEBOOK_SUFFIXES`).
_NOTE_SUFFIXES = (_NOTE_SUFFIX, ".ipynb", ".py")
_LONGEST_SUFFIX = max(map(len, _NOTE_SUFFIXES))
# The file types Obsidian embeds (images, audio, video, PDF, canvas). A dot followed by
# anything else is part of a note name: `Node.js`, `Lesson 2.5`, `Pt. 2 Backprop`.
_ATTACHMENT_TYPES = frozenset(
    {
        *("avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"),
        *("flac", "m4a", "mp3", "ogg", "wav", "webm", "3gp"),
        *("mkv", "mov", "mp4", "ogv", "pdf", "canvas"),
    }
)
# Long digit runs are generated (`Pasted image 20240701222017.png`): names differing only
# there are different files, not typos, so they are never suggested for each other.
_GENERATED_NUMBER = re.compile(r"\d{6,}")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_MAX_SUGGESTIONS = 3
_SIMILARITY_CUTOFF = 0.6
# Candidates examined by difflib per unknown name, and name occurrences counted to pick
# them: enough for a good answer, few enough that a vault with thousands of notes and
# thousands of broken links still resolves in about a second.
_SHORTLIST = 12
_POSTINGS_BUDGET = 2000


def resolve_vault(
    notes: Sequence[Note], attachments: Sequence[str] = ()
) -> tuple[Vault, list[Diagnostic]]:
    """Resolve every wiki-link of every note and index backlinks and tags.

    Notes come back in path order with `links` replaced; the input is never mutated.
    """
    ordered = sorted(notes, key=lambda note: note.path)
    files = sorted(set(attachments))
    resolver = _Resolver(ordered, files)
    diagnostics: list[Diagnostic] = []
    resolved = [resolver.resolve_note(note, diagnostics) for note in ordered]
    vault = Vault(
        notes=tuple(resolved),
        backlinks=_backlinks(resolved),
        tags=_tag_index(resolved),
        attachments=tuple(files),
    )
    return vault, diagnostics


def resolve_changed(vault: Vault, changed: Sequence[Note]) -> tuple[Vault, list[Diagnostic]]:
    """`vault` after its notes in `changed` were edited (parsed again, same paths).

    The same result as `resolve_vault` on all notes, for a fraction of the work. The
    diagnostics are the complete link problems of every note it resolved again: the
    changed notes, and the notes linking into a changed note whose headings or block
    ids changed (their subpaths are checked again).
    Raises ValueError for a note that is not in `vault` (use `resolve_vault` then).
    """
    by_path = {note.path: note for note in vault.notes}
    unknown = [note.path for note in changed if note.path not in by_path]
    if unknown:
        raise ValueError(f"not in the vault: {', '.join(unknown)}")
    edited = {note.path: note for note in changed}
    before = {path: by_path[path] for path in edited}
    by_path.update(edited)
    resolver = _Resolver(list(by_path.values()), vault.attachments)
    again = set(edited)
    for path, note in edited.items():
        if _outline_key(note) != _outline_key(before[path]):
            again.update(vault.backlinks.get(path, ()))
    diagnostics: list[Diagnostic] = []
    for path in sorted(again):
        by_path[path] = resolver.resolve_note(by_path[path], diagnostics)
    notes = tuple(by_path[note.path] for note in vault.notes)
    updated = Vault(
        notes=notes,
        backlinks=_updated_backlinks(vault.backlinks, before, by_path),
        tags=_updated_tags(vault.tags, before, by_path),
        attachments=vault.attachments,
    )
    return updated, diagnostics


def _outline_key(note: Note) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What links into a note are checked against."""
    return tuple(h.text for h in note.headings), tuple(b.id for b in note.block_ids)


# --- names -----------------------------------------------------------------------------


def _fold(text: str) -> str:
    """The form in which Obsidian considers two names equal."""
    return unicodedata.normalize("NFC", text).casefold()


def _note_suffix(path: str) -> str:
    """The note suffix `path` ends with (folded), or "" for none. Case folding maps each
    character on its own, so folding the last few characters is enough."""
    folded = path[-_LONGEST_SUFFIX:].casefold()
    for suffix in _NOTE_SUFFIXES:
        if folded.endswith(suffix):
            return suffix
    return ""


def _strip_note_suffix(path: str) -> str:
    """A note's name as links write it: without `.md`, `.ipynb` or `.py`."""
    suffix = _note_suffix(path)
    return path[: -len(suffix)] if suffix else path


def _looks_like_attachment(name: str) -> bool:
    stem, dot, extension = name.rpartition(".")
    return bool(stem and dot) and extension.casefold() in _ATTACHMENT_TYPES


def _depth(path: str) -> int:
    return path.count("/")


def _or_list(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _wiki(target: str, embed: bool, subpath: str = "") -> str:
    """A link as the user would write it, for messages and hints."""
    return f"{'!' if embed else ''}[[{target}{subpath}]]"


def _as_written(link: WikiLink, subpath: str = "") -> str:
    """The link in the syntax the note used: a wiki-link or a Markdown link."""
    if link.markdown:
        return f"{'!' if link.embed else ''}[{link.alias or ''}]({link.target}{subpath})"
    return _wiki(link.target, link.embed, subpath)


def _did_you_mean(links: Sequence[str]) -> str | None:
    return f"did you mean {_or_list(links)}?" if links else None


class _Suggester:
    """Closest names by difflib, narrowed first by shared trigrams.

    difflib alone scans every name (~50 ms for 10,000 notes) for each unknown target;
    the trigram shortlist keeps a vault full of broken links fast.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._display: dict[str, str] = {}
        for name in names:
            self._display.setdefault(_fold(name), name)
        self._keys = list(self._display)
        self._numbered = [_numbering(key) for key in self._keys]
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(self._keys):
            for gram in _trigrams(key):
                self._postings[gram].append(index)
        self._cache: dict[str, list[str]] = {}

    def suggest(self, word: str, besides: str) -> list[str]:
        """Up to three names close to `word`, never `besides` (the linking note itself)."""
        key = _fold(word)
        if key not in self._cache:
            skeleton, numbers = _numbering(key)
            candidates = [
                self._keys[index]
                for index in self._shortlist(key)
                if self._numbered[index][0] != skeleton or self._numbered[index][1] == numbers
            ]
            matches = difflib.get_close_matches(
                key, candidates, _MAX_SUGGESTIONS + 1, _SIMILARITY_CUTOFF
            )
            self._cache[key] = matches
        skipped = _fold(besides)
        kept = [match for match in self._cache[key] if match != skipped]
        return [self._display[match] for match in kept[:_MAX_SUGGESTIONS]]

    def _shortlist(self, key: str) -> Iterable[int]:
        """Names sharing the most trigrams with `key`, counted over its rarer trigrams
        only: a gram every name contains costs time and tells nothing."""
        if len(self._keys) <= _SHORTLIST:
            return range(len(self._keys))
        postings = sorted(
            (self._postings[gram] for gram in _trigrams(key) if gram in self._postings), key=len
        )
        shared: Counter[int] = Counter()
        budget = _POSTINGS_BUDGET
        for posting in postings:
            if shared and len(posting) > budget:
                break
            shared.update(posting)
            budget -= len(posting)
        return [index for index, _ in shared.most_common(_SHORTLIST)]


def _numbering(key: str) -> tuple[str, tuple[str, ...]]:
    """A name's form with generated numbers blanked out, and those numbers."""
    stem = key.rpartition(".")[0] if _looks_like_attachment(key) else key
    return _GENERATED_NUMBER.sub("#", stem), tuple(_GENERATED_NUMBER.findall(stem))


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


# --- files -----------------------------------------------------------------------------


class _File(NamedTuple):
    path: str
    link_form: str  # the path as a link writes it: notes lose `.md`
    key: str  # `link_form` folded


class _Match(NamedTuple):
    """What a link target names: the winner, and the tied candidates when ambiguous."""

    path: str | None
    tied: tuple[_File, ...] = ()
    siblings: tuple[_File, ...] = ()


_NO_MATCH = _Match(None)


class _FileIndex:
    """Files grouped by folded name, so a link finds its candidates in one lookup."""

    def __init__(self, paths: Iterable[str], is_note: bool) -> None:
        self._by_name: dict[str, list[_File]] = {}
        for path in paths:
            form = _strip_note_suffix(path) if is_note else path
            entry = _File(path, form, _fold(form))
            self._by_name.setdefault(entry.key.rpartition("/")[2], []).append(entry)
        self.names = [group[0].link_form.rpartition("/")[2] for group in self._by_name.values()]

    def find(self, key: str, exact: bool, suffix: str | None = None) -> _Match:
        """`key` is a folded link path; `exact` demands the whole path, not a suffix.

        `suffix` (folded) keeps only the notes of that file type; without it a Markdown
        note wins over a notebook of the same name."""
        group = self._by_name.get(key.rpartition("/")[2], [])
        if suffix is not None:
            group = [f for f in group if _note_suffix(f.path) == suffix]
        markdown = [f for f in group if _note_suffix(f.path) == _NOTE_SUFFIX]
        found = _matching(markdown, key, exact) or _matching(group, key, exact)
        if not found:
            return _NO_MATCH
        if len(found) == 1:
            return _Match(found[0].path)
        return _Match(found[0].path, tuple(found), tuple(group))


def _matching(group: Sequence[_File], key: str, exact: bool) -> list[_File]:
    """The shallowest files whose link form is `key` or ends with `/key`, sorted."""
    suffix = "/" + key
    found = [f for f in group if f.key == key or (not exact and f.key.endswith(suffix))]
    if not found:
        return []
    shallowest = min(_depth(f.path) for f in found)
    return sorted((f for f in found if _depth(f.path) == shallowest), key=lambda f: f.path)


def _shortest_unique_form(entry: _File, group: Sequence[_File]) -> str:
    """The shortest link that picks `entry` among same-named files, to suggest to users."""
    parts = entry.link_form.split("/")
    for start in range(len(parts) - 1, -1, -1):
        form = "/".join(parts[start:])
        winners = _matching(group, _fold(form), exact=False)
        if len(winners) == 1 and winners[0] is entry:
            return form
    return entry.link_form


# --- headings and blocks ---------------------------------------------------------------


def _heading_key(text: str) -> str:
    """Headings match ignoring case, punctuation and spacing, as Obsidian's links do."""
    folded = _fold(text)
    return _NOT_LETTER_OR_DIGIT.sub("", folded) or " ".join(folded.split())


def _heading_parts(written: str) -> list[str]:
    """`[[Note##H]]` and `[[Note#H#]]` mean `[[Note#H]]` to Obsidian."""
    return [part for part in written.split("#") if part.strip()]


class _Outline:
    """A note's headings and block ids, in the forms links are compared in."""

    def __init__(self, note: Note) -> None:
        self.headings: tuple[Heading, ...] = note.headings
        self._keys = [_heading_key(heading.text) for heading in note.headings]
        self.block_ids = {_fold(block.id): block.id for block in note.block_ids}
        self._found: dict[str, bool] = {}

    def has_heading(self, written: str) -> bool:
        """`written` is a link's heading part (`H1#H2`); cached, as many links share one."""
        found = self._found.get(written)
        if found is None:
            keys = [_heading_key(part) for part in _heading_parts(written)]
            found = self._found[written] = self._chain_from(keys, 0, len(self._keys))
        return found

    def _chain_from(self, keys: Sequence[str], start: int, end: int) -> bool:
        if not keys:
            return True
        for index in range(start, end):
            if self._keys[index] == keys[0] and self._chain_from(
                keys[1:], index + 1, self._section_end(index, end)
            ):
                return True
        return False

    def _section_end(self, index: int, end: int) -> int:
        level = self.headings[index].level
        for after in range(index + 1, end):
            if self.headings[after].level <= level:
                return after
        return end

    def closest_headings(self, part: str) -> list[str]:
        """Same heading first (the chain was wrong), then similar spellings."""
        key = _heading_key(part)
        same = [h.text for h, k in zip(self.headings, self._keys, strict=True) if k == key]
        by_fold = {_fold(h.text): h.text for h in self.headings}
        similar = difflib.get_close_matches(
            _fold(part), list(by_fold), _MAX_SUGGESTIONS, _SIMILARITY_CUTOFF
        )
        ranked = dict.fromkeys([*same, *(by_fold[s] for s in similar)])
        return list(ranked)[:_MAX_SUGGESTIONS]

    def closest_blocks(self, block: str) -> list[str]:
        matches = difflib.get_close_matches(
            _fold(block), list(self.block_ids), _MAX_SUGGESTIONS, _SIMILARITY_CUTOFF
        )
        return [self.block_ids[match] for match in matches]


# --- resolution ------------------------------------------------------------------------


class _Resolver:
    """Indexes built once per vault; per-target results are cached across notes."""

    def __init__(self, notes: Sequence[Note], attachments: Sequence[str]) -> None:
        self._notes = {note.path: note for note in notes}
        self._note_files = _FileIndex(self._notes, is_note=True)
        self._attachment_files = _FileIndex(attachments, is_note=False)
        self._outlines: dict[str, _Outline] = {}
        self._matches: dict[str, _Match] = {}

    # Built on first use: many vaults never need them.

    @cached_property
    def _note_names(self) -> _Suggester:
        return _Suggester(self._note_files.names)

    @cached_property
    def _attachment_names(self) -> _Suggester:
        return _Suggester(self._attachment_files.names)

    def _outline(self, path: str) -> _Outline:
        if path not in self._outlines:
            self._outlines[path] = _Outline(self._notes[path])
        return self._outlines[path]

    def resolve_note(self, note: Note, diagnostics: list[Diagnostic]) -> Note:
        if not note.links:
            return note
        links = [self._resolve_link(note, link, diagnostics) for link in note.links]
        return replace(note, links=tuple(links))

    def _resolve_link(self, note: Note, link: WikiLink, out: list[Diagnostic]) -> WikiLink:
        if not link.target.strip():
            target: str | None = note.path
        else:
            target = self._resolve_target(note, link, out)
        if (link.heading or link.block) and target in self._notes:
            self._check_subpath(note, link, self._outline(target), out)
        if link.resolved == target:
            return link
        # Built directly: dataclasses.replace costs a third of resolving a large vault.
        return WikiLink(
            link.target,
            link.heading,
            link.block,
            link.alias,
            link.embed,
            link.line,
            target,
            link.markdown,
        )

    def _resolve_target(self, note: Note, link: WikiLink, out: list[Diagnostic]) -> str | None:
        match = self._match(note.path, link.target)
        if match.path is None:
            out.append(self._missing(note, link))
        elif match.tied:
            out.append(_ambiguous(note, link, match))
        return match.path

    def _match(self, source: str, target: str) -> _Match:
        """Cached by target as written, except relative links, which depend on `source`."""
        cached = self._matches.get(target)
        if cached is not None:
            return cached
        written = target.strip().rstrip("\\").strip()  # `[[Note\|alias]]` inside tables
        if written.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), written))
            return _NO_MATCH if joined.startswith("../") else self._lookup(joined, exact=True)
        if written.startswith("/"):
            match = self._lookup(written.lstrip("/"), exact=True)
        else:
            match = self._lookup(written, exact=False)
        self._matches[target] = match
        return match

    def _lookup(self, written: str, exact: bool) -> _Match:
        if not written:
            return _NO_MATCH
        suffix = _note_suffix(written)
        if suffix:
            match = self._note_files.find(_fold(_strip_note_suffix(written)), exact, suffix)
            if match.path is not None or suffix == _NOTE_SUFFIX:
                return match
        indexes = [self._note_files, self._attachment_files]
        if _looks_like_attachment(written):
            indexes.reverse()
        key = _fold(written)
        for index in indexes:
            match = index.find(key, exact)
            if match.path is not None:
                return match
        return _NO_MATCH

    def _missing(self, note: Note, link: WikiLink) -> Diagnostic:
        name = link.target.strip().rstrip("\\").strip().rpartition("/")[2]
        if _looks_like_attachment(name):
            code, suggester = "missing-attachment", self._attachment_names
        else:
            code, suggester = "unresolved-link", self._note_names
            name = _strip_note_suffix(name)
        own_name = _strip_note_suffix(note.path).rpartition("/")[2]
        found = suggester.suggest(name, besides=own_name) if name else []
        hints = [_wiki(each, link.embed) for each in found]
        return Diagnostic(
            note.path,
            link.line,
            "warning",
            code,
            f"{code.replace('-', ' ')} {_as_written(link)}",
            _did_you_mean(hints),
        )

    def _check_subpath(
        self, note: Note, link: WikiLink, outline: _Outline, out: list[Diagnostic]
    ) -> None:
        if link.heading and not outline.has_heading(link.heading):
            hints = [
                _wiki(link.target, link.embed, f"#{text}")
                for text in outline.closest_headings(_heading_parts(link.heading)[-1])
            ]
            out.append(_subpath_problem(note, link, "unresolved-heading", hints))
        if link.block and _fold(link.block) not in outline.block_ids:
            hints = [
                _wiki(link.target, link.embed, f"#^{block}")
                for block in outline.closest_blocks(link.block)
            ]
            out.append(_subpath_problem(note, link, "unresolved-block", hints))


def _written_subpath(link: WikiLink) -> str:
    heading = f"#{link.heading}" if link.heading else ""
    block = f"#^{link.block}" if link.block else ""
    return heading + block


def _subpath_problem(note: Note, link: WikiLink, code: str, hints: Sequence[str]) -> Diagnostic:
    written = _as_written(link, _written_subpath(link))
    message = f"{code.replace('-', ' ')} {written}"
    return Diagnostic(note.path, link.line, "warning", code, message, _did_you_mean(hints))


def _ambiguous(note: Note, link: WikiLink, match: _Match) -> Diagnostic:
    paths = ", ".join(entry.path for entry in match.tied)
    choices = [
        _wiki(_shortest_unique_form(entry, match.siblings), link.embed) for entry in match.tied
    ]
    return Diagnostic(
        note.path,
        link.line,
        "warning",
        "ambiguous-link",
        f"ambiguous link {_as_written(link)} matches {paths}",
        f"resolved to {match.path}; write {_or_list(choices)} to choose",
    )


# --- indexes ---------------------------------------------------------------------------


def _backlinks(notes: Sequence[Note]) -> dict[str, tuple[str, ...]]:
    """Every note gets an entry, so pages can show "no backlinks" without a lookup miss."""
    sources: dict[str, set[str]] = {note.path: set() for note in notes}
    for note in notes:
        for link in note.links:
            if link.resolved in sources and link.resolved != note.path:
                sources[link.resolved].add(note.path)
    return {path: tuple(sorted(found)) for path, found in sorted(sources.items())}


def _link_targets(note: Note) -> set[str]:
    return {link.resolved for link in note.links if link.resolved and link.resolved != note.path}


def _updated_backlinks(
    backlinks: dict[str, tuple[str, ...]], before: dict[str, Note], notes: dict[str, Note]
) -> dict[str, tuple[str, ...]]:
    """`backlinks` with the entries the edited notes entered or left changed."""
    updated = dict(backlinks)
    for path, old in before.items():
        old_targets, new_targets = _link_targets(old), _link_targets(notes[path])
        for target in (old_targets - new_targets) & updated.keys():
            updated[target] = tuple(source for source in updated[target] if source != path)
        for target in (new_targets - old_targets) & updated.keys():
            updated[target] = tuple(sorted({*updated[target], path}))
    return updated


def _updated_tags(
    tags: dict[str, tuple[str, ...]], before: dict[str, Note], notes: dict[str, Note]
) -> dict[str, tuple[str, ...]]:
    """`tags` with the groups the edited notes are or were in rebuilt from their members
    (a group's display spelling is its first member's, which an edit can change)."""
    groups = {_fold(name): (name, paths) for name, paths in tags.items()}
    members: dict[str, set[str]] = {}
    for path, old in before.items():
        for name in _tag_names(old):
            key = _fold(name)
            members.setdefault(key, set(groups[key][1])).discard(path)
        for name in _tag_names(notes[path]):
            key = _fold(name)
            members.setdefault(key, set(groups[key][1]) if key in groups else set()).add(path)
    for key, paths in members.items():
        if not paths:
            groups.pop(key, None)
            continue
        first = notes[min(paths)]
        name = next(name for name in _tag_names(first) if _fold(name) == key)
        groups[key] = (name, tuple(sorted(paths)))
    return {name: paths for _, (name, paths) in sorted(groups.items())}


def _tag_names(note: Note) -> dict[str, None]:
    """Frontmatter and inline tags, with each nested tag's parents (`a/b` counts for `a`),
    each once, in order of appearance."""
    names: dict[str, None] = {}
    for raw in dict.fromkeys([*note.tags, *(tag.name for tag in note.inline_tags)]):
        parts = [part for part in raw.strip().lstrip("#").split("/") if part]
        for depth in range(1, len(parts) + 1):
            names["/".join(parts[:depth])] = None
    return names


def _tag_index(notes: Sequence[Note]) -> dict[str, tuple[str, ...]]:
    """`notes` in path order, which makes every member list come out sorted."""
    display: dict[str, str] = {}
    members: defaultdict[str, list[str]] = defaultdict(list)
    for note in notes:
        spelled: dict[str, str] = {}
        for name in _tag_names(note):
            spelled.setdefault(_fold(name), name)
        for key, name in spelled.items():
            display.setdefault(key, name)
            members[key].append(note.path)
    return {display[key]: tuple(members[key]) for key in sorted(members)}
