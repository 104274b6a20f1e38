"""Notes to notebooks: cells, outputs from stored results, files, round trips."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from notebook_support import export_one, make_vault

from notebook_runner.execute import BlockError, BlockResult
from notebook_runner.model import Diagnostic, SourceFile
from notebook_runner.notebooks.export import KERNELSPEC, NotebookLinks, export_vault
from notebook_runner.notebooks.formats import read_text, write_text
from notebook_runner.pipeline import open_vault

DEMO_VAULT = Path(__file__).resolve().parent.parent / "vault"
NOTE = (
    "# Title\n\nIntro with [[Other]].\n\n"
    "```python\nprint('hi')\n1 + 1\n```\n\n"
    "```python raises=ValueError timeout=5\nraise ValueError('no')\n```\n\n"
    "```python skip\nimport gpu\n```\n"
)


def test_code_cells_are_the_python_blocks_with_their_options_as_tags() -> None:
    notebook = export_one({"A.md": NOTE, "Other.md": ""})
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == [
        "print('hi')\n1 + 1",
        "raise ValueError('no')",
        "import gpu",
    ]
    assert [dict(cell.metadata) for cell in code] == [
        {},
        {
            "tags": ["raises-exception"],
            "notebook_runner": {"raises": "ValueError", "timeout": "5"},
        },
        {"tags": ["skip-execution"], "notebook_runner": {"skip": "true"}},
    ]
    assert notebook.metadata["kernelspec"] == KERNELSPEC
    assert [cell.id for cell in notebook.cells] == [f"cell-{n}" for n in range(1, 6)]


def test_execute_false_note_tags_every_cell_skip_execution() -> None:
    notebook = export_one({"A.md": "---\nexecute: false\n---\n```python\nx = 1\n```\n"})
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.metadata["tags"] for cell in code] == [["skip-execution"]]


def test_stored_results_become_outputs() -> None:
    results = [
        BlockResult(5, "passed", stdout="hi\n", stderr="careful\n", value="2", figures=("iVBO",)),
        BlockResult(
            10,
            "failed",
            stdout="before\n",
            error=BlockError("KeyError", "'k'", 11, "Traceback (most recent call last):\n"),
        ),
        BlockResult(14, "not-run"),
    ]
    notebook = export_one({"A.md": NOTE, "Other.md": ""}, results=results)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2, None]
    assert code[0].outputs == [
        {"output_type": "stream", "name": "stdout", "text": "hi\n"},
        {"output_type": "stream", "name": "stderr", "text": "careful\n"},
        {"output_type": "display_data", "data": {"image/png": "iVBO"}, "metadata": {}},
        {
            "output_type": "execute_result",
            "data": {"text/plain": "2"},
            "metadata": {},
            "execution_count": 1,
        },
    ]
    assert code[1].outputs == [
        {"output_type": "stream", "name": "stdout", "text": "before\n"},
        {
            "output_type": "error",
            "ename": "KeyError",
            "evalue": "'k'",
            "traceback": ["Traceback (most recent call last):"],
        },
    ]
    assert code[2].outputs == []


def test_error_without_traceback_still_shows_type_and_message() -> None:
    result = BlockResult(1, "failed", error=BlockError("Timeout", "too slow", 2))
    notebook = export_one({"A.md": "```python\nwhile True: pass\n```\n"}, results=[result])
    assert notebook.cells[1].outputs[0]["traceback"] == ["Timeout: too slow"]


def test_cached_results_count_as_run() -> None:
    notebook = export_one(
        {"A.md": "```python\nprint(1)\n```\n"}, results=[BlockResult(1, "cached", stdout="1\n")]
    )
    assert notebook.cells[1].execution_count == 1
    assert notebook.cells[1].outputs[0]["text"] == "1\n"


@pytest.mark.parametrize("fmt", ["ipynb", "py:percent", "md:myst"])
def test_round_trip_through_jupytext_keeps_code_and_text(fmt: str) -> None:
    workspace = open_vault(DEMO_VAULT, use_cache=False)
    notes = {note.path: note for note in workspace.vault.notes}
    for source in workspace.loaded.sources:
        note = notes[source.path]
        exported = export_one({s.path: s.text for s in workspace.loaded.sources}, note.path)
        back = read_text(write_text(exported, fmt), fmt)
        assert [(c.cell_type, c.source) for c in back.cells] == [
            (c.cell_type, c.source) for c in exported.cells
        ], note.path
        code = [c.source for c in back.cells if c.cell_type == "code"]
        assert code == [b.code.removesuffix("\n") for b in note.code_blocks if b.is_python]
        tags = [c.metadata.get("tags", []) for c in back.cells if c.cell_type == "code"]
        assert tags == [c.metadata.get("tags", []) for c in exported.cells if c.cell_type == "code"]


def test_export_vault_writes_mirrored_files_and_copies_linked_attachments(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "img").mkdir(parents=True)
    (vault / "img" / "pic.png").write_bytes(b"\x89PNG")
    files = {"course/A.md": "![[pic.png]] [[B]]\n", "B.md": "```python\nx = 1\n```\n"}
    for path, text in files.items():
        (vault / path).parent.mkdir(parents=True, exist_ok=True)
        (vault / path).write_text(text, encoding="utf-8")
    before = _digest_tree(vault)
    resolved = make_vault(files, ["img/pic.png"])
    sources = [SourceFile(path, text) for path, text in files.items()]
    notes = {note.path: note for note in resolved.notes}
    out = tmp_path / "out"
    exported, problems = export_vault(
        resolved, sources, vault, out, "py:percent", NotebookLinks(notes, "py:percent")
    )
    assert problems == []
    assert exported.notebooks == ("B.py", "course/A.py")
    assert exported.attachments == ("img/pic.png",)
    assert (out / "img" / "pic.png").read_bytes() == b"\x89PNG"
    assert "![pic.png](../img/pic.png) [B](../B.py)" in (out / "course" / "A.py").read_text()
    assert _digest_tree(vault) == before


def test_unwritable_output_is_reported_and_other_notes_still_exported(tmp_path: Path) -> None:
    files = {"A.md": "a\n", "B.md": "b\n"}
    resolved = make_vault(files)
    out = tmp_path / "out"
    sources = [SourceFile(p, t) for p, t in files.items()]
    links = NotebookLinks({n.path: n for n in resolved.notes})
    export_vault(resolved, sources, tmp_path, out, "ipynb", links)
    (out / "A.ipynb").unlink()
    (out / "A.ipynb").mkdir()  # a folder where our notebook should go again
    exported, problems = export_vault(resolved, sources, tmp_path, out, "ipynb", links)
    assert exported.notebooks == ("B.ipynb",)
    assert [(p.path, p.line, p.severity, p.code) for p in problems] == [
        ("A.md", 1, "error", "export-failed")
    ]
    assert problems[0].message.startswith(f"cannot write {out / 'A.ipynb'}: ")


def test_unknown_format_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown notebook format 'docx'"):
        export_vault(make_vault({}), [], tmp_path, tmp_path, "docx", NotebookLinks({}))


def test_demo_vault_export_leaves_the_seed_note_byte_identical(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault, ignore=shutil.ignore_patterns(".notebook-runner"))
    seed = (vault / "Lesson 3.md").read_bytes()
    workspace = open_vault(vault, use_cache=False)
    notes = {note.path: note for note in workspace.vault.notes}
    _, problems = export_vault(
        workspace.vault,
        workspace.loaded.sources,
        vault,
        tmp_path / "out",
        "ipynb",
        NotebookLinks(notes),
    )
    assert problems == list[Diagnostic]()
    assert (vault / "Lesson 3.md").read_bytes() == seed
    assert (DEMO_VAULT / "Lesson 3.md").read_bytes() == seed


def _digest_tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_text_that_looks_like_ipython_survives_the_percent_format() -> None:
    text = "Is it?\n\n```bash\n#!/bin/bash\n```\n\n```python\n\nx = 1\n\n```\n"
    notebook = export_one({"A.md": text})
    back = read_text(write_text(notebook, "py:percent"), "py:percent")
    assert [(cell.cell_type, cell.source) for cell in back.cells] == [
        ("markdown", "# A"),
        ("markdown", "Is it?\n\n```bash\n#!/bin/bash\n```"),
        ("code", "x = 1"),
    ]


def test_the_first_cell_keeps_the_notes_title_and_properties() -> None:
    text = (
        "---\ntags:\n  - ML\n  - fast_ai\nsource: https://youtu.be/ID?t=1\nexecute: true\n"
        "when: 2024-01-02\n---\nIntro.\n\n```python\nx = 1\n```\n"
    )
    notebook = export_one({"Lesson 3.md": text}, "Lesson 3.md")
    assert (notebook.cells[0].cell_type, notebook.cells[0].source) == (
        "markdown",
        "# Lesson 3\n\n"
        "- **tags**: ML, fast\\_ai\n"
        "- **source**: [https://youtu.be/ID?t=1](https://youtu.be/ID?t=1)\n"
        "- **execute**: true\n"
        "- **when**: 2024-01-02",
    )
    assert notebook.metadata["notebook_runner"] == {
        "source": "Lesson 3.md",
        "title": "Lesson 3",
        "frontmatter": {
            "tags": ["ML", "fast_ai"],
            "source": "https://youtu.be/ID?t=1",
            "execute": True,
            "when": "2024-01-02",
        },
    }
    for fmt in ("py:percent", "md:myst"):
        back = read_text(write_text(notebook, fmt), fmt)
        assert back.cells[0].source == notebook.cells[0].source, fmt


def test_the_title_is_not_repeated_and_unsafe_addresses_stay_text() -> None:
    text = "---\nlink: javascript:alert(1)\n---\n# Lesson\n\nText.\n"
    notebook = export_one({"lesson.md": text}, "lesson.md")
    assert notebook.cells[0].source == "- **link**: javascript:alert(1)"
    assert notebook.cells[1].source.startswith("# Lesson")
