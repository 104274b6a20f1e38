"""The GitHub Actions workflow `init --github-pages` writes: check, report, build, deploy.

Four jobs, each with the official actions only:

- `check`, a matrix of `--shard K/N`: each shard writes a JSON report and keeps its
  results cache (uploaded as artifacts, also when notes fail);
- `report`, whatever the shards did: `report merge` of the shards' reports as GitHub
  annotations at the notes' lines, and as one JUnit file (an artifact);
- `build`, once every shard passed: the shards' caches are put together, so `build
  --execute` runs nothing again (only what the caches miss), then `build --strict`
  fails on a failing block or an error diagnostic, before anything is published;
- `deploy`, on a push to the branch the site is published from: the official Pages
  deployment, one at a time (`concurrency: pages`), with the only permissions it needs.

The text is written out, not dumped from a dictionary: it is a file users read and edit,
so it keeps the order and comments of GitHub's own starter workflows.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from notebook_runner import __version__
from notebook_runner.outputs import STATE_FOLDER

WORKFLOW_PATH = ".github/workflows/notebook-runner.yml"
DEFAULT_BRANCH = "main"
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")
_REQUIREMENTS = "requirements.txt"


class NoWorkflow(Exception):
    """No workflow can be written for this vault: it is in no git repository, or its
    folder name cannot go into one."""


@dataclass(frozen=True)
class Repository:
    """What the workflow needs to know about the repository holding the vault."""

    root: Path
    vault: str
    """The vault's folder relative to `root`, `/`-separated; `.` for the root itself."""
    branch: str
    python: str
    """`X.Y`, or '' when `.python-version` at the root says which (setup-python reads it)."""
    requirements: str
    """The requirements file the notes' imports are installed from, relative; '' if none."""


def find_repository(vault: Path) -> Repository:
    """The git repository holding `vault` (the nearest folder at or above it that holds
    `.git`, as `git rev-parse --show-toplevel` finds it, without running git)."""
    vault = vault.resolve()
    root = next((folder for folder in (vault, *vault.parents) if (folder / ".git").exists()), None)
    if root is None:
        raise NoWorkflow(
            f"{vault} is in no git repository (no .git folder in it or above it); "
            "run `git init` where the repository should start, then run this again"
        )
    folder = vault.relative_to(root).as_posix()
    if "${{" in folder or "\n" in folder or "\r" in folder:  # an expression, or a new line
        raise NoWorkflow(f"the folder name {folder!r} cannot be written into a workflow")
    return Repository(
        root=root,
        vault=folder,
        branch=current_branch(root) or DEFAULT_BRANCH,
        python="" if (root / ".python-version").is_file() else _running_python(),
        requirements=_requirements(root, folder),
    )


def current_branch(root: Path) -> str | None:
    """The branch checked out at `root` (`.git/HEAD`, or the folder a `.git` file points
    to in a worktree or submodule); None when detached, unreadable or an unusual name."""
    git = root / ".git"
    try:
        if git.is_file():
            pointer = git.read_text(encoding="utf-8").strip()
            git = root / pointer.removeprefix("gitdir:").strip()
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    branch = head.removeprefix("ref: refs/heads/")
    return branch if branch != head and _BRANCH.fullmatch(branch) else None


def _running_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _requirements(root: Path, vault: str) -> str:
    for folder in (vault, "."):
        if (root / folder / _REQUIREMENTS).is_file():
            return (Path(folder) / _REQUIREMENTS).as_posix()
    return ""


