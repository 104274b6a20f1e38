"""The vault's `.obsidian/` settings: templates folders left out, line breaks, and odd
settings files read as absent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from page_support import build_in_memory, make_vault

from notebook_runner.obsidian_settings import ObsidianSettings, read_obsidian_settings
from notebook_runner.pipeline import open_vault
from notebook_runner.vault import load_vault

DAILY_TEMPLATE = """---
title: {{title}}
created: <% tp.date.now("YYYY-MM-DD") %>
---
# {{title}}
<% tp.file.cursor() %>
[[{{date}}]]
"""


def _templates_vault(root: Path) -> Path:
    """Modelled on a real vault: core Templates and Templater, each with its folder."""
    return make_vault(
        root,
        {
            ".obsidian/templates.json": json.dumps({"folder": "Templates"}),
            ".obsidian/plugins/templater-obsidian/data.json": json.dumps(
                {"templates_folder": "Meta/Templater/", "trigger_on_file_creation": True}
            ),
            "Templates/Daily.md": DAILY_TEMPLATE,
            "Templates/assets/header.png": "png",
            "Meta/Templater/Lecture.md": DAILY_TEMPLATE,
            "Meta/Other.md": "kept",
            "Templates and more.md": "a note whose name starts like the folder",
            "Home.md": "# Home\n",
        },
    )


def test_templates_folders_are_left_out(tmp_path: Path) -> None:
    loaded, problems = load_vault(_templates_vault(tmp_path))
    assert [source.path for source in loaded.sources] == [
        "Home.md",
        "Meta/Other.md",
        "Templates and more.md",
    ]
    assert loaded.attachments == ()
    assert problems == []


def test_templates_are_neither_checked_nor_published(tmp_path: Path) -> None:
    """Their `{{title}}` frontmatter is not YAML and `[[{{date}}]]` links nowhere: as
    notes they gave errors and pages; left out, they give neither."""
    workspace, site = build_in_memory(_templates_vault(tmp_path), {})
    assert workspace.diagnostics == ()
    assert sorted(page for page in site.files if page.endswith(".html")) == [
        "404.html",
        "home.html",
        "index.html",
        "meta/other.html",
        "templates-and-more.html",
    ]


def test_vault_ignore_replaces_the_default(tmp_path: Path) -> None:
    """`[vault] ignore` set (even empty) is the whole list: templates are published."""
    root = _templates_vault(tmp_path)
    (root / "notebook-runner.toml").write_text('[vault]\nignore = ["Meta/**"]\n')
    workspace = open_vault(root, use_cache=False)
    assert [note.path for note in workspace.vault.notes] == [
        "Home.md",
        "Templates and more.md",
        "Templates/Daily.md",
    ]


def test_settings_are_read(tmp_path: Path) -> None:
    make_vault(
        tmp_path,
        {
            ".obsidian/app.json": json.dumps(
                {"strictLineBreaks": True, "attachmentFolderPath": "./assets"}
            ),
            ".obsidian/templates.json": json.dumps({"folder": "/Zettel/Templates/"}),
        },
    )
    assert read_obsidian_settings(tmp_path) == ObsidianSettings(
        strict_line_breaks=True,
        attachment_folder="./assets",
        template_folders=("Zettel/Templates",),
    )


@pytest.mark.parametrize(
    "templates_json",
    [
        '{"folder": "/"}',
        '{"folder": ""}',
        '{"folder": "../outside"}',
        '{"folder": "a/../../b"}',
        '{"folder": "C:\\\\Templates"}',
        '{"folder": "Temp*"}',
        '{"folder": 3}',
        '["Templates"]',
        "{not json",
        '{"folder": "' + "x" * (1 << 20) + '"}',
        "[" * 100_000,
    ],
)
def test_odd_settings_count_as_absent(tmp_path: Path, templates_json: str) -> None:
    make_vault(
        tmp_path,
        {
            ".obsidian/templates.json": templates_json,
            ".obsidian/app.json": '{"strictLineBreaks": "yes"}',
            "Templates/T.md": "t",
        },
    )
    assert read_obsidian_settings(tmp_path) == ObsidianSettings()
    loaded, _ = load_vault(tmp_path)
    assert [source.path for source in loaded.sources] == ["Templates/T.md"]


def test_a_pipe_named_like_a_settings_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    os.mkfifo(tmp_path / ".obsidian" / "app.json")  # opening it would wait for a writer
    assert read_obsidian_settings(tmp_path) == ObsidianSettings()
