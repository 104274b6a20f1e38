"""Pages are linear in a note's headings, blocks, timestamps and links (issue 13 item
15): each token finds its heading, block, timestamp or link by line, and the note's
lists are walked a fixed number of times per page, not once per token."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from notebook_runner.config import SiteConfig
from notebook_runner.model import Heading, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.parse.syntax import build_markdown
from notebook_runner.parse.timestamp_sections import PendingTimestamp, place_timestamps
from notebook_runner.publish.site import build_site
from notebook_runner.resolve import resolve_vault

COUNT = 300
WALKED = ("headings", "code_blocks", "timestamps", "links")


class Walked(tuple[Any, ...]):
    """A tuple that counts how often it is walked through."""

    walks: int

    def __iter__(self) -> Iterator[Any]:
        self.walks = getattr(self, "walks", 0) + 1
        return super().__iter__()


def busy_note(count: int) -> str:
    parts = ["```timestamp-url\nhttps://www.youtube.com/watch?v=hBBOjCiFcuo\n```\n"]
    for number in range(count):
        parts.append(
            f"## Part {number}\n\n```timestamp\n{number // 60:02d}:{number % 60:02d}\n```\n\n"
            f"See [[Busy#Part {number}]].\n\n```python\nx = {number}\n```\n"
        )
    return "\n".join(parts)


def test_a_page_walks_each_list_of_its_note_a_few_times_not_once_per_token(
    tmp_path: Path,
) -> None:
    text = busy_note(COUNT)
    note, _ = parse_note(SourceFile("Busy.md", text))
    vault, _ = resolve_vault([note])
    walked: dict[str, Any] = {name: Walked(getattr(vault.notes[0], name)) for name in WALKED}
    assert all(len(items) >= COUNT for items in walked.values())
    vault = dataclasses.replace(vault, notes=(dataclasses.replace(vault.notes[0], **walked),))
    built = build_site(tmp_path, vault, {"Busy.md": text}, {}, SiteConfig(), jobs=1)
    assert b'id="part-299"' in built.files["busy.html"]
    assert {name: items.walks <= 10 for name, items in walked.items()} == dict.fromkeys(
        WALKED, True
    ), {name: items.walks for name, items in walked.items()}


def test_placing_timestamps_walks_the_headings_a_few_times_not_once_per_timestamp() -> None:
    text = busy_note(COUNT)
    tokens = build_markdown().parse(text)
    opens = [index for index, token in enumerate(tokens) if token.type == "heading_open"]
    headings = Walked(
        Heading(2, f"Part {number}", tokens[index].map[0] + 1, f"part-{number}")  # type: ignore[index]
        for number, index in enumerate(opens)
    )
    heading_at = dict(zip(opens, headings, strict=True))
    stamps = [
        PendingTimestamp(index, "00:01", 1, token.map[0] + 2, token.map[0] + 1, None)  # type: ignore[index]
        for index, token in enumerate(tokens)
        if token.type == "timestamp"
    ]
    headings.walks = 0
    placed = place_timestamps(stamps, tokens, headings, heading_at, text.count("\n") + 1)
    assert [stamp.section for stamp in placed][-1] == f"Part {COUNT - 1}"
    assert headings.walks <= 3
