"""The synthetic vault generator: deterministic, realistic, and valid where it must be."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bench.synth import build_vault, generate_vault, main


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _python_blocks(text: str) -> list[str]:
    """Bodies of top-level ```python fences (the generator never indents them)."""
    blocks: list[str] = []
    body: list[str] | None = None
    for line in text.split("\n"):
        if body is None and line.startswith("```python"):
            body = []
        elif body is not None and line == "```":
            blocks.append("\n".join(body))
            body = None
        elif body is not None:
            body.append(line)
    return blocks


def test_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    generate_vault(tmp_path / "a", 60, seed=7)
    generate_vault(tmp_path / "b", 60, seed=7)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert len(first) > 60


def test_other_seed_writes_other_notes() -> None:
    assert build_vault(20, seed=1).notes != build_vault(20, seed=2).notes


def test_vault_on_disk_matches_the_vault_in_memory(tmp_path: Path) -> None:
    vault = build_vault(40, seed=3)
    generate_vault(tmp_path, 40, seed=3)
    on_disk = _files(tmp_path)
    notes = {path: data for path, data in on_disk.items() if path.endswith(".md")}
    assert notes == {path: text.encode("utf-8") for path, text in vault.notes}
    assert [path for path in vault.attachments if path not in on_disk] == []
    assert on_disk[".obsidian/app.json"] == b'{\n  "attachmentFolderPath": "attachments"\n}\n'


def test_note_paths_are_unique_case_insensitively() -> None:
    paths = [path.casefold() for path, _ in build_vault(500, seed=1).notes]
    assert len(paths) == 500
    assert len(set(paths)) == 500


@pytest.mark.parametrize(
    "fragment",
    [
        "---\ntags:\n  - ",
        "Web page: https://",
        "url: https://",
        "```timestamp-url \n https://",
        "```timestamp-url\nhttps://",
        "```timestamp \n ",
        "\n ```\n",
        "[[",
        "|",
        "#^b",
        "==",
        "\n>[!",
        "\n> [!",
        "]- ",
        "\n> > [!",
        "\n$$\n",
        "\n[^1]: ",
        "\n\t- ",
        "\n\t- \n",
        "\n- [x] ",
        "\n%%\n```python\n",
        "![[Pasted image ",
        "\n| --- | --- |\n",
        "```python skip\n",
        "```python timeout=30\n",
        "[[Missing ",
        "/",
    ],
)
def test_vault_mixes_every_obsidian_form(fragment: str) -> None:
    texts = [text for _, text in build_vault(100, seed=1).notes]
    assert any(fragment in text for text in texts)


def test_some_notes_live_in_folders_with_korean_and_emoji_names() -> None:
    paths = [path for path, _ in build_vault(100, seed=1).notes]
    assert any(path.startswith("개인공부/") for path in paths)
    assert any("🗂️" in path or "🏆" in path for path in paths)
    assert any("/" not in path for path in paths)


def test_python_blocks_are_valid_python() -> None:
    blocks = [block for _, text in build_vault(100, seed=4).notes for block in _python_blocks(text)]
    assert len(blocks) > 50
    for block in blocks:
        ast.parse(block)


def test_torch_imports_only_behind_the_flag() -> None:
    plain = [text for _, text in build_vault(100, seed=5).notes]
    with_torch = [text for _, text in build_vault(100, seed=5, torch=True).notes]
    assert not any("import torch" in text for text in plain)
    assert sum("import torch" in text for text in with_torch) > 5


def test_cli_writes_the_requested_number_of_notes(tmp_path: Path) -> None:
    assert main([str(tmp_path / "out"), "--notes", "12", "--seed", "2"]) == 0
    assert len(list((tmp_path / "out").rglob("*.md"))) == 12
