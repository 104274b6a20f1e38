"""What real vaults are told (issue 14): no noise a real author would not want, the
same source problems from `parse` and `build`, and repeats said once."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import make_vault

from notebook_runner.cli import main
from notebook_runner.config import CONFIG_NAME
from notebook_runner.diagnostics import grouped_text
from notebook_runner.model import Diagnostic, Severity
from notebook_runner.pipeline import open_vault

EMPTY_NOTES = {"Untitled.md": "", "Index card.md": "---\naliases: [card]\n---\n", "A.md": "# A\n"}


def test_empty_and_property_only_notes_are_not_reported_by_default(tmp_path: Path) -> None:
    assert open_vault(make_vault(tmp_path, EMPTY_NOTES), use_cache=False).diagnostics == ()


@pytest.mark.parametrize("severity", ["info", "warning"])
def test_empty_notes_can_be_reported(tmp_path: Path, severity: Severity) -> None:
    files = {**EMPTY_NOTES, CONFIG_NAME: f'[vault]\nempty_notes = "{severity}"\n'}
    workspace = open_vault(make_vault(tmp_path, files), use_cache=False)
    assert workspace.diagnostics == (
        Diagnostic("Untitled.md", 1, severity, "empty-note", "note is empty"),
        Diagnostic(
            "Index card.md",
            1,
            severity,
            "frontmatter-only",
            "note has only frontmatter and no content",
        ),
    )


FAQ = "unresolved link [FAQ](/faq)"


def test_repeated_diagnostics_are_one_line_saying_how_many_and_where() -> None:
    """A callout template pasted 24 times into one note, each with the same link."""
    lines = [1930 + 31 * n for n in range(24)]
    repeated = [Diagnostic("AI.md", line, "warning", "unresolved-link", FAQ) for line in lines]
    others = [
        Diagnostic("AI.md", 5, "warning", "missing-attachment", "missing attachment ![[a.png]]"),
        Diagnostic("B.md", 3, "warning", "unresolved-link", FAQ),
        Diagnostic("B.md", 9, "warning", "unresolved-link", FAQ, "did you mean 'FAQs'?"),
    ]
    assert grouped_text([*others, *repeated]) == [
        "AI.md:5: warning: missing attachment ![[a.png]] [missing-attachment]",
        "AI.md:1930: warning: 24 x unresolved link [FAQ](/faq), also at lines 1961, 1992, 2023"
        " and 20 more [unresolved-link]",
        "B.md:3: warning: unresolved link [FAQ](/faq) [unresolved-link]",
        "B.md:9: warning: unresolved link [FAQ](/faq) (did you mean 'FAQs'?) [unresolved-link]",
    ]


def test_a_pair_names_the_other_line_and_notebook_places_are_cells() -> None:
    pair = [Diagnostic("A.md", line, "warning", "unresolved-link", FAQ) for line in (4, 8)]
    cells = [Diagnostic("nb.ipynb", line, "warning", "unresolved-link", FAQ) for line in (2, 9)]

    def locate(path: str, line: int) -> str:
        return f"{path}:cell {line}:line 1" if path.endswith(".ipynb") else f"{path}:{line}"

    assert grouped_text([*pair, *cells], locate) == [
        "A.md:4: warning: 2 x unresolved link [FAQ](/faq), also at line 8 [unresolved-link]",
        "nb.ipynb:cell 2:line 1: warning: 2 x unresolved link [FAQ](/faq),"
        " also at cell 9:line 1 [unresolved-link]",
    ]


TROUBLED = {
    "Lecture.md": (
        "---\ntags: [ok, 'c++']\n---\n```timestamp-url\nhttps://youtu.be/hBBOjCiFcuo\n```\n"
        "```timestamp\n19:010\n```\nSee [[Nowhere]] and ![[gone.png]].\n\n"
        "> [!note]\n> [[Nowhere]] again\n\n```python\nx = 1\n"
    ),
    "Broken.md": "---\ntitle: a: b\n---\n# Broken\n",
    "Latin.md": "# Caf\udce9\n",
    "Empty.md": "",
}


def _printed(capsys: pytest.CaptureFixture[str], status: int, *argv: str) -> list[str]:
    assert main(list(argv)) == status
    return capsys.readouterr().out.splitlines()[:-1]  # the summary line aside


def test_build_prints_the_source_problems_parse_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both tell the author the same things about the notes, in the same words
    (`build` used to keep only link problems and errors, dropping e.g. the plugin's
    mis-written time)."""
    vault = tmp_path / "vault"
    for name, text in TROUBLED.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    parsed = _printed(capsys, 1, "parse", str(vault))  # it reports an error
    built = _printed(capsys, 0, "build", str(vault), "-o", str(tmp_path / "site"))
    assert built == parsed
    assert [line.rpartition(" [")[2] for line in parsed] == [
        "bad-frontmatter]",
        "not-utf8]",
        "bad-tag]",
        "timestamp-fixed-time]",
        "missing-attachment]",
        "unresolved-link]",
        "unclosed-fence]",
    ]


@pytest.mark.parametrize("command", ["parse", "check", "build", "export", "serve"])
def test_a_missing_vault_is_said_not_to_exist_and_a_file_not_to_be_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    extra = {"build": ["-o", str(tmp_path / "site")], "export": ["-o", str(tmp_path / "out")]}
    for path, why in (
        (tmp_path / "nope", "does not exist"),
        (tmp_path / "a.md", "is not a folder"),
    ):
        if why == "is not a folder":
            path.write_text("# A\n")
        assert main([command, str(path), *extra.get(command, [])]) == 2
        assert capsys.readouterr().err == f"notebook-runner: error: {path} {why}\n"


@pytest.mark.parametrize("command", ["parse", "check", "build"])
def test_an_empty_vault_is_a_warning_not_a_silent_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    vault = tmp_path / "vault"
    (vault / "attachments").mkdir(parents=True)
    (vault / "attachments" / "pic.png").write_bytes(b"png")
    extra = ["-o", str(tmp_path / "site")] if command == "build" else []
    assert main([command, str(vault), *extra]) == 0
    assert capsys.readouterr().err == (
        f"notebook-runner: warning: no notes found in {vault}"
        " (notes are .md files, .ipynb notebooks and jupytext .py scripts)\n"
    )
