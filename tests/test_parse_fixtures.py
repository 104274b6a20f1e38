"""Fixture-driven parser tests: tests/fixtures/parse/NAME.md against NAME.json.

Each JSON file holds `note`, the Note fields that fixture is about (compared exactly),
and `diagnostics`, the complete list of diagnostics the note must produce (so an
unexpected diagnostic fails the test too).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from notebook_runner.model import SourceFile
from notebook_runner.parse.note import note_to_dict, parse_note

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
NOTES = sorted(FIXTURES.glob("*.md"))


def test_every_fixture_has_expectations() -> None:
    assert len(NOTES) >= 20
    assert all(note.with_suffix(".json").is_file() for note in NOTES)


@pytest.mark.parametrize("note_file", NOTES, ids=[path.stem for path in NOTES])
def test_fixture(note_file: Path) -> None:
    expected: dict[str, Any] = json.loads(note_file.with_suffix(".json").read_text("utf-8"))
    source = SourceFile(note_file.name, note_file.read_text(encoding="utf-8"))
    note, diagnostics = parse_note(source)
    actual = note_to_dict(note)
    assert {key: actual[key] for key in expected["note"]} == expected["note"]
    assert [dataclasses.asdict(item) for item in diagnostics] == expected["diagnostics"]
