"""What every command needs: exit codes and opening a vault or refusing it up front."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from notebook_runner.diagnostics import format_text, sort_key
from notebook_runner.pipeline import Workspace, open_vault

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def open_or_refuse(
    vault: Path,
    err: TextIO,
    jobs: int | None = None,
    use_cache: bool = True,
    check_videos: bool = True,
) -> Workspace | None:
    """Refuse a missing vault or a broken config (exit 2), listing every config error;
    warn about a vault without notes."""
    if not vault_exists(vault, err):
        return None
    workspace = open_vault(vault, jobs, use_cache, check_videos)
    if workspace.config_errors:
        for problem in sorted(workspace.config_errors, key=sort_key):
            print(format_text(problem), file=err)
        return None
    if not workspace.vault.notes:
        warn_no_notes(vault, err)
    return workspace


def vault_exists(vault: Path, err: TextIO) -> bool:
    """Whether `vault` is a folder; if not, says why (a typo in the path or a file)."""
    if vault.is_dir():
        return True
    why = "is not a folder" if vault.exists() else "does not exist"
    print(f"notebook-runner: error: {vault} {why}", file=err)
    return False


def warn_no_notes(vault: Path, err: TextIO) -> None:
    """An empty vault is most likely the wrong folder: say so rather than report 0."""
    print(
        f"notebook-runner: warning: no notes found in {vault}"
        " (notes are .md files, .ipynb notebooks and jupytext .py scripts)",
        file=err,
    )
