"""What a note or a snippet holds never reaches a terminal or a CI log as a control
sequence: text reports show the characters written out (`\\x1b`), so a snippet cannot
clear the screen, retitle the window or forge a line such as "0 failed"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notebook_runner.cli import main
from notebook_runner.diagnostics import Diagnostic, format_github, format_text, shown_inert

CONTROLS = "\x1b]0;pwned\x07\x1b[2J\r0 failed\x9b31m\x7f"
CONTROLS_SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\x0d0 failed\\x9b31m\\x7f"

# A snippet that prints the sequences and then fails with them in its message.
FAILS = f"# Noisy\n\n```python\nprint({CONTROLS!r})\nraise ValueError({CONTROLS!r})\n```\n"


def test_control_characters_are_written_out_and_newlines_and_tabs_kept() -> None:
    assert shown_inert(CONTROLS) == CONTROLS_SHOWN
    assert shown_inert("line\n\tindented é 한") == "line\n\tindented é 한"


def test_a_diagnostic_quoting_a_hostile_name_is_inert_as_text_and_as_annotation() -> None:
    problem = Diagnostic(
        path="a.md",
        line=3,
        severity="warning",
        code="unresolved-link",
        message=f"unresolved link [[{CONTROLS}]]",
    )
    assert format_text(problem) == (
        f"a.md:3: warning: unresolved link [[{CONTROLS_SHOWN}]] [unresolved-link]"
    )
    # GitHub's own escaping comes first: `\r` is its `%0D`, the rest is written out.
    assert format_github(problem) == (
        "::warning file=a.md,line=3,title=unresolved-link::unresolved link "
        "[[\\x1b]0;pwned\\x07\\x1b[2J%0D0 failed\\x9b31m\\x7f]]"
    )


@pytest.fixture
def noisy_vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "noisy.md").write_text(FAILS, encoding="utf-8")
    return folder


def test_the_text_report_of_a_snippet_printing_escape_sequences_is_inert(
    noisy_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(noisy_vault), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "noisy.md:5: error: ValueError: " + CONTROLS_SHOWN in out.splitlines()
    assert not any(character in out for character in "\x1b\x07\r\x9b\x7f")


def test_the_json_report_keeps_what_the_snippet_printed(noisy_vault: Path) -> None:
    report = noisy_vault.parent / "report.json"
    assert main(["check", str(noisy_vault), "--no-cache", "--format", "json", "-o", str(report)])
    error = json.loads(report.read_text(encoding="utf-8"))["notes"][0]["blocks"][0]["error"]
    assert error["message"] == CONTROLS


def test_shown_inert_leaves_ordinary_text_as_the_same_object() -> None:
    text = "plain text, no controls"
    assert shown_inert(text) is text
