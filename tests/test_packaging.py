"""Entry points that other tools find by name: the console script, pytest11, pre-commit."""

from __future__ import annotations

import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_pre_commit_hook_runs_the_installed_check_command() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert [(hook["id"], hook["entry"]) for hook in hooks] == [
        ("notebook-runner-check", "notebook-runner check")
    ]
    assert hooks[0]["entry"].split()[0] in scripts


def test_pytest_finds_the_notes_plugin_by_entry_point() -> None:
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert plugins["notebook_runner"] == "notebook_runner.pytest_plugin"
