"""Resolution works out each distinct target once and reuses it across notes; these
tests check that the reused results still follow the rules of every single link.

Notes are built directly as model objects, so these tests do not depend on the parser.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from notebook_runner.model import Diagnostic, Heading, Note, WikiLink
from notebook_runner.resolve import resolve_vault

REPO = Path(__file__).resolve().parent.parent


def link(
    target: str,
    line: int = 1,
    heading: str | None = None,
    embed: bool = False,
    alias: str | None = None,
    markdown: bool = False,
) -> WikiLink:
    return WikiLink(target, heading, None, alias, embed, line, markdown=markdown)


def note(path: str, *links: WikiLink, headings: tuple[str, ...] = ()) -> Note:
    return Note(
        path=path,
        title=path.rpartition("/")[2],
        frontmatter={},
        tags=(),
        headings=tuple(Heading(2, text, 1, text.lower()) for text in headings),
        links=links,
    )


def warning(path: str, line: int, code: str, message: str, hint: str | None) -> Diagnostic:
    return Diagnostic(path, line, "warning", code, message, hint)


def resolved(notes: list[Note], attachments: tuple[str, ...] = ()) -> dict[str, list[str | None]]:
    vault, _ = resolve_vault(notes, attachments)
    return {each.path: [found.resolved for found in each.links] for each in vault.notes}


def test_a_broken_link_shared_by_notes_never_suggests_the_linking_note() -> None:
    notes = [note(f"Lesson {n}.md", link("Lesson 3", line=n)) for n in (1, 2, 4)]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning(
            "Lesson 1.md",
            1,
            "unresolved-link",
            "unresolved link [[Lesson 3]]",
            "did you mean [[Lesson 4]] or [[Lesson 2]]?",
        ),
        warning(
            "Lesson 2.md",
            2,
            "unresolved-link",
            "unresolved link [[Lesson 3]]",
            "did you mean [[Lesson 4]] or [[Lesson 1]]?",
        ),
        warning(
            "Lesson 4.md",
            4,
            "unresolved-link",
            "unresolved link [[Lesson 3]]",
            "did you mean [[Lesson 2]] or [[Lesson 1]]?",
        ),
    ]


def test_one_broken_target_is_quoted_and_hinted_in_each_links_own_syntax() -> None:
    written = [
        link("Gone", line=1),
        link("Gone", line=2, embed=True),
        link("Gone.md", line=3, alias="see", markdown=True),
        link("Gone", line=4),
    ]
    _, problems = resolve_vault([note("a.md", *written), note("Gone away.md")])
    assert problems == [
        warning(
            "a.md", 1, "unresolved-link", "unresolved link [[Gone]]", "did you mean [[Gone away]]?"
        ),
        warning(
            "a.md",
            2,
            "unresolved-link",
            "unresolved link ![[Gone]]",
            "did you mean ![[Gone away]]?",
        ),
        warning(
            "a.md",
            3,
            "unresolved-link",
            "unresolved link [see](Gone.md)",
            "did you mean [[Gone away]]?",
        ),
        warning(
            "a.md", 4, "unresolved-link", "unresolved link [[Gone]]", "did you mean [[Gone away]]?"
        ),
    ]


def test_a_name_ending_like_a_notebook_follows_the_suffix_rules() -> None:
    notes = [
        note("a.md", link("setup.py"), link("setup.py.md"), link("setup"), link("SETUP.PY")),
        note("setup.py.md"),
        note("tools/setup.py"),
    ]
    assert resolved(notes)["a.md"] == [
        "tools/setup.py",
        "setup.py.md",
        "tools/setup.py",
        "tools/setup.py",
    ]


def test_exact_names_and_paths_resolve_like_any_other_spelling() -> None:
    notes = [
        note(
            "a.md",
            link("Deep Note"),
            link("x/y/Deep Note"),
            link("y/Deep Note"),
            link("deep note"),
            link(" Deep Note "),
            link("/x/y/Deep Note"),
            link("Twice"),
            link("pic.png", embed=True),
            link("img/pic.png", embed=True),
        ),
        note("x/y/Deep Note.md"),
        note("b/Twice.md"),
        note("c/Twice.md"),
        note("pic.png.md"),
    ]
    deep = "x/y/Deep Note.md"
    assert resolved(notes, ("img/pic.png",))["a.md"] == [
        *[deep] * 6,
        "b/Twice.md",
        "img/pic.png",
        "img/pic.png",
    ]


def test_a_target_leading_to_a_file_in_one_note_leads_nowhere_from_another() -> None:
    notes = [
        note("a/One.md", link("./Two"), link("Two")),
        note("a/Two.md"),
        note("b/Three.md", link("./Two", line=5), link("Two")),
    ]
    vault, problems = resolve_vault(notes)
    links = {each.path: [found.resolved for found in each.links] for each in vault.notes}
    assert links["a/One.md"] == ["a/Two.md", "a/Two.md"]
    assert links["b/Three.md"] == [None, "a/Two.md"]
    assert problems == [
        warning(
            "b/Three.md",
            5,
            "unresolved-link",
            "unresolved link [[./Two]]",
            "did you mean [[Two]]?",
        )
    ]


def test_a_heading_is_checked_in_the_note_each_link_leads_to() -> None:
    notes = [
        note("a.md", link("", heading="Intro", line=3), link("b", heading="Intro", line=4)),
        note("b.md", link("", heading="Intro", line=6), headings=("Intro",)),
    ]
    _, problems = resolve_vault(notes)
    assert problems == [
        warning("a.md", 3, "unresolved-heading", "unresolved heading [[#Intro]]", None)
    ]


def test_hints_do_not_depend_on_the_string_hash_seed() -> None:
    """Twenty names share as many trigrams with the target: which of them make the
    shortlist must not change with the set order of a run."""
    script = (
        "from notebook_runner.model import Note, WikiLink\n"
        "from notebook_runner.resolve import resolve_vault\n"
        "pairs = ['kl', 'km', 'kn', 'ko', 'kp', 'lk', 'lm', 'ln', 'lo', 'lp']\n"
        "names = [f'abcde{p}' for p in pairs] + [f'{p}cdefgh' for p in pairs]\n"
        "target = WikiLink('abcdefgh', None, None, None, False, 1)\n"
        "notes = [Note('a.md', 'a', {}, (), links=(target,))]\n"
        "notes += [Note(f'{n}.md', n, {}, ()) for n in names]\n"
        "print(resolve_vault(notes)[1][0].hint)\n"
    )
    hints = set()
    for seed in ("0", "1", "7"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env=environment,
        )
        hints.add(run.stdout.strip())
    assert len(hints) == 1
    assert hints.pop().startswith("did you mean [[")
