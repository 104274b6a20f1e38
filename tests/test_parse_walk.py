"""The walk over the token stream: lines for tokens the parser left without a map."""

from __future__ import annotations

from notebook_runner.model import SourceFile
from notebook_runner.parse import parse_tokens
from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.walk import NoteWalker as _Walker


def test_a_block_without_a_map_takes_the_line_of_the_closest_block_before_it() -> None:
    tokens = build_markdown().parse("# Heading\n\n***\n```python\nx = 1\n```\n")
    fence = next(token for token in tokens if token.type == "fence")
    fence.map = None
    walker = _Walker("n.md", tokens)
    walker.walk()
    assert [(block.line, block.end_line) for block in walker.code_blocks] == [(3, 3)]


def test_parse_tokens_returns_the_stream_the_note_was_read_from() -> None:
    source = SourceFile("A.md", "# A\n\nSee [[B#Part]] ==x==.\n\n```python\nx = 1\n```\n")
    note, problems, tokens = parse_tokens(source)
    fences = [token for token in tokens if token.type == "fence"]
    assert (note.headings[0].line, problems) == (1, [])
    assert [(token.info, token.map) for token in fences] == [("python", [4, 7])]
    assert [block.line for block in note.code_blocks] == [5]
