"""The indexes built from resolved notes: backlinks and tags, whole or updated after edits.

Tags: Obsidian treats `#ML` and `#ml` as one tag, so the index groups them, keyed by
the spelling most of its notes use (ties: the one seen first, notes in path order),
which every page then shows: the index, the tag page and each note's tag list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from notebook_runner.model import Note, fold


def backlinks(paths: Sequence[str], targets: Sequence[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """`targets[i]`: where the links of the note at `paths[i]` lead. `paths` in sorted
    order, which makes every source list come out sorted. Every note gets an entry, so
    pages can show "no backlinks" without a lookup miss."""
    sources: dict[str, list[str]] = {path: [] for path in paths}
    for path, linked in zip(paths, targets, strict=True):
        for target in linked:
            found = sources.get(target)
            # A note linking twice (or two notes of one path) is one source.
            if found is not None and target != path and (not found or found[-1] != path):
                found.append(path)
    return {path: tuple(found) for path, found in sources.items()}


def updated_backlinks(
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


def _link_targets(note: Note) -> set[str]:
    return {link.resolved for link in note.links if link.resolved and link.resolved != note.path}


def tag_index(tagged: Iterable[tuple[str, Sequence[str]]]) -> dict[str, tuple[str, ...]]:
    """`tagged`: each note's path and its tags as written (`Note.tag_names`), notes in
    path order, which makes every member list come out sorted."""
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    members: defaultdict[str, list[str]] = defaultdict(list)
    expanded: dict[str, list[tuple[str, str]]] = {}  # vaults reuse a few tags everywhere
    for path, raw_tags in tagged:
        spelled: dict[str, str] = {}
        for raw in raw_tags:
            names = expanded.get(raw)
            if names is None:
                names = expanded[raw] = [(fold(name), name) for name in _with_parents(raw)]
            for key, name in names:
                spelled.setdefault(key, name)
        for key, name in spelled.items():
            spellings[key][name] += 1
            members[key].append(path)
    return {_most_used(spellings[key]): tuple(members[key]) for key in sorted(members)}


def _most_used(spellings: Counter[str]) -> str:
    """The spelling most notes use; `Counter` keeps first-seen order, so ties go to the
    note first in path order."""
    return spellings.most_common(1)[0][0]


def updated_tags(
    tags: dict[str, tuple[str, ...]], before: dict[str, Note], notes: dict[str, Note]
) -> dict[str, tuple[str, ...]]:
    """`tags` with the groups the edited notes are or were in rebuilt from their members
    (an edit can change which spelling most of them use)."""
    groups = {fold(name): (name, paths) for name, paths in tags.items()}
    members: dict[str, set[str]] = {}
    for path, old in before.items():
        for name in _tag_names(old):
            key = fold(name)
            members.setdefault(key, set(groups[key][1])).discard(path)
        for name in _tag_names(notes[path]):
            key = fold(name)
            members.setdefault(key, set(groups[key][1]) if key in groups else set()).add(path)
    for key, paths in members.items():
        if not paths:
            groups.pop(key, None)
            continue
        ordered = sorted(paths)
        spelled = (next(n for n in _tag_names(notes[p]) if fold(n) == key) for p in ordered)
        groups[key] = (_most_used(Counter(spelled)), tuple(ordered))
    return {name: paths for _, (name, paths) in sorted(groups.items())}


def _tag_names(note: Note) -> dict[str, None]:
    """Frontmatter and inline tags, with each nested tag's parents, each once, in order
    of appearance."""
    names: dict[str, None] = {}
    for raw in note.tag_names:
        names.update(dict.fromkeys(_with_parents(raw)))
    return names


def _with_parents(raw: str) -> list[str]:
    """`#a/b` counts for `a` too: `["a", "a/b"]`."""
    parts = [part for part in raw.strip().lstrip("#").split("/") if part]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
