"""`pytest --notes DIR`: each note is a test file, each Python block a test item.

Blocks of a note share one namespace, so the whole note runs (in its own process, like
`notebook-runner check`) when its first item runs; every item then reports its own
block: failures at the note line, blocks after a failure skipped as not run. The
vault's `notebook-runner.toml` (found in DIR) supplies timeout, preload and prelude.
Results are not cached: a pytest run always runs the code.

Notebooks in DIR (`.ipynb`, jupytext `py:percent` scripts not paired with an `.ipynb`)
are notes too, as in the vault: their items are named after their cells (`cell-4`) and
failures are reported at `lesson.ipynb:cell 4:line 2`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from notebook_runner.config import CheckConfig, load_config
from notebook_runner.diagnostics import Locator, at_line, file_line
from notebook_runner.execute.formats import format_failure
from notebook_runner.execute.options import CheckOptions
from notebook_runner.execute.results import BlockError, BlockResult, NoteResult
from notebook_runner.execute.runner import check_notes
from notebook_runner.model import CodeBlock, Note, SourceFile
from notebook_runner.parse import parse_note
from notebook_runner.vault import NOTE_SUFFIX, NOTEBOOK_SUFFIXES, locate_in, read_note

FAILURES = pytest.StashKey[list[BlockError]]()
"""The errors of the blocks that failed in this run, for the hint at its end."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("notebook-runner")
    group.addoption(
        "--notes",
        action="append",
        default=[],
        metavar="DIR",
        help="collect the Python blocks of the Markdown notes under DIR (repeatable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """`pytest --notes vault/` alone runs the notes, not the configured testpaths."""
    roots = [str(Path(root)) for root in config.getoption("notes")]
    if not roots:
        return
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        config.args = [*config.args, *roots]
    else:
        config.args = roots


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> NoteFile | None:
    notebook = file_path.suffix.lower() in NOTEBOOK_SUFFIXES
    if file_path.suffix != NOTE_SUFFIX and not notebook:
        return None
    root = _vault_root(parent.config, file_path)
    if root is None:
        return None
    if not notebook:
        return NoteFile.from_parent(parent, path=file_path, vault_root=root)
    fmt = _notebook_format(file_path, root)
    if fmt is None:
        return None
    return NotebookFile.from_parent(parent, path=file_path, vault_root=root, fmt=fmt)


def _vault_root(config: pytest.Config, file_path: Path) -> Path | None:
    for root in config.getoption("notes"):
        resolved = Path(root).resolve()
        if file_path.resolve().is_relative_to(resolved):
            return resolved
    return None


def _notebook_format(file_path: Path, root: Path) -> str | None:
    """The file's notebook format when the vault reads it as a note: not a plain module,
    nor a script paired with an `.ipynb` (that notebook is the note)."""
    from notebook_runner.notebooks.ingest import pick_notebooks

    relative = PurePosixPath(file_path.resolve().relative_to(root).as_posix())
    source, _ = read_note(file_path, str(relative))
    candidates = {source.path: source.text}
    if file_path.with_suffix(".ipynb").is_file():
        candidates[str(relative.with_suffix(".ipynb"))] = ""
    return pick_notebooks(candidates).get(source.path)


class NoteFile(pytest.File):
    def __init__(self, *, vault_root: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vault_root = vault_root
        self.note: Note | None = None
        self.result: NoteResult | None = None
        self.blocks_by_line: dict[int, BlockResult] = {}
        self.locate: Locator = at_line

    def collect(self) -> Iterator[BlockItem]:
        relative = self.path.resolve().relative_to(self.vault_root).as_posix()
        source, _ = read_note(self.path, relative)
        self.note, _ = parse_note(self.as_markdown(source))
        for block in self.note.code_blocks:
            if block.is_python:
                yield BlockItem.from_parent(self, name=self.item_name(block), line=block.line)

    def as_markdown(self, source: SourceFile) -> SourceFile:
        return source

    def item_name(self, block: CodeBlock) -> str:
        return f"line-{block.line}"

    def run_note(self) -> NoteResult:
        """Run the note once, for all of its items."""
        if self.result is None:
            assert self.note is not None
            config, problems = load_config(self.vault_root)
            check = config.check if not problems else CheckConfig()
            options = CheckOptions(jobs=1, use_cache=False)
            report = check_notes([self.note], self.vault_root, check, options)
            self.result = report.notes[0]
            for block in reversed(self.result.blocks):  # the first at a line wins
                self.blocks_by_line[block.line] = block
        return self.result


class NotebookFile(NoteFile):
    """A notebook: its note is generated Markdown, its locations are cells."""

    def __init__(self, *, fmt: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fmt = fmt

    def as_markdown(self, source: SourceFile) -> SourceFile:
        """A notebook jupytext cannot read has no blocks (`parse` reports why)."""
        from notebook_runner.notebooks.ingest import read_notebook

        ingested, _ = read_notebook(source.path, source.text, self.fmt)
        if ingested is None:
            return SourceFile(source.path, "")
        self.locate = partial(locate_in, {source.path: ingested.line_map})
        return ingested.source

    def item_name(self, block: CodeBlock) -> str:
        """`cell-4`: the fence line is generated, and its location names the cell."""
        assert self.note is not None
        return self.locate(self.note.path, block.line).rpartition(":")[2].replace(" ", "-")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if isinstance(item, BlockItem) and report.skipped and isinstance(report.longrepr, tuple):
        report.longrepr = item.skip_location(report.longrepr[2])
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The way out of the notes' failures, once per run (as `check` says it)."""
    errors = terminalreporter.config.stash.get(FAILURES, [])
    if errors:
        from notebook_runner.execute.formats import way_out

        missing = [error.missing_module for error in errors if error.missing_module]
        for hint in way_out(len(errors) - len(missing), missing):
            terminalreporter.write_line(hint)


class BlockFailed(Exception):
    """Carries the formatted failure to `repr_failure`."""


class BlockItem(pytest.Item):
    def __init__(self, *, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.line = line

    def runtest(self) -> None:
        note_file = self.parent
        assert isinstance(note_file, NoteFile)
        note_file.run_note()
        block = note_file.blocks_by_line[self.line]  # one lookup per item, not a search
        if block.status == "failed" and block.error is not None:
            self.config.stash.setdefault(FAILURES, []).append(block.error)
            path = note_file.run_note().path
            raise BlockFailed(format_failure(path, block.error, note_file.locate))
        if block.status in ("not-run", "skipped"):
            pytest.skip(f"{block.status}: {block.reason}")

    def skip_location(self, reason: str) -> tuple[str, int, str]:
        """Where pytest's short summary puts a skip (`path:line: reason`): the block's
        note line, not the line of this module that raised it; for a notebook cell,
        `lesson.ipynb:cell 4` and line 1, the cell's first."""
        path, line, location = self.reportinfo()
        if line is None:
            return f"{path}:{location.partition(':')[2]}", 1, reason
        return str(path), line + 1, reason

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, BlockFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """A notebook cell has no line of the file to show: only its location."""
        note_file = self.parent
        assert isinstance(note_file, NoteFile) and note_file.note is not None
        line = file_line(note_file.note.path, self.line, note_file.locate)
        if line is None:
            return self.path, None, note_file.locate(note_file.note.path, self.line)
        return self.path, line - 1, f"{self.path.name}:{line}"
