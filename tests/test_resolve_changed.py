"""`resolve_changed`: re-resolving edited notes gives what resolving the whole vault gives."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_runner.model import Diagnostic, Note, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.resolve import resolve_changed, resolve_vault

BASE = {
    "A.md": "---\ntags: [ML]\n---\n# Intro\nSee [[B]] and [[C#Part]].\n",
    "B.md": "# Part\nBack to [[A#Intro]] #ml #topic/sub\n",
    "C.md": "# Part\n## Detail\nText [[A]] #Topic ^anchor\n",
    "D.md": "Nothing here but [[B#Part]] and [[C#^anchor]].\n",
    "img/E.md": "Folder note #ml/deep [[Missing]]\n",
}
ATTACHMENTS = ("img/pic.png",)


def parsed(files: dict[str, str]) -> list[Note]:
    return [parse_note(SourceFile(path, text))[0] for path, text in files.items()]


def edited_vault(edits: dict[str, str]) -> tuple[Note, ...]:
    """The notes of the full resolve of BASE with `edits` applied, for comparison."""
    vault, _ = resolve_vault(parsed({**BASE, **edits}), ATTACHMENTS)
    return vault.notes


def problems_of(diagnostics: Sequence[Diagnostic], paths: set[str]) -> list[Diagnostic]:
    return [problem for problem in diagnostics if problem.path in paths]


EDITS = {
    "link added": {"D.md": "Now [[A]] too, [[B#Part]] and [[C#^anchor]].\n"},
    "link removed": {"A.md": "---\ntags: [ML]\n---\n# Intro\nSee [[C#Part]].\n"},
    "tag added": {"D.md": "New #fresh and #ML tags [[B#Part]] [[C#^anchor]]\n"},
    "tag removed": {"C.md": "# Part\n## Detail\nText [[A]] ^anchor\n"},
    "first spelling changes": {"A.md": "---\ntags: [Ml]\n---\n# Intro\nSee [[B]] [[C#Part]].\n"},
    "most used spelling changes": {"img/E.md": "Folder note #ML/deep [[Missing]]\n"},
    "only member leaves": {"img/E.md": "Folder note [[Missing]]\n"},
    "heading renamed": {"C.md": "# Section\n## Detail\nText [[A]] #Topic ^anchor\n"},
    "block id removed": {"C.md": "# Part\n## Detail\nText [[A]] #Topic\n"},
    "two notes at once": {
        "B.md": "# Part\nNo links now #other\n",
        "D.md": "Link to [[img/E]] and [[Missing2]] and [[pic.png]]\n",
    },
}


@pytest.mark.parametrize("edits", EDITS.values(), ids=EDITS.keys())
def test_same_vault_as_a_full_resolve(edits: dict[str, str]) -> None:
    vault, _ = resolve_vault(parsed(BASE), ATTACHMENTS)
    updated, _ = resolve_changed(vault, parsed(edits))
    expected, _ = resolve_vault(parsed({**BASE, **edits}), ATTACHMENTS)
    assert updated == expected


def test_tag_group_takes_the_spelling_most_of_its_members_use() -> None:
    vault, _ = resolve_vault(parsed(BASE), ATTACHMENTS)
    assert vault.tags["ml"] == ("A.md", "B.md", "img/E.md")  # ml twice, ML once
    updated, _ = resolve_changed(vault, parsed(EDITS["first spelling changes"]))
    assert updated.tags["ml"] == ("A.md", "B.md", "img/E.md")  # Ml, ml, ml
    updated, _ = resolve_changed(vault, parsed(EDITS["most used spelling changes"]))
    assert updated.tags["ML"] == ("A.md", "B.md", "img/E.md")  # ML, ml, ML
    assert "ml" not in updated.tags


def test_diagnostics_of_the_changed_note() -> None:
    vault, _ = resolve_vault(parsed(BASE), ATTACHMENTS)
    _, problems = resolve_changed(vault, parsed({"D.md": "See [[Nowhere]]\n"}))
    assert problems == [
        Diagnostic("D.md", 1, "warning", "unresolved-link", "unresolved link [[Nowhere]]")
    ]


def test_notes_linking_to_a_renamed_heading_are_checked_again() -> None:
    edits = EDITS["heading renamed"]
    vault, _ = resolve_vault(parsed(BASE), ATTACHMENTS)
    _, problems = resolve_changed(vault, parsed(edits))
    _, full = resolve_vault(parsed({**BASE, **edits}), ATTACHMENTS)
    assert problems == problems_of(full, {"A.md", "C.md", "D.md"})
    assert [(p.path, p.line, p.code) for p in problems] == [("A.md", 5, "unresolved-heading")]


def test_a_note_not_in_the_vault_is_refused() -> None:
    vault, _ = resolve_vault(parsed(BASE), ATTACHMENTS)
    with pytest.raises(ValueError, match=r"not in the vault: New\.md"):
        resolve_changed(vault, parsed({"New.md": "hello\n"}))


NAMES = ("A", "B", "C", "D", "img/E", "Missing", "pic.png")
TAGS = ("ML", "ml", "Ml", "topic/sub", "Topic", "fresh")


@st.composite
def note_texts(draw: st.DrawFn) -> str:
    heading = draw(st.sampled_from(("Intro", "Part", "Other")))
    links = draw(st.lists(st.sampled_from(NAMES), max_size=4))
    subs = draw(st.lists(st.sampled_from(("", "#Part", "#Intro", "#^anchor")), min_size=4))
    tags = draw(st.lists(st.sampled_from(TAGS), max_size=3))
    written = " ".join(f"[[{name}{sub}]]" for name, sub in zip(links, subs, strict=False))
    return f"# {heading}\nText {written} {' '.join('#' + tag for tag in tags)}\n"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(BASE)), note_texts(), min_size=1, max_size=3))
def test_any_edit_matches_a_full_resolve(edits: dict[str, str]) -> None:
    vault, _ = resolve_vault(parsed(BASE), ATTACHMENTS)
    updated, _ = resolve_changed(vault, parsed(edits))
    assert updated == resolve_vault(parsed({**BASE, **edits}), ATTACHMENTS)[0]
