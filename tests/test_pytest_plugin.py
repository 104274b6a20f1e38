"""`pytest --notes DIR`: notes as files, blocks as items, failures at note lines."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

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
