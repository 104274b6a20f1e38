"""What real vaults are told (issue 14): no noise a real author would not want, the
same source problems from `parse` and `build`, and repeats said once."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_runner.config import CONFIG_NAME
from notebook_runner.model import Diagnostic, Severity
from notebook_runner.pipeline import open_vault


def make_vault(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


EMPTY_NOTES = {"Untitled.md": "", "Index card.md": "---\naliases: [card]\n---\n", "A.md": "# A\n"}


def test_empty_and_property_only_notes_are_not_reported_by_default(tmp_path: Path) -> None:
    assert open_vault(make_vault(tmp_path, EMPTY_NOTES), use_cache=False).diagnostics == ()


@pytest.mark.parametrize("severity", ["info", "warning"])
def test_empty_notes_can_be_reported(tmp_path: Path, severity: Severity) -> None:
    files = {**EMPTY_NOTES, CONFIG_NAME: f'[vault]\nempty_notes = "{severity}"\n'}
    workspace = open_vault(make_vault(tmp_path, files), use_cache=False)
    assert workspace.diagnostics == (
        Diagnostic("Untitled.md", 1, severity, "empty-note", "note is empty"),
        Diagnostic(
            "Index card.md",
            1,
            severity,
            "frontmatter-only",
            "note has only frontmatter and no content",
        ),
    )
