"""The walk over the token stream: lines for tokens the parser left without a map."""

from __future__ import annotations

from notebook_runner.parse import _Walker
from notebook_runner.syntax import build_markdown


def test_a_block_without_a_map_takes_the_line_of_the_closest_block_before_it() -> None:
    tokens = build_markdown().parse("# Heading\n\n***\n```python\nx = 1\n```\n")
    fence = next(token for token in tokens if token.type == "fence")
    fence.map = None
    walker = _Walker("n.md", tokens)
    walker.walk()
    assert [(block.line, block.end_line) for block in walker.code_blocks] == [(3, 3)]
