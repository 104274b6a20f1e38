"""Link resolution, backlinks and tags, checked against Obsidian's behaviour.

Notes are built directly as model objects, so these tests do not depend on the parser.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_runner.model import (
    BlockId,
    Diagnostic,
    Heading,
    Note,
    NoteSummary,
    Tag,
    Vault,
    WikiLink,
)
from notebook_runner.resolve import assembled_vault, link_resolver, resolve_vault, vault_map


def link(
    target: str,
    line: int = 1,
    heading: str | None = None,
    block: str | None = None,
    embed: bool = False,
    alias: str | None = None,
) -> WikiLink:
    return WikiLink(target, heading, block, alias, embed, line)


def note(
    path: str,
    *links: WikiLink,
    headings: Sequence[tuple[int, str]] = (),
    blocks: Sequence[str] = (),
    tags: Sequence[str] = (),
    inline_tags: Sequence[str] = (),
) -> Note:
    return Note(
        path=path,
        title=path.rpartition("/")[2].removesuffix(".md"),
        frontmatter={},
        tags=tuple(tags),
        headings=tuple(
            Heading(level, text, number + 1, text.lower().replace(" ", "-"))
            for number, (level, text) in enumerate(headings)
        ),
        links=links,
        block_ids=tuple(BlockId(block, 1) for block in blocks),
        inline_tags=tuple(Tag(name, 1) for name in inline_tags),
    )


def resolved_from(
    path: str, notes: Sequence[Note], attachments: Sequence[str] = ()
) -> list[str | None]:
    """Where each link of the note at `path` leads once the vault is resolved."""
    vault, _ = resolve_vault(notes, attachments)
    return links_of(vault, path)


def links_of(vault: Vault, path: str) -> list[str | None]:
    (found,) = [each for each in vault.notes if each.path == path]
    return [each.resolved for each in found.links]


def warning(path: str, line: int, code: str, message: str, hint: str | None) -> Diagnostic:
    return Diagnostic(path, line, "warning", code, message, hint)


# --- matching by name ------------------------------------------------------------------


def test_link_finds_note_by_name_in_any_folder_ignoring_case_and_md_suffix() -> None:
    notes = [
        note("a.md", link("lesson 2"), link("LESSON 2.md"), link("Lesson 2.MD")),
        note("course/deep/Lesson 2.md"),
    ]
    vault, problems = resolve_vault(notes)
    assert problems == []
    assert links_of(vault, "a.md") == ["course/deep/Lesson 2.md"] * 3


def test_names_match_across_unicode_normalisation_forms() -> None:
    decomposed = "\u1100\u1161\u11a8 공부.md"  # 각 written as conjoining jamo, as macOS stores it
    assert resolved_from("a.md", [note("a.md", link("각 공부")), note(decomposed)]) == [decomposed]


def test_folder_prefix_disambiguates_by_path_ending() -> None:
    notes = [
        note("a.md", link("b/Note"), link("x/B/note"), link("y/b/Note"), link("c/Note")),
        note("x/a/Note.md"),
        note("x/b/Note.md"),
    ]
    vault, problems = resolve_vault(notes)
    assert links_of(vault, "a.md") == [
        "x/b/Note.md",
        "x/b/Note.md",
        None,
        None,
    ]
    assert [(p.line, p.code, p.message) for p in problems] == [
        (1, "unresolved-link", "unresolved link [[y/b/Note]]"),
        (1, "unresolved-link", "unresolved link [[c/Note]]"),
    ]


def test_folder_prefix_must_be_whole_folder_names() -> None:
    assert resolved_from("a.md", [note("a.md", link("b/Note")), note("ab/Note.md")]) == [None]


def test_shortest_path_wins_without_a_diagnostic() -> None:
    notes = [note("z/y/a.md", link("Note")), note("x/y/Note.md"), note("w/Note.md")]
    vault, problems = resolve_vault(notes)
    assert problems == []
    assert links_of(vault, "z/y/a.md") == ["w/Note.md"]


def test_tie_at_same_depth_is_ambiguous_and_resolves_to_first_sorted() -> None:
    notes = [note("top.md", link("Note", line=7)), note("b/Note.md"), note("a/Note.md")]
    vault, problems = resolve_vault(notes)
    assert links_of(vault, "top.md") == ["a/Note.md"]
    assert problems == [
        warning(
            "top.md",
            7,
            "ambiguous-link",
            "ambiguous link [[Note]] matches a/Note.md, b/Note.md",
            "resolved to a/Note.md; write [[a/Note]] or [[b/Note]] to choose",
        )
    ]


def test_ambiguity_hint_uses_the_shortest_path_that_picks_each_note() -> None:
    notes = [
        note("top.md", link("x/Note", line=2)),
        note("a/x/Note.md"),
        note("b/x/Note.md"),
        note("c/Note.md"),
    ]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "top.md",
            2,
            "ambiguous-link",
            "ambiguous link [[x/Note]] matches a/x/Note.md, b/x/Note.md",
            "resolved to a/x/Note.md; write [[a/x/Note]] or [[b/x/Note]] to choose",
        )
    ]


def test_notes_differing_only_in_case_are_ambiguous() -> None:
    notes = [note("top.md", link("note", line=3)), note("Note.md"), note("note.md")]
    vault, problems = resolve_vault(notes)
    assert links_of(vault, "top.md") == ["Note.md"]
    assert problems == [
        warning(
            "top.md",
            3,
            "ambiguous-link",
            "ambiguous link [[note]] matches Note.md, note.md",
            "resolved to Note.md; write [[Note]] or [[note]] to choose",
        )
    ]


def test_relative_and_root_paths() -> None:
    notes = [
        note(
            "a/b/here.md", link("../Note"), link("./Note"), link("../../../Note"), link("/a/Note")
        ),
        note("a/Note.md"),
        note("Note.md"),
    ]
    assert resolved_from("a/b/here.md", notes) == ["a/Note.md", None, None, "a/Note.md"]


def test_trailing_backslash_of_a_link_in_a_table_is_ignored() -> None:
    # Obsidian writes `[[Note\|alias]]` inside tables so the pipe does not split a cell.
    notes = [note("a.md", link("Note\\", alias="alias")), note("Note.md")]
    assert resolved_from("a.md", notes) == ["Note.md"]


def test_resolution_keeps_every_other_link_field() -> None:
    original = link("Note", line=4, heading="Part", alias="see", embed=True)
    notes = [note("a.md", original), note("Note.md", headings=[(2, "Part")])]
    vault, _ = resolve_vault(notes)
    (resolved,) = [each for each in vault.notes if each.path == "a.md"]
    assert resolved.links == (WikiLink("Note", "Part", None, "see", True, 4, resolved="Note.md"),)


# --- same-note links -------------------------------------------------------------------


def test_same_note_links_resolve_to_the_note_itself() -> None:
    same = note(
        "n.md",
        link("", heading="Intro"),
        link("", block="b1"),
        headings=[(1, "Intro")],
        blocks=["b1"],
    )
    vault, problems = resolve_vault([same, note("other/n.md")])
    assert problems == []
    assert links_of(vault, "n.md") == ["n.md", "n.md"]


def test_missing_same_note_heading_suggests_its_headings() -> None:
    notes = [note("n.md", link("", line=5, heading="Introdution"), headings=[(1, "Introduction")])]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "n.md",
            5,
            "unresolved-heading",
            "unresolved heading [[#Introdution]]",
            "did you mean [[#Introduction]]?",
        )
    ]


# --- unresolved links ------------------------------------------------------------------


def test_unresolved_link_names_the_closest_notes_best_first_except_the_linking_note() -> None:
    notes = [
        note("Lesson 3.md", link("Lesson 2", line=18)),
        note("Lesson 2b.md"),
        note("lesson 20.md"),
        note("Lesson 1.md"),
        note("Cooking.md"),
    ]
    vault, problems = resolve_vault(notes)
    assert links_of(vault, "Lesson 3.md") == [None]
    assert problems == [
        warning(
            "Lesson 3.md",
            18,
            "unresolved-link",
            "unresolved link [[Lesson 2]]",
            "did you mean [[Lesson 2b]], [[lesson 20]] or [[Lesson 1]]?",
        )
    ]


def test_unresolved_link_without_close_names_has_no_hint() -> None:
    _, problems = resolve_vault([note("a.md", link("Quantum Chromodynamics", line=2))])
    assert problems == [
        warning("a.md", 2, "unresolved-link", "unresolved link [[Quantum Chromodynamics]]", None)
    ]


def test_unresolved_link_message_keeps_the_target_as_written() -> None:
    notes = [
        note("a.md", link("folder/Lesson 2.md", line=3, heading="Intro")),
        note("Lesson 22.md"),
    ]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "a.md",
            3,
            "unresolved-link",
            "unresolved link [[folder/Lesson 2.md]]",
            "did you mean [[Lesson 22]]?",
        )
    ]


def test_unresolved_note_embed_is_an_unresolved_link() -> None:
    # `2.5` is a version number, not a file extension: this embeds a note.
    notes = [note("a.md", link("Lesson 2.5", line=9, embed=True)), note("Lesson 2.6.md")]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "a.md",
            9,
            "unresolved-link",
            "unresolved link ![[Lesson 2.5]]",
            "did you mean ![[Lesson 2.6]]?",
        )
    ]


def test_unresolved_embed_of_a_note_with_md_suffix_is_not_an_attachment() -> None:
    _, problems = resolve_vault([note("a.md", link("Gone.md", line=2, embed=True))])
    assert problems == [warning("a.md", 2, "unresolved-link", "unresolved link ![[Gone.md]]", None)]


def test_suggestions_stay_good_in_a_large_vault() -> None:
    names = [f"Note {number:05d}" for number in range(5000)]
    notes = [note("a.md", link("Lesson Plan 1")), *(note(f"n/{name}.md") for name in names)]
    notes.append(note("x/Lesson Plan.md"))
    _, problems = resolve_vault(notes)
    assert [p.hint for p in problems] == ["did you mean [[Lesson Plan]]?"]


# --- headings and blocks ---------------------------------------------------------------


def test_heading_matches_ignoring_case_punctuation_and_spacing() -> None:
    notes = [
        note("a.md", link("B", heading="whats new"), link("B", heading="Step 1: Setup ")),
        note("B.md", headings=[(2, "What's New?"), (3, "Step 1 - setup")]),
    ]
    _, problems = resolve_vault(notes)
    assert problems == []


def test_missing_heading_is_reported_with_the_closest_headings() -> None:
    notes = [
        note("a.md", link("B", line=4, heading="Instal")),
        note("B.md", headings=[(1, "Install"), (2, "Installing"), (2, "Usage")]),
    ]
    vault, problems = resolve_vault(notes)
    assert links_of(vault, "a.md") == ["B.md"]
    assert problems == [
        warning(
            "a.md",
            4,
            "unresolved-heading",
            "unresolved heading [[B#Instal]]",
            "did you mean [[B#Install]] or [[B#Installing]]?",
        )
    ]


def test_nested_heading_must_lie_under_its_parent() -> None:
    headings = [(1, "Setup"), (2, "Install"), (1, "Usage"), (2, "Run"), (3, "Flags")]
    notes = [
        note(
            "a.md",
            link("B", line=1, heading="Setup#Install"),
            link("B", line=2, heading="Usage#Flags"),
            link("B", line=3, heading="Setup#Run"),
            link("B", line=4, heading="Setup##Install"),
        ),
        note("B.md", headings=headings),
    ]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "a.md",
            3,
            "unresolved-heading",
            "unresolved heading [[B#Setup#Run]]",
            "did you mean [[B#Run]]?",
        )
    ]


def test_nested_heading_tries_every_heading_with_the_parent_name() -> None:
    headings = [(2, "Example"), (3, "Input"), (2, "Example"), (3, "Output")]
    notes = [note("a.md", link("B", heading="Example#Output")), note("B.md", headings=headings)]
    assert resolve_vault(notes)[1] == []


def test_headings_of_another_section_end_the_parent_section() -> None:
    headings = [(2, "Setup"), (2, "Other"), (3, "Install")]
    notes = [note("a.md", link("B", heading="Setup#Install")), note("B.md", headings=headings)]
    assert [p.code for p in resolve_vault(notes)[1]] == ["unresolved-heading"]


def test_missing_block_is_reported_with_the_closest_ids() -> None:
    notes = [
        note("a.md", link("B", block="summary"), link("B", line=6, block="sumary")),
        note("B.md", blocks=["summary", "other"]),
    ]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "a.md",
            6,
            "unresolved-block",
            "unresolved block [[B#^sumary]]",
            "did you mean [[B#^summary]]?",
        )
    ]


def test_subpaths_are_not_checked_for_unresolved_links() -> None:
    _, problems = resolve_vault([note("a.md", link("Gone", heading="H", block="b"))])
    assert [p.code for p in problems] == ["unresolved-link"]


# --- attachments -----------------------------------------------------------------------


def test_attachment_embeds_resolve_by_file_name() -> None:
    notes = [
        note(
            "notes/a.md",
            link("image.png", embed=True),
            link("Pasted Image.PNG", embed=True, alias="100x145"),
            link("clips/video.mp4", embed=True),
            link("paper.pdf", heading="page=3"),
        )
    ]
    attachments = ["assets/image.png", "assets/pasted image.png", "x/clips/video.mp4", "paper.pdf"]
    vault, problems = resolve_vault(notes, attachments)
    assert problems == []
    assert links_of(vault, "notes/a.md") == [
        "assets/image.png",
        "assets/pasted image.png",
        "x/clips/video.mp4",
        "paper.pdf",
    ]


def test_shortest_attachment_path_wins() -> None:
    attachments = ["deep/er/pic.png", "top/pic.png"]
    notes = [note("a.md", link("pic.png", embed=True))]
    assert resolved_from("a.md", notes, attachments) == ["top/pic.png"]


def test_missing_attachment_suggests_existing_files() -> None:
    notes = [note("a.md", link("diagram.jpg", line=12, embed=True, alias="300"))]
    _, problems = resolve_vault(notes, ["img/diagram.png", "img/photo.jpg"])
    assert problems == [
        warning(
            "a.md",
            12,
            "missing-attachment",
            "missing attachment ![[diagram.jpg]]",
            "did you mean ![[diagram.png]]?",
        )
    ]


def test_link_to_a_missing_pdf_is_a_missing_attachment() -> None:
    _, problems = resolve_vault([note("a.md", link("paper.pdf", line=3))], ["papr.pdf"])
    assert problems == [
        warning(
            "a.md",
            3,
            "missing-attachment",
            "missing attachment [[paper.pdf]]",
            "did you mean [[papr.pdf]]?",
        )
    ]


def test_files_differing_only_in_a_generated_number_are_not_suggested() -> None:
    notes = [
        note(
            "a.md",
            link("Pasted image 20240904120918.png", line=1, embed=True),
            link("Pasted image 20240725154328.jpg", line=2, embed=True),
        )
    ]
    _, problems = resolve_vault(notes, ["Pasted image 20240725154328.png"])
    assert [(p.line, p.code, p.hint) for p in problems] == [
        (1, "missing-attachment", None),
        (2, "missing-attachment", "did you mean ![[Pasted image 20240725154328.png]]?"),
    ]


def test_a_file_like_target_prefers_the_attachment_over_a_note() -> None:
    notes = [note("a.md", link("chart.png", embed=True)), note("chart.png.md")]
    assert resolved_from("a.md", notes, ["chart.png"]) == ["chart.png"]


def test_a_missing_note_named_like_a_file_type_is_an_unresolved_link() -> None:
    _, problems = resolve_vault([note("a.md", link("PDF", line=2, embed=True))])
    assert [(p.code, p.message) for p in problems] == [
        ("unresolved-link", "unresolved link ![[PDF]]")
    ]


def test_a_note_named_like_a_file_is_still_found() -> None:
    notes = [note("a.md", link("Node.js")), note("Node.js.md")]
    assert resolved_from("a.md", notes) == ["Node.js.md"]


# --- backlinks -------------------------------------------------------------------------


def test_backlinks_list_every_note_with_sorted_unique_sources() -> None:
    notes = [
        note("c.md", link("Target"), link("Target#x"), link("c")),
        note("a.md", link("Target", embed=True), link("pic.png", embed=True)),
        note("Target.md", link("Target"), link("", heading="Top")),
        note("lonely.md", link("missing")),
    ]
    vault, _ = resolve_vault(notes, ["pic.png"])
    assert vault.backlinks == {
        "Target.md": ("a.md", "c.md"),
        "a.md": (),
        "c.md": (),
        "lonely.md": (),
    }


# --- tags ------------------------------------------------------------------------------


def test_tags_group_case_insensitively_under_the_first_spelling() -> None:
    notes = [
        note("b.md", tags=["ml"], inline_tags=["Code"]),
        note("a.md", tags=["ML", "#Fast-ai"], inline_tags=["ml"]),
    ]
    vault, _ = resolve_vault(notes)
    assert vault.tags == {"Code": ("b.md",), "Fast-ai": ("a.md",), "ML": ("a.md", "b.md")}


def test_nested_tags_count_for_their_parents() -> None:
    notes = [note("a.md", inline_tags=["ML/vision/cnn"]), note("b.md", tags=["ml/nlp"])]
    vault, _ = resolve_vault(notes)
    assert vault.tags == {
        "ML": ("a.md", "b.md"),
        "ML/vision": ("a.md",),
        "ML/vision/cnn": ("a.md",),
        "ml/nlp": ("b.md",),
    }


def test_empty_tags_are_ignored() -> None:
    vault, _ = resolve_vault([note("a.md", tags=["", "#", " / "])])
    assert vault.tags == {}


# --- whole-vault properties ------------------------------------------------------------


def test_output_does_not_depend_on_input_order() -> None:
    notes = [
        note("b/Note.md", link("Note"), tags=["T"]),
        note("a/Note.md", link("Nope", heading="x"), tags=["t"]),
        note("c.md", link("b/Note", heading="H"), link("pic.png", embed=True)),
    ]
    first = resolve_vault(notes, ["z/pic.png", "a/pic.png"])
    for seed in range(5):
        shuffled = list(notes)
        random.Random(seed).shuffle(shuffled)
        assert resolve_vault(shuffled, ["a/pic.png", "z/pic.png"]) == first
    vault, _ = first
    assert [each.path for each in vault.notes] == ["a/Note.md", "b/Note.md", "c.md"]
    assert vault.attachments == ("a/pic.png", "z/pic.png")


def test_input_notes_are_not_changed() -> None:
    original = note("a.md", link("b"))
    resolve_vault([original, note("b.md")])
    assert original.links[0].resolved is None


@settings(max_examples=200, deadline=None)
@given(
    targets=st.lists(st.text(max_size=12), max_size=6),
    names=st.lists(st.text(min_size=1, max_size=8), max_size=6),
)
def test_any_link_text_gives_a_known_path_or_none_and_never_raises(
    targets: list[str], names: list[str]
) -> None:
    notes = [
        note(
            f"{name}.md", *(link(t, line=i + 1, heading=t, block=t) for i, t in enumerate(targets))
        )
        for name in dict.fromkeys(names)
    ]
    attachments = [f"{name}.png" for name in names]
    vault, problems = resolve_vault(notes, attachments)
    known = {each.path for each in vault.notes} | set(attachments)
    assert all(found.resolved in known | {None} for each in vault.notes for found in each.links)
    assert all(1 <= p.line <= max(len(targets), 1) for p in problems)


def test_ten_thousand_notes_resolve_quickly() -> None:
    rng = random.Random(7)
    words = ["lesson", "neural", "chain", "rule", "video", "notes", "torch", "data", "intro"]
    names = [f"{rng.choice(words)} {rng.choice(words)} {number}" for number in range(10_000)]
    notes = []
    for number, name in enumerate(names):
        targets = [names[rng.randrange(len(names))] for _ in range(5)]
        if number % 10 == 0:
            targets.append(f"{rng.choice(words)} missing {number % 300}")
        links = [link(target, line=index + 1) for index, target in enumerate(targets)]
        notes.append(note(f"f{number % 30}/{name}.md", *links, tags=[rng.choice(words)]))
    started = time.process_time()  # CPU time: other jobs on the machine do not count
    vault, problems = resolve_vault(notes)
    elapsed = time.process_time() - started
    assert len(problems) == 1_000
    assert sum(len(sources) for sources in vault.backlinks.values()) > 40_000
    # About 0.6 s here; an accidental notes x links scan would take minutes.
    assert elapsed < 1.5, f"resolving 10,000 notes took {elapsed:.2f} s"


def test_markdown_links_are_quoted_as_written() -> None:
    written = WikiLink("/faq", "coding", None, "careful", False, 7, markdown=True)
    heading = WikiLink("Home.md", "Missing part", None, "home", False, 8, markdown=True)
    notes = [note("Guide.md", written, heading), note("Home.md", headings=[(1, "Start")])]
    _, problems = resolve_vault(notes)
    assert [(p.line, p.code, p.message) for p in problems] == [
        (7, "unresolved-link", "unresolved link [careful](/faq)"),
        (8, "unresolved-heading", "unresolved heading [home](Home.md#Missing part)"),
    ]


def test_links_resolved_from_file_names_alone_lead_where_the_reported_ones_do() -> None:
    """What `build`'s workers do, with no note's headings or block ids to check against:
    links with problems still lead to the same files, backlinks and tags are the same."""
    notes = [
        note("A.md", link("B"), link("B", heading="Missing"), link("Nowhere"), link("C", 2)),
        note("B.md", link("A", block="gone"), headings=[(1, "Top")], tags=["x"]),
        note("one/C.md", link("A")),
        note("two/C.md"),
    ]
    reported, problems = resolve_vault(notes, ["cat.png"])
    resolver = link_resolver([each.path for each in notes], ["cat.png"])
    resolved = [resolver.resolve_note(each, []) for each in notes]
    assert assembled_vault(resolved, ["cat.png"]) == reported
    assert len(problems) == 4  # a heading, a block, a missing note, an ambiguous name


def test_problems_reported_against_summaries_are_those_of_the_whole_vault() -> None:
    """Once every note's summary is known, a worker reports its own notes' problems:
    the same diagnostics, in the same order, as resolving the whole vault at once."""
    notes = [
        note("A.md", link("B"), link("B", heading="Missing"), link("Nowhere"), link("C", 2)),
        note("B.md", link("A", block="gone"), link("A", heading="Top"), headings=[(1, "Top")]),
        note("one/C.md", link("A"), link("B", heading="top")),
        note("two/C.md"),
    ]
    _, whole = resolve_vault(notes, ["cat.png"])
    resolver = link_resolver([each.path for each in notes], ["cat.png"])
    resolved = [resolver.resolve_note(each, []) for each in notes]
    summaries = {each.path: NoteSummary.of(each) for each in resolved}
    found: list[Diagnostic] = []
    for each in resolved:
        resolver.report(each, summaries, found)
    assert found == whole
    codes = [problem.code for problem in found]
    assert codes == [
        "unresolved-heading",
        "unresolved-link",
        "ambiguous-link",
        "unresolved-block",
        "unresolved-heading",
    ]


def test_the_map_of_summaries_is_the_map_of_the_vault() -> None:
    notes = [
        note("A.md", link("B"), link("B"), link("sub/C"), tags=["T", "x/y"]),
        note("B.md", link("A"), link("Nowhere"), inline_tags=["t", "X/z"]),
        note("sub/C.md", link("A"), link("")),
    ]
    vault, _ = resolve_vault(notes, ["cat.png"])
    summaries = [NoteSummary.of(each) for each in reversed(vault.notes)]
    assert vault_map(summaries, ["cat.png"]) == vault.map()
    assert vault.map().backlinks["A.md"] == ("B.md", "sub/C.md")


def test_notes_resolved_one_at_a_time_make_the_same_vault() -> None:
    """`build`'s workers resolve each note as it is parsed, knowing only the file names,
    then assemble the vault from every worker's notes, in whatever order they come."""
    notes = [
        note("A.md", link("B"), link("cat.png", embed=True), link("./sub/C"), tags=["T"]),
        note("B.md", link("A"), link("A"), link("C"), inline_tags=["t/x"]),
        note("sub/C.md", link("../A"), link(""), link("Nowhere")),
        note("other/C.md"),
    ]
    resolver = link_resolver([each.path for each in notes], ["cat.png"])
    one_by_one = [resolver.resolve_note(each, []) for each in reversed(notes)]
    assert assembled_vault(one_by_one, ["cat.png"]) == resolve_vault(notes, ["cat.png"])[0]