def workflow(repository: Repository, shards: int) -> str:
    """The workflow's text for `repository`, checking in `shards` parallel jobs."""
    vault = shlex.quote(repository.vault)
    cache = json.dumps(_in_vault(repository.vault, f"{STATE_FOLDER}/cache/execute"))
    matrix = ", ".join(str(shard) for shard in range(1, shards + 1))
    setup = _setup_steps(repository)
    return f"""\
# Written by `notebook-runner init --github-pages` (notebook-runner {__version__}); yours to edit.
# On every push to {repository.branch} and every pull request: run the notes' Python
# ({_where(repository.vault)}) in {shards} shards, annotate failures at their note lines and
# build the site; on {repository.branch}, publish it to GitHub Pages.
# Once: Settings > Pages > Build and deployment > Source: GitHub Actions.
name: Notes

on:
  push:
    branches: [{json.dumps(repository.branch)}]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: notes-${{{{ github.ref }}}}
  cancel-in-progress: ${{{{ github.event_name == 'pull_request' }}}}

jobs:
  check:
    name: check (shard ${{{{ matrix.shard }}}} of {shards})
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [{matrix}]
    steps:
{setup}
      - name: Run the notes' Python
        run: >-
          notebook-runner check {vault} --shard ${{{{ matrix.shard }}}}/{shards}
          --format json -o "$RUNNER_TEMP/check-${{{{ matrix.shard }}}}.json"
      - uses: actions/upload-artifact@v4
        if: ${{{{ !cancelled() }}}}
        with:
          name: check-report-${{{{ matrix.shard }}}}
          path: ${{{{ runner.temp }}}}/check-${{{{ matrix.shard }}}}.json
      - uses: actions/upload-artifact@v4
        if: ${{{{ !cancelled() }}}}
        with:
          name: check-cache-${{{{ matrix.shard }}}}
          path: {cache}
          include-hidden-files: true
          if-no-files-found: ignore

  report:
    needs: check
    if: ${{{{ !cancelled() }}}}
    runs-on: ubuntu-latest
    steps:
{_setup_steps(repository, requirements=False)}
      - uses: actions/download-artifact@v4
        with:
          pattern: check-report-*
          path: reports
          merge-multiple: true
      - name: Annotate failures at their note lines
        run: notebook-runner report merge reports/*.json --format github
      - name: Write the JUnit report
        if: ${{{{ !cancelled() }}}}
        run: notebook-runner report merge reports/*.json --format junit -o notes-junit.xml
      - uses: actions/upload-artifact@v4
        if: ${{{{ !cancelled() }}}}
        with:
          name: junit
          path: notes-junit.xml

  build:
    needs: check
    runs-on: ubuntu-latest
    steps:
{_setup_steps(repository, history=True)}
      - uses: actions/download-artifact@v4
        with:
          pattern: check-cache-*
          path: {cache}
          merge-multiple: true
      - name: Build the site
        run: notebook-runner build {vault} --execute --strict -o "$RUNNER_TEMP/site"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: ${{{{ runner.temp }}}}/site

  deploy:
    needs: build
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/{repository.branch}'
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    concurrency:
      group: pages
      cancel-in-progress: false
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def _setup_steps(repository: Repository, requirements: bool = True, history: bool = False) -> str:
    """Check out (with the whole `history`, whose commit times date the notes in the
    sitemap and feed), set up Python and install notebook-runner at this version, plus
    the notes' requirements when there are any and the job runs notes."""
    python = (
        "python-version-file: .python-version"
        if not repository.python
        else f"python-version: {json.dumps(repository.python)}"
    )
    steps = ["      - uses: actions/checkout@v4"]
    if history:
        steps += ["        with:", "          fetch-depth: 0"]
    steps += ["      - uses: actions/setup-python@v5", "        with:", f"          {python}"]
    install = [f'python -m pip install "notebook-runner=={__version__}"']
    if repository.requirements and requirements:
        steps += [
            "          cache: pip",
            f"          cache-dependency-path: {repository.requirements}",
        ]
        install.append(f"python -m pip install -r {shlex.quote(repository.requirements)}")
    steps += ["      - name: Install notebook-runner", "        run: |"]
    steps += [f"          {line}" for line in install]
    return "\n".join(steps)


def _where(vault: str) -> str:
    return "the vault is the repository" if vault == "." else f"the vault is {vault}/"


def _in_vault(vault: str, path: str) -> str:
    return path if vault == "." else f"{vault}/{path}"
