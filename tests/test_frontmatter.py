"""Frontmatter loading: values kept as written, tags normalised, bad YAML located."""

from __future__ import annotations

import pytest

from notebook_runner.model import Diagnostic, Tag
from notebook_runner.parse.frontmatter import Frontmatter, parse_frontmatter


def load(text: str, first_line: int = 2) -> tuple[Frontmatter, list[Diagnostic]]:
    return parse_frontmatter(text, "n.md", first_line)


@pytest.mark.parametrize(
    ("yaml_text", "value"),
    [
        ("v: 1:02:03", "1:02:03"),
        ("v: no", "no"),
        ("v: Yes", "Yes"),
        ("v: off", "off"),
        ("v: true", True),
        ("v: False", False),
        ("v: 2023-10-01", "2023-10-01"),
        ("v: 2023-07-23T21:00:34-07:00", "2023-07-23T21:00:34-07:00"),
        ("v: 1.10", "1.10"),
        ("v: 3.14", 3.14),
        ("v: 42", 42),
        ("v: -7", -7),
        ("v: 012", "012"),
        ("v: 0x1F", "0x1F"),
        ("v: 1_000", "1_000"),
        ("v: .inf", ".inf"),
        ("v: ~", None),
        ("v:", None),
        ('v: !!int "3"', 3),
        ("v: !!timestamp 2020-01-02", "2020-01-02"),
    ],
)
def test_values_kept_as_written(yaml_text: str, value: object) -> None:
    frontmatter, problems = load(yaml_text)
    assert problems == []
    assert frontmatter.data == {"v": value}


def test_urls_are_trimmed_and_keys_keep_spaces() -> None:
    frontmatter, _ = load('Web page: " https://example.com/x "\nlinks: [" https://a.b/c"]')
    assert frontmatter.data == {"Web page": "https://example.com/x", "links": ["https://a.b/c"]}


def test_key_lines_count_from_first_line() -> None:
    frontmatter, _ = load("a: 1\n\nb:\n  - x\nc: 2", first_line=5)
    assert frontmatter.key_lines == {"a": 5, "b": 7, "c": 9}


def test_tags_as_list_with_hashes() -> None:
    frontmatter, problems = load('tags:\n  - "#ML"\n  - Code\n  - nested/tag')
    assert problems == []
    assert frontmatter.tags == (Tag("ML", 3), Tag("Code", 4), Tag("nested/tag", 5))


@pytest.mark.parametrize("key", ["tags", "tag", "Tags"])
def test_tags_as_comma_or_space_string(key: str) -> None:
    frontmatter, _ = load(f'{key}: "#a, b  c,d"')
    assert [tag.name for tag in frontmatter.tags] == ["a", "b", "c", "d"]


def test_numeric_tag_is_a_warning() -> None:
    frontmatter, problems = load("tags:\n  - 2024\n  - ok")
    assert frontmatter.tags == (Tag("ok", 4),)
    assert problems == [
        Diagnostic(
            "n.md",
            3,
            "warning",
            "bad-tag",
            "'2024' is not a valid tag (letters, digits, emoji, _ - /;"
            " no spaces or punctuation; not only digits)",
        )
    ]


@pytest.mark.parametrize(
    "written",
    [
        "🔴-academic/x",
        "📚-reading",
        "한국어/강의",
        "👩\u200d💻-dev",
        "❤\ufe0f-fav",
        "a\u0301ccent",
        "x_y-z",
    ],
)
def test_tags_obsidian_accepts_are_tags(written: str) -> None:
    frontmatter, problems = load(f"tags: [{written}]")
    assert (frontmatter.tags, problems) == ((Tag(written, 2),), [])


@pytest.mark.parametrize(
    "written", ["c++", "a.b", "x!", "wait…", "/lead", "trail/", "a//b", "12/34"]
)
def test_tags_with_punctuation_are_warnings(written: str) -> None:
    frontmatter, problems = load(f"tags:\n  - '{written}'")
    assert frontmatter.tags == ()
    assert [(p.line, p.code, p.message.split(" is ")[0]) for p in problems] == [
        (3, "bad-tag", f"'{written}'")
    ]


def test_bad_yaml_is_located_and_gives_empty_frontmatter() -> None:
    frontmatter, problems = load("title: ok\nsub: a: b\n", first_line=2)
    assert frontmatter == Frontmatter()
    assert problems == [
        Diagnostic(
            "n.md",
            3,
            "error",
            "bad-frontmatter",
            "frontmatter is not valid YAML: mapping values are not allowed in this context",
            "put values containing ': ' in quotes",
        )
    ]


def test_tab_indentation_gets_a_hint() -> None:
    _, problems = load("a:\n\t- b\n")
    assert [(p.line, p.code, p.hint) for p in problems] == [
        (3, "bad-frontmatter", "indent YAML with spaces, not tabs")
    ]


@pytest.mark.parametrize("text", ["- a\n- b", "just text", "? [a, b]\n: c"])
def test_non_mapping_frontmatter_is_an_error(text: str) -> None:
    frontmatter, problems = load(text)
    assert frontmatter == Frontmatter()
    assert [(p.line, p.severity, p.code) for p in problems] == [(2, "error", "bad-frontmatter")]


def test_empty_frontmatter() -> None:
    assert load("") == (Frontmatter(), [])


@pytest.mark.parametrize(
    ("yaml_text", "broken", "problem"),
    [
        ("title: ok\nthis line has no colon\ndate: x\n", 3, "could not find expected ':'"),
        ("title: ok\nno colon on the last line\n", 3, "could not find expected ':'"),
        ('title: "never closed\ndate: x\n', 2, "found unexpected end of stream"),
        ("tags: [a, b\nx: 1\n", 2, "did not find expected ',' or ']'"),
        ("a: 1\n  b: 2\nc: 3\n", 3, "mapping values are not allowed in this context"),
        ("title: x\n- item\ny: 2\n", 3, "did not find expected key"),
    ],
)
def test_bad_yaml_is_reported_at_the_line_to_fix(yaml_text: str, broken: int, problem: str) -> None:
    """PyYAML gives up a line after an unfinished line (no colon, an open quote or
    bracket); the diagnostic points at the line the author has to fix."""
    _, problems = load(yaml_text, first_line=2)
    assert [(p.line, p.message) for p in problems] == [
        (broken, f"frontmatter is not valid YAML: {problem}")
    ]
