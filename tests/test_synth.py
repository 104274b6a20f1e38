"""The synthetic vault generator (deterministic, realistic, valid where it must be), and
the bench tools it feeds (corpus statistics, parse benchmark)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bench.corpus import corpus_stats, vault_dirs
from bench.parse_bench import RESULTS_END, RESULTS_START, format_report, run, update_readme
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


# -- the generated vault through the real parser and the bench tools ----------------------


@pytest.fixture(scope="module")
def synthetic_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "vault"
    generate_vault(root, 150, seed=11)
    return root


def test_only_the_deliberate_mistakes_are_reported(synthetic_vault: Path) -> None:
    """Every diagnostic is one the generator meant: a `[[Missing ...]]` link, the one
    missing image, or a `mm:0ss` time; anything else is a generator or parser bug."""
    stats = corpus_stats(synthetic_vault)
    assert stats.crashes == ()
    unexpected = [
        diagnostic
        for diagnostic in stats.diagnostics
        if not (
            (diagnostic.code == "unresolved-link" and "[[Missing " in diagnostic.message)
            or (diagnostic.code == "missing-attachment" and "19990101000000" in diagnostic.message)
            or diagnostic.code == "timestamp-fixed-time"
        )
    ]
    assert unexpected == []
    assert stats.by_code["unresolved-link"] > 0


def test_parser_finds_every_generated_timestamp_and_code_block(synthetic_vault: Path) -> None:
    """Counts the generator's own block openings; fences hidden in `%%` are not code."""
    texts = [path.read_text(encoding="utf-8") for path in synthetic_vault.rglob("*.md")]
    timestamps = sum(len(re.findall(r"^```timestamp ?$", text, re.MULTILINE)) for text in texts)
    opening = re.compile(r"^```(?:python|bash|cypher|js|text)", re.MULTILINE)
    fences = sum(len(opening.findall(text)) for text in texts)
    commented = sum(text.count("%%\n```python") for text in texts)
    stats = corpus_stats(synthetic_vault)
    assert stats.notes == 150
    assert stats.timestamps == timestamps > 100
    assert stats.code_blocks == fences - commented > 100


def test_a_vault_folder_is_one_vault_and_a_folder_of_vaults_is_many(tmp_path: Path) -> None:
    (tmp_path / "a" / "notes").mkdir(parents=True)
    (tmp_path / "a" / "Top.md").write_text("# Top\n", encoding="utf-8")
    (tmp_path / "b" / ".obsidian").mkdir(parents=True)
    assert vault_dirs(tmp_path) == [tmp_path / "a", tmp_path / "b"]
    assert vault_dirs(tmp_path / "a") == [tmp_path / "a"]
    assert vault_dirs(tmp_path / "b") == [tmp_path / "b"]


def test_parse_bench_times_every_step_on_the_same_notes(
    synthetic_vault: Path, tmp_path: Path
) -> None:
    timings = run(synthetic_vault, jobs=1, cache_file=tmp_path / "cache.pickle")
    assert [timing.name for timing in timings] == [
        "load",
        "bare",
        "bare+gfm",
        "ours parse",
        "ours resolve",
        "ours",
        "ours x1",
        "cached parse",
        "cached all",
    ]
    assert {timing.notes for timing in timings} == {150}
    assert all(timing.seconds > 0 for timing in timings)
    report = format_report(timings, "test", 1, "0.00")
    assert report.count("\n| ") == len(timings) + 2  # header, rule, rows


def test_readme_results_are_replaced_between_the_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{RESULTS_START}\nold\n{RESULTS_END}\nend\n", encoding="utf-8")
    update_readme(readme, "new")
    assert readme.read_text(encoding="utf-8") == (
        f"intro\n{RESULTS_START}\nnew\n{RESULTS_END}\nend\n"
    )
