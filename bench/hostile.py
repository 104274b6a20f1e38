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
