"""`check --format github`: workflow commands GitHub can attach to the right file.

GitHub reads `::error file=F,line=L,title=T::MESSAGE`: an unescaped `,` or `:` in `F`
ends the property, and `F` is relative to the repository root, not to the vault.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notebook_runner.cli import main
from notebook_runner.commands.common import repository_folder
from notebook_runner.diagnostics import format_github
from notebook_runner.model import Diagnostic

AWKWARD = Diagnostic(
    "Week 1: intro/Lesson 1, part 2 (100%).md",
    7,
    "warning",
    "unresolved-link",
    "unresolved link [[a,b: 50%]]\r\nsecond line",
    "did you mean: x?",
)


def test_properties_and_message_are_escaped_as_the_actions_toolkit_does() -> None:
    assert format_github(AWKWARD) == (
        "::warning file=Week 1%3A intro/Lesson 1%2C part 2 (100%25).md,line=7,"
        "title=unresolved-link::unresolved link [[a,b: 50%25]]%0D%0Asecond line"
        " (did you mean: x?)"
    )


def test_the_file_is_named_from_the_repository_root() -> None:
    assert format_github(AWKWARD, folder="notes/ML, 2024") == (
        "::warning file=notes/ML%2C 2024/Week 1%3A intro/Lesson 1%2C part 2 (100%25).md,"
        "line=7,title=unresolved-link::unresolved link [[a,b: 50%25]]%0D%0Asecond line"
        " (did you mean: x?)"
    )


def test_the_repository_root_is_the_actions_workspace_else_the_git_top_level(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "repo" / "docs" / "vault"
    vault.mkdir(parents=True)
    assert repository_folder(vault, {}) == ""
    (tmp_path / "repo" / ".git").mkdir()
    assert repository_folder(vault, {}) == "docs/vault"
    assert repository_folder(tmp_path / "repo", {}) == ""
    workspace = {"GITHUB_WORKSPACE": str(tmp_path / "repo" / "docs")}
    assert repository_folder(vault, workspace) == "vault"
    elsewhere = {"GITHUB_WORKSPACE": str(tmp_path / "other")}
    assert repository_folder(vault, elsewhere) == "docs/vault"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose vault is the subfolder `notes/`, with a failing note whose
    name holds a comma."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / ".git").mkdir()
    vault = tmp_path / "notes"
    vault.mkdir()
    (vault / "Lesson 1, part 2.md").write_text("# L\n\n```python\n1 / 0\n```\n")
    return vault


def test_check_annotates_files_relative_to_the_repository(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["check", str(repository), "--format", "github", "--no-cache"])
    assert (status, capsys.readouterr().out) == (
        1,
        "::error file=notes/Lesson 1%2C part 2.md,line=4,title=block-failed::"
        "ZeroDivisionError: division by zero\n",
    )


def test_merged_shard_reports_annotate_the_same_files(
    repository: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repository / "b.md").write_text("```python\nassert False, 'b'\n```\n")
    reports = []
    for shard in ("1/2", "2/2"):
        report = tmp_path / f"shard{shard[0]}.json"
        main(["check", str(repository), "--shard", shard, "--format", "json", "-o", str(report)])
        assert json.loads(report.read_text())["vault_folder"] == "notes"
        reports.append(str(report))
    capsys.readouterr()
    status = main(["report", "merge", *reports, "--format", "github"])
    assert (status, capsys.readouterr().out) == (
        1,
        "::error file=notes/Lesson 1%2C part 2.md,line=4,title=block-failed::"
        "ZeroDivisionError: division by zero\n"
        "::error file=notes/b.md,line=2,title=block-failed::AssertionError: b\n",
    )
