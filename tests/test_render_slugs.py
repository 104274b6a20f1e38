"""The documented slug rule: stable, URL-safe page paths that never collide."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from notebook_runner.render.slugs import note_pages, relative_url, slugify, tag_pages


def test_slugify_lowercases_and_joins_punctuation_runs() -> None:
    assert slugify("Lesson 3: What's new?") == "lesson-3-what-s-new"


def test_slugify_keeps_letters_of_any_script() -> None:
    assert slugify("강의 1 (복습)") == "강의-1-복습"


def test_slugify_never_returns_empty_or_underscore_prefix() -> None:
    assert slugify("???") == "untitled"
    assert slugify("_private_") == "private"


def test_note_page_path_slugs_every_folder() -> None:
    assert note_pages(["ML/Deep Dive/Lesson 3.md"]) == {
        "ML/Deep Dive/Lesson 3.md": "ml/deep-dive/lesson-3.html"
    }


def test_notes_differing_in_case_or_punctuation_do_not_collide() -> None:
    pages = note_pages(["note-a.md", "Note A.md", "NOTE_A.md"])
    suffix = {path: hashlib.sha1(path.encode()).hexdigest()[:6] for path in pages}
    assert pages == {
        "NOTE_A.md": "note-a.html",
        "Note A.md": f"note-a-{suffix['Note A.md']}.html",
        "note-a.md": f"note-a-{suffix['note-a.md']}.html",
    }


def test_root_index_and_404_are_reserved_for_site_pages() -> None:
    pages = note_pages(["Index.md", "404.md", "sub/index.md"])
    assert pages["Index.md"] != "index.html"
    assert pages["404.md"] != "404.html"
    assert pages["sub/index.md"] == "sub/index.html"


def test_nested_tags_nest_as_folders() -> None:
    assert tag_pages(["ML", "ML/Vision"]) == {
        "ML": "_tags/ml.html",
        "ML/Vision": "_tags/ml/vision.html",
    }


def test_relative_url_climbs_to_root_and_percent_encodes() -> None:
    assert relative_url("ml/deep/a.html", "b c.html#x") == "../../b%20c.html#x"
    assert relative_url("index.html", "강.html") == "%EA%B0%95.html"


@given(st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=12))
def test_pages_are_unique_for_any_names(names: list[str]) -> None:
    paths = [f"{name.replace('/', ' ')}.md" for name in names]
    pages = note_pages(paths)
    assert len(set(pages.values())) == len(set(paths))
