"""Frontmatter loading: values kept as written, tags normalised, bad YAML located."""

from __future__ import annotations

import pytest

from bench.hostile import alias_bomb
from notebook_runner.model import Diagnostic, Tag
from notebook_runner.parse.frontmatter import MAX_TEXT, Frontmatter, parse_frontmatter


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


# -- hostile frontmatter: bounded before it is built ------------------------------------


def too_large(line: int, message: str) -> Diagnostic:
    hint = "the note is read without its frontmatter"
    return Diagnostic("n.md", line, "error", "frontmatter-too-large", message, hint)


def test_alias_bomb_is_refused_at_the_key_that_takes_it_over_the_limit() -> None:
    """Six levels already weigh 1.1 million characters (`f`, frontmatter line 7); the
    issue's nine levels stand for 387 million values and took minutes and 10 GB."""
    for levels in (6, 9):
        frontmatter, problems = load(alias_bomb(levels), first_line=2)
        assert frontmatter == Frontmatter()
        message = "frontmatter expands to over 1,048,576 characters of data through its aliases"
        assert problems == [too_large(8, message)]


def test_one_long_string_repeated_by_aliases_counts_its_characters() -> None:
    text = "a: &a '" + "x" * 60_000 + "'\nlist: [" + ", ".join(["*a"] * 20) + "]"
    _, problems = load(text, first_line=2)
    assert [(p.line, p.code) for p in problems] == [(3, "frontmatter-too-large")]


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: &a [*a]", 2), ("x: 1\nself: &s {inner: [1, *s]}", 3)],
)
def test_value_containing_itself_is_refused(text: str, line: int) -> None:
    """`a: &a [*a]` crashed every command with RecursionError."""
    frontmatter, problems = load(text, first_line=2)
    assert frontmatter == Frontmatter()
    assert problems == [
        Diagnostic(
            "n.md",
            line,
            "error",
            "bad-frontmatter",
            "frontmatter holds a value that contains itself (an alias inside its anchor)",
        )
    ]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    """999 levels is within libyaml's own limit, and crashed with RecursionError."""
    deep = "title: x\nnested: " + "[" * 999 + "]" * 999
    frontmatter, problems = load(deep, first_line=2)
    assert frontmatter == Frontmatter()
    assert problems == [too_large(3, "frontmatter is nested more than 50 levels deep")]


def test_nesting_through_an_alias_chain_counts_the_expanded_depth() -> None:
    """Each line nests one level in its text, but `a49` (line 51) expands to 50 lists,
    inside the top-level mapping: 51 levels."""
    lines = ["a0: &a0 [x]", *(f"a{n}: &a{n} [*a{n - 1}]" for n in range(1, 61))]
    _, problems = load("\n".join(lines), first_line=2)
    assert [(p.line, p.code, p.message) for p in problems] == [
        (51, "frontmatter-too-large", "frontmatter is nested more than 50 levels deep")
    ]


def test_nesting_beyond_libyaml_limit_is_bad_yaml() -> None:
    frontmatter, problems = load("a: " + "[" * 10_000 + "]" * 10_000)
    assert frontmatter == Frontmatter()
    assert [(p.line, p.code, p.message) for p in problems] == [
        (2, "bad-frontmatter", "frontmatter is not valid YAML: exceeded maximum nesting depth")
    ]


def test_frontmatter_text_over_the_limit_is_refused_unread() -> None:
    text = "a: '" + "x" * MAX_TEXT + "'"
    frontmatter, problems = load(text, first_line=2)
    assert frontmatter == Frontmatter()
    message = f"frontmatter is {len(text):,} characters long, over the limit of 262,144"
    assert problems == [too_large(2, message)]


def test_aliases_and_nesting_within_the_bounds_are_kept() -> None:
    text = (
        "base: &base {level: 1, tags: [a, b]}\n"
        "copy: *base\n"
        "merged: {<<: *base, extra: 2}\n"
        f"deep: {'[' * 49}{']' * 49}"
    )
    frontmatter, problems = load(text)
    assert problems == []
    assert frontmatter.data["copy"] == {"level": 1, "tags": ["a", "b"]}
    assert frontmatter.data["merged"] == {"level": 1, "tags": ["a", "b"], "extra": 2}


def test_data_just_under_the_weight_limit_is_kept() -> None:
    """Five levels of the bomb weigh 125,479: aliases alone are not refused."""
    frontmatter, problems = load(alias_bomb(5))
    assert problems == []
    assert len(frontmatter.data["e"]) == 9
