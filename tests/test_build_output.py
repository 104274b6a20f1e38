"""Where `build` may write, and what it leaves alone in its output folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from notebook_runner.cli import main
from notebook_runner.outputs import EXPORT_MARKER, SITE_MARKER
from notebook_runner.vault import list_vault

NOTE = "# Lesson\n\n```python\nprint(1)\n```\n"


Build = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_build(capsys: pytest.CaptureFixture[str]) -> Build:
    """`notebook-runner build ARGS` in this process: status, stdout, stderr."""

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["build", *argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Lesson.md").write_text(NOTE, encoding="utf-8")
    return root


def test_an_output_inside_the_vault_is_refused(run_build: Build, vault: Path) -> None:
    """Each build would read the previous site's generated notebooks back as notes."""
    out = vault / "site"
    status, stdout, err = run_build(str(vault), "-o", str(out))
    assert (status, stdout) == (2, "")
    assert err == (
        f"notebook-runner: error: output {out} is inside the vault {vault}, where it would be "
        f"read back as notes; write it outside the vault, or under {vault / '.notebook-runner'}\n"
    )
    assert sorted(path.name for path in vault.iterdir()) == ["Lesson.md"]


def test_the_vault_state_folder_is_the_one_place_inside_the_vault(
    run_build: Build, vault: Path
) -> None:
    out = vault / ".notebook-runner" / "site"
    status, _, err = run_build(str(vault), "-o", str(out))
    assert (status, err) == (0, "")
    assert (out / "lesson.html").is_file()
    assert run_build(str(vault), "-o", str(out))[0] == 0
    assert list_vault(vault).notes == ("Lesson.md",)


@pytest.mark.parametrize("marker", [SITE_MARKER, EXPORT_MARKER])
def test_the_vault_reader_skips_a_folder_we_wrote(
    run_build: Build, vault: Path, tmp_path: Path, marker: str
) -> None:
    """A site or an export that ended up in the vault (moved there, or made by an older
    version) is not read as notes, at any depth; the vault itself may hold a marker."""
    assert run_build(str(vault), "-o", str(tmp_path / "site"))[0] == 0
    shutil.copytree(tmp_path / "site", vault / "old" / "site")
    (vault / "old" / "site" / SITE_MARKER).rename(vault / "old" / "site" / marker)
    (vault / "old" / "site" / "Copied.md").write_text("# Copied\n")
    (vault / "old" / "Kept.md").write_text("# Kept\n")
    listing = list_vault(vault)
    assert (listing.notes, listing.attachments) == (("Lesson.md", "old/Kept.md"), ())
    (vault / marker).write_text("{}")
    assert list_vault(vault).notes == ("Lesson.md", "old/Kept.md")


def test_a_rebuild_reports_the_users_files_it_kept_but_not_a_gh_pages_checkouts(
    run_build: Build, vault: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    (out / ".git").mkdir(parents=True)
    (out / "CNAME").write_text("notes.example.org\n")
    status, stdout, err = run_build(str(vault), "-o", str(out))
    assert (status, err) == (0, "")
    assert stdout == f"built 1 notes (8 files) into {out}; 0 unresolved links\n"
    (out / "my-notes.txt").write_text("mine")
    status, stdout, _ = run_build(str(vault), "-o", str(out))
    assert stdout.splitlines() == [
        "kept 1 file build did not write: my-notes.txt",
        f"built 1 notes (8 files) into {out}; 0 unresolved links",
    ]
    assert (out / "my-notes.txt").read_text() == "mine"
    assert (out / "CNAME").read_text() == "notes.example.org\n"


def test_a_file_of_the_users_where_a_page_goes_is_an_error_not_overwritten(
    run_build: Build, vault: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert run_build(str(vault), "-o", str(out))[0] == 0
    (out / "about.html").write_text("my about page")
    (vault / "About.md").write_text("# About\n")
    status, stdout, err = run_build(str(vault), "-o", str(out))
    assert (status, stdout) == (2, "")
    assert err == (
        f"notebook-runner: error: output folder {out} holds files build did not write where "
        "the new site has pages: about.html; move them away\n"
    )
    assert (out / "about.html").read_text() == "my about page"
