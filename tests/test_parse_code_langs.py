"""Every fence language that `check` runs gets its options read by the parser."""

from __future__ import annotations

import pytest

from notebook_runner.model import SourceFile
from notebook_runner.parse import parse_note


@pytest.mark.parametrize("lang", ["python", "py", "Python3", "pycon"])
def test_options_are_read_for_every_python_language(lang: str) -> None:
    note, problems = parse_note(SourceFile("n.md", f"```{lang} skip timeout=3\nx\n```\n"))
    assert problems == []
    assert note.code_blocks[0].options == {"skip": "true", "timeout": "3"}
    assert note.code_blocks[0].is_python


def test_other_languages_keep_their_info_words_unread() -> None:
    note, problems = parse_note(SourceFile("n.md", "```bash skip\nls\n```\n"))
    assert (problems, note.code_blocks[0].options, note.code_blocks[0].is_python) == (
        [],
        {},
        False,
    )
