"""What every command needs: exit codes and opening a vault or refusing it up front."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from notebook_runner.diagnostics import format_text, sort_key
from notebook_runner.outputs import OutputRefused, check_file_output, write_file_output
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


def repository_folder(vault: Path, environ: Mapping[str, str]) -> str:
    """The vault's folder relative to the root of its repository (`GITHUB_WORKSPACE`,
    else the nearest folder above holding `.git`, which is what `git rev-parse
    --show-toplevel` finds without running git): GitHub annotations name files from
    there. '' when the vault is the root, or in no repository (paths stay vault paths)."""
    vault = vault.resolve()
    workspace = environ.get("GITHUB_WORKSPACE", "")
    roots = [Path(workspace).resolve()] if workspace else []
    roots += [folder for folder in (vault, *vault.parents) if (folder / ".git").exists()][:1]
    for root in roots:
        if vault.is_relative_to(root):
            relative = vault.relative_to(root).as_posix()
            return "" if relative == "." else relative
    return ""


def usable_output(
    output: Path | None,
    vault: Path | None,
    ours: Callable[[bytes], bool],
    command: str,
    err: TextIO,
) -> bool:
    """Whether a command may write its `-o` file (see `outputs`); says why not on `err`.
    No `-o` (standard output) is always fine."""
    if output is None:
        return True
    try:
        check_file_output(output, vault, ours, command)
    except OutputRefused as refused:
        print(f"notebook-runner: error: {refused}", file=err)
        return False
    return True


def written(text: str, output: Path | None, out: TextIO, err: TextIO) -> bool:
    """Write a command's result to its `-o` file, or to `out` without one; False (after
    saying why on `err`) when the file cannot be written."""
    if output is None:
        out.write(text)
        return True
    try:
        write_file_output(output, text)
    except OutputRefused as refused:
        print(f"notebook-runner: error: {refused}", file=err)
        return False
    return True
