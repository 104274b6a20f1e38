"""`pytest --notes DIR`: notes as files, blocks as items, failures at note lines."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from notebook_runner.execute.formats import SKIP_HINT

NOTE = """\
# Shapes

```python
side = 3
```

Text between.

```python
print(sid)
```

```python
print(side)
```
"""


def test_pytest_collects_blocks_and_reports_failures_at_note_lines(tmp_path: Path) -> None:
    if importlib.util.find_spec("notebook_runner.parse") is None:
        pytest.skip("the parser is not written yet")
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Shapes.md").write_text(NOTE, encoding="utf-8")
    (vault / "no code.md").write_text("# Nothing to run\n", encoding="utf-8")
    junit = tmp_path / "junit.xml"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--notes",
            str(vault),
            f"--junitxml={junit}",
            "-rs",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = completed.stdout
    assert completed.returncode == 1, output + completed.stderr
    assert "1 failed, 1 passed, 1 skipped" in output
    assert "Shapes.md:10: error: NameError: name 'sid' is not defined" in output
    assert "    10 | print(sid)" in output
    cases = ElementTree.parse(junit).getroot().findall(".//testcase")
    outcomes = {case.get("name"): [child.tag for child in case] for case in cases}
    assert outcomes == {"line-3": [], "line-9": ["failure"], "line-13": ["skipped"]}


def _pytest_notes(tmp_path: Path, vault: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--notes", str(vault), "-rs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return completed.stdout


def test_skips_are_reported_at_the_note_line_and_the_way_out_once(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Shapes.md").write_text(NOTE, encoding="utf-8")
    (vault / "Other.md").write_text(
        "```python skip\nx = 1\n```\n\n```python\n1 / 0\n```\n", encoding="utf-8"
    )
    lines = _pytest_notes(tmp_path, vault).splitlines()
    skipped = sorted(line for line in lines if line.startswith("SKIPPED"))
    assert skipped == [
        "SKIPPED [1] vault/Other.md:1: skipped: the block is marked skip",
        "SKIPPED [1] vault/Shapes.md:13: not-run: an earlier block of the note failed",
    ]
    assert [line for line in lines if line.startswith("hint: ")] == [SKIP_HINT]


def test_a_notebook_cells_skip_names_the_cell(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    cells: list[dict[str, object]] = [
        {
            "cell_type": "code",
            "metadata": {"tags": ["skip-execution"]},
            "source": "x = 1",
            "outputs": [],
            "execution_count": None,
        },
    ]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    (vault / "lesson.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    skipped = [line for line in _pytest_notes(tmp_path, vault).splitlines() if "SKIPPED" in line]
    assert skipped == ["SKIPPED [1] vault/lesson.ipynb:cell 1:1: skipped: the block is marked skip"]
