"""Loading a vault: which files are notes, and odd files never stop the load."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.vault import glob_match, load_vault


def make_vault(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_notes_and_attachments_are_found_sorted_and_dot_folders_skipped(tmp_path: Path) -> None:
    make_vault(
        tmp_path,
        {
            "b.md": b"B",
            "sub/a.md": b"A",
            "img/pic.png": b"\x89PNG",
            ".obsidian/workspace.md": b"no",
            ".trash/old.md": b"no",
            ".git/x.md": b"no",
            "sub/.hidden.md": b"no",
        },
    )
    loaded, problems = load_vault(tmp_path)
    assert problems == []
    assert loaded.sources == (SourceFile("b.md", "B"), SourceFile("sub/a.md", "A"))
    assert loaded.attachments == ("img/pic.png",)


def test_ignore_globs_from_config_skip_files(tmp_path: Path) -> None:
    make_vault(tmp_path, {"templates/t.md": b"T", "n.md": b"N"})
    loaded, _ = load_vault(tmp_path, ignore=("templates/*",))
    assert [source.path for source in loaded.sources] == ["n.md"]


def test_non_utf8_note_is_kept_with_a_warning_at_the_bad_line(tmp_path: Path) -> None:
    make_vault(tmp_path, {"latin.md": b"first\nsecond caf\xe9\n", "ok.md": b"fine"})
    loaded, problems = load_vault(tmp_path)
    assert problems == [
        Diagnostic(
            "latin.md",
            2,
            "warning",
            "not-utf8",
            "not valid UTF-8 (byte 0xe9); undecodable bytes shown as \ufffd",
            "re-save the note as UTF-8",
        )
    ]
    assert loaded.sources[0] == SourceFile("latin.md", "first\nsecond caf\ufffd\n")
    assert loaded.sources[1] == SourceFile("ok.md", "fine")


def test_empty_note_is_reported_and_bom_is_dropped(tmp_path: Path) -> None:
    make_vault(tmp_path, {"empty.md": b"  \n", "bom.md": b"\xef\xbb\xbf# Title"})
    loaded, problems = load_vault(tmp_path)
    assert problems == [Diagnostic("empty.md", 1, "info", "empty-note", "note is empty")]
    assert loaded.sources[0] == SourceFile("bom.md", "# Title")


def test_symlinks_leaving_the_vault_are_not_followed(tmp_path: Path) -> None:
    outside = make_vault(tmp_path / "outside", {"secret.md": b"S"})
    vault = make_vault(tmp_path / "vault", {"n.md": b"N", "inner/x.md": b"X"})
    os.symlink(outside, vault / "escape")
    os.symlink(outside / "secret.md", vault / "leak.md")
    os.symlink(vault / "inner", vault / "alias")
    os.symlink(vault, vault / "inner" / "loop")
    loaded, _ = load_vault(vault)
    assert [source.path for source in loaded.sources] == ["inner/x.md", "n.md"]


def test_attachment_folder_is_read_from_obsidian_settings(tmp_path: Path) -> None:
    settings = json.dumps({"attachmentFolderPath": "assets"}).encode()
    make_vault(tmp_path, {".obsidian/app.json": settings, "n.md": b"N"})
    loaded, _ = load_vault(tmp_path)
    assert loaded.attachment_folder == "assets"


def test_broken_obsidian_settings_are_ignored(tmp_path: Path) -> None:
    make_vault(tmp_path, {".obsidian/app.json": b"{not json", "n.md": b"N"})
    loaded, _ = load_vault(tmp_path)
    assert loaded.attachment_folder is None


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("a.md", "**/*.md", True),
        ("x/y/a.md", "**/*.md", True),
        ("x/a.md", "*.md", False),
        ("drafts/a.md", "drafts/**", True),
        ("drafts2/a.md", "drafts/**", False),
        ("a.mdx", "*.md", False),
        ("a+b.md", "a+b.md", True),
        ("ab.md", "a?.md", True),
    ],
)
def test_glob_match_is_folder_aware(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected
