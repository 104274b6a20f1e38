"""Hostile notes in a vault: each command reports them at their lines and goes on with
the rest of the vault (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.hostile import alias_bomb
from notebook_runner.cli import main

TOO_LARGE = "(the note is read without its frontmatter) [frontmatter-too-large]"
REPORTS = [
    "Bomb.md:8: error: frontmatter expands to over 1,048,576 characters of data through"
    f" its aliases {TOO_LARGE}",
    f"Deep.md:2: error: frontmatter is nested more than 50 levels deep {TOO_LARGE}",
    "Self.md:2: error: frontmatter holds a value that contains itself (an alias inside its"
    " anchor) [bad-frontmatter]",
]


@pytest.fixture
def hostile_vault(tmp_path: Path) -> Path:
    """Three notes whose frontmatter must not be built, each with code of its own, and a
    plain note they link to."""
    vault = tmp_path / "vault"
    vault.mkdir()
    code = "\n# {0}\n\n```python\nprint('{0} ran')\n```\n\nSee [[Fine]].\n"
    (vault / "Bomb.md").write_text(f"---\n{alias_bomb(6)}\n---\n" + code.format("Bomb"))
    (vault / "Self.md").write_text("---\na: &a [*a]\n---\n" + code.format("Self"))
    deep = "[" * 999 + "]" * 999
    (vault / "Deep.md").write_text(f"---\nnested: {deep}\n---\n" + code.format("Deep"))
    (vault / "Fine.md").write_text("---\ntags: [ok]\n---\n" + code.format("Fine"))
    return vault


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = main(list(argv))
    return status, capsys.readouterr().out.splitlines()


def test_parse_reports_hostile_frontmatter_and_reads_every_note(
    hostile_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = run_cli(capsys, "parse", str(hostile_vault))
    assert (status, lines[:-1]) == (1, REPORTS)  # parse exits 1 when it reports an error
    assert lines[-1] == "4 notes, 4 links, 0 timestamps, 4 code blocks, 3 errors, 0 warnings"


def test_check_reports_hostile_frontmatter_and_runs_every_note(
    hostile_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = run_cli(capsys, "check", str(hostile_vault), "--no-cache")
    assert (status, lines[:-1]) == (1, REPORTS)
    assert lines[-1].startswith("4 notes, 4 blocks: 4 passed, 0 failed, 0 not-run,")


def test_build_reports_hostile_frontmatter_and_builds_every_page(
    hostile_vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    status, lines = run_cli(capsys, "build", str(hostile_vault), "-o", str(site), "--no-cache")
    assert (status, lines[:-1]) == (0, REPORTS)
    for name in ("Bomb", "Deep", "Self"):
        page = (site / f"{name.lower()}.html").read_text(encoding="utf-8")
        assert f'<h1 id="{name.lower()}">{name}</h1>' in page
        assert '<a class="internal-link" href="fine.html">Fine</a>' in page
    assert (site / "fine.html").is_file()
