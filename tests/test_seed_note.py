"""The seed note `vault/Lesson 3.md`, fact by fact, as issue 3's JSON example states."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_runner.model import Note, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.parse.syntax import build_markdown

SEED = Path(__file__).parent.parent / "vault" / "Lesson 3.md"
VIDEO = "https://www.youtube.com/watch?v=hBBOjCiFcuo"


@pytest.fixture(scope="module")
def seed() -> Note:
    note, diagnostics = parse_note(SourceFile("Lesson 3.md", SEED.read_text(encoding="utf-8")))
    assert diagnostics == []
    return note


def test_title_and_tags(seed: Note) -> None:
    assert seed.title == "Lesson 3"
    assert seed.tags == ("Code", "Fast-ai", "ML")


def test_frontmatter_keys_with_spaces(seed: Note) -> None:
    assert seed.frontmatter["Web page"] == "https://course.fast.ai/Lessons/lesson3.html"
    assert seed.frontmatter["Video"] == VIDEO


def test_first_heading(seed: Note) -> None:
    first = seed.headings[0]
    assert (first.level, first.text, first.line, first.id) == (2, "Video Notes", 9, "video-notes")


def test_wiki_link_to_lesson_2(seed: Note) -> None:
    assert len(seed.links) == 1
    link = seed.links[0]
    assert (link.target, link.heading, link.block, link.alias) == ("Lesson 2", None, None, None)
    assert (link.embed, link.line, link.resolved) == (False, 18, None)


def test_external_link(seed: Note) -> None:
    assert [(x.url, x.text, x.line) for x in seed.external_links] == [
        ("https://arxiv.org/abs/1901.10002", "MIT", 76)
    ]


def test_four_highlights(seed: Note) -> None:
    assert [(h.text, h.line) for h in seed.highlights] == [
        ("Resnet18", 18),
        ("convnext", 18),
        ("fit functions to data", 33),
        ("gradient descent", 35),
    ]


def test_callout_with_lazy_continuation(seed: Note) -> None:
    (callout,) = seed.callouts
    assert (callout.type, callout.title, callout.fold) == ("important", "Important", None)
    assert (callout.line, callout.end_line) == (71, 72)


def test_video_from_block_not_duplicated_by_frontmatter(seed: Note) -> None:
    assert [(v.url, v.line) for v in seed.videos] == [(VIDEO, 11)]


def test_first_timestamp(seed: Note) -> None:
    first = seed.timestamps[0]
    assert (first.text, first.seconds, first.line, first.video) == ("12:34", 754, 15, VIDEO)
    assert first.section == first.label == "Make a better pet detector"
    assert first.end_line == 19


def test_second_timestamp(seed: Note) -> None:
    second = seed.timestamps[1]
    assert (second.text, second.seconds, second.line, second.video) == ("20:40", 1240, 21, VIDEO)
    assert second.section == "What is in the model"
    assert len(seed.timestamps) == 2


def test_code_blocks(seed: Note) -> None:
    assert [(c.lang, c.line, c.end_line, c.options) for c in seed.code_blocks] == [
        ("python", 39, 61, {}),
        ("python", 63, 69, {}),
    ]
    assert seed.code_blocks[0].code_line == 40
    assert seed.code_blocks[0].code.startswith("#quardratic funciton\n")


def test_comment_in_code_is_not_a_tag(seed: Note) -> None:
    assert seed.inline_tags == ()


def test_tab_indented_list_with_empty_item_on_line_81() -> None:
    tokens = build_markdown().parse(SEED.read_text(encoding="utf-8"))
    items = [t.map[0] + 1 for t in tokens if t.type == "list_item_open" and t.map]
    assert 81 in items
    empty = next(
        i for i, t in enumerate(tokens) if t.type == "list_item_open" and t.map == [80, 81]
    )
    assert tokens[empty + 1].type == "list_item_close"
    assert tokens[empty].level > tokens[empty - 1].level - 1
    nested = [t.map[0] + 1 for t in tokens if t.type == "bullet_list_open" and t.map]
    assert nested == [28, 30, 78, 79]
