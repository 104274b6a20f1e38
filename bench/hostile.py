"""Hostile notes (issue 13): small texts that cost a careless parser or renderer
quadratic time, or a careless YAML loader exponential memory.

Shared by `bench.hostile_bench` (which times them against bare markdown-it-py) and the
tests (which count the work they cause), so both look at the very same shapes.
"""

from __future__ import annotations

from itertools import pairwise


def alias_bomb(levels: int) -> str:
    """Frontmatter (without its fences) in the billion-laughs shape: each anchor lists
    nine aliases of the one before, so `levels` anchors stand for 9**levels values."""
    names = [chr(ord("a") + level) for level in range(levels)]
    lines = ["title: x", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join([*lines, "after: 1"])


INLINE_SHAPES: dict[str, tuple[str, str, str]] = {
    "nested brackets": ("", "[", "x"),
    "open embeds": ("", "![[", ""),
    "open wiki-links": ("", "[[x|", ""),
    "protocol names": ("", "http:", ""),
    "links cut at <": ("", "(http://a.b<", ""),
    "domain runs": ("", "www.a_~", "("),
    "mail addresses": ("", "!_b@c.d", ""),
    "mailto": ("", "(mailto:", ""),
    "footnote refs": ("[^1]: defined\n\n", "[^", ""),
    "tags": ("", " #a", ""),
    "highlights": ("", "==a ", ""),
    "wiki-links per line": ("", "[[a]]\n", ""),
}
"""Inline text that cost quadratic time: each name's (before, unit, after). A note is
`before + unit * n + after`, except nested brackets, whose closing `]` repeat too."""


def inline_note(shape: str, count: int) -> str:
    """The hostile note of `shape` with `count` repeats (one paragraph)."""
    before, unit, after = INLINE_SHAPES[shape]
    if shape == "nested brackets":
        return unit * count + "x" + "]" * count
    return before + unit * count + after


def timestamps_note(count: int) -> str:
    """One video and `count` timestamps, each with a line of notes under it."""
    parts = ["```timestamp-url\nhttps://www.youtube.com/watch?v=hBBOjCiFcuo\n```\n"]
    for number in range(count):
        minutes, seconds = divmod(number, 60)
        parts.append(f"```timestamp\n{minutes:02d}:{seconds:02d}\n```\nPoint {number}.\n")
    return "\n".join(parts)


def sections_note(count: int) -> str:
    """`count` sections, each a heading, a sentence and a Python block (52,000 of them
    make the issue's 5 MB note)."""
    return "".join(
        f"## Section {number}\n\nSome notes about section {number}, in a few words.\n\n"
        f"```python\nvalue_{number} = {number} * 2\n```\n\n"
        for number in range(count)
    )


def code_blocks_note(count: int) -> str:
    """`count` Python blocks and nothing else."""
    return "".join(f"```python\nx = {number}\n```\n\n" for number in range(count))


def videos_note(count: int) -> str:
    """`count` different videos, each with a timestamp of its own."""
    return "".join(
        f"```timestamp-url\nhttps://www.youtube.com/watch?v=video{number:06d}\n```\n\n"
        f"```timestamp\n00:{number % 60:02d}\n```\n\n"
        for number in range(count)
    )
