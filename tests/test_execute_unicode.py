"""Text from a note's process is never trusted to be valid Unicode.

A snippet can print, raise or return lone surrogates (`print("\\udcff")`), which no
UTF-8 writer accepts: they are shown as U+FFFD wherever a result goes (every report
format, the cache, the site, pytest), and so are those of results stored by an older
version that kept them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from execute_support import run_one, statuses

from notebook_runner.cli import main
from notebook_runner.commands.check import FORMATS
from notebook_runner.execute.cache import cache_dir

PRINTS = '# Prints\n\n```python\nprint("\\udcff")\n```\n'
RAISES = '# Raises\n\n```python\nraise ValueError("\\ud800")\n```\n'


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "prints.md").write_text(PRINTS, encoding="utf-8")
    (folder / "raises.md").write_text(RAISES, encoding="utf-8")
    return folder


def test_printed_raised_and_returned_surrogates_become_replacement_characters(
    tmp_path: Path,
) -> None:
    result = run_one(
        tmp_path,
        'import os, sys\nprint("\\udcff")\nsys.stderr.write("\\udc80")\nos.write(1, b"\\xff")\n',
        "class Odd:\n    def __repr__(self):\n        return '\\ud800'\nOdd()\n",
        'raise ValueError("\\ud800")\n',
        keep_going=True,
    )
    assert statuses(result) == ["passed", "passed", "failed"]
    first, second, third = result.blocks
    assert (first.stdout, first.stderr) == ("\ufffd\n\ufffd", "\ufffd")
    assert second.value == "\ufffd"
    error = third.error
    assert error is not None
    assert (error.type, error.message, error.line) == ("ValueError", "\ufffd", 16)
    assert error.traceback.endswith("ValueError: \ufffd\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_format_writes_a_run_with_surrogates(vault: Path, fmt: str) -> None:
    report = vault.parent / f"report.{fmt}"
    assert main(["check", str(vault), "--format", fmt, "--no-cache", "-o", str(report)]) == 1
    text = report.read_text(encoding="utf-8")
    assert "\ufffd" in text
    if fmt == "json":
        blocks = {note["path"]: note["blocks"][0] for note in json.loads(text)["notes"]}
        assert blocks["prints.md"]["stdout"] == "\ufffd\n"
        assert blocks["raises.md"]["error"]["message"] == "\ufffd"


def test_a_cached_run_with_surrogates_replays_and_builds(vault: Path) -> None:
    report = vault.parent / "report.json"
    assert main(["check", str(vault), "--format", "json", "-o", str(report)]) == 1
    assert main(["check", str(vault), "--format", "json", "-o", str(report)]) == 1
    notes = {note["path"]: note for note in json.loads(report.read_text("utf-8"))["notes"]}
    assert notes["prints.md"]["status"] == "cached"
    assert notes["prints.md"]["blocks"][0]["stdout"] == "\ufffd\n"
    site = vault.parent / "site"
    assert main(["build", str(vault), "-o", str(site)]) == 0
    assert '<pre class="result-stdout">\ufffd\n</pre>' in (site / "prints.html").read_text("utf-8")


def test_results_stored_by_an_older_version_with_surrogates_are_shown_valid(
    vault: Path,
) -> None:
    """Older versions stored what the note printed as is: JSON escapes the surrogate."""
    report = vault.parent / "report.json"
    main(["check", str(vault), "--format", "json", "-o", str(report)])
    for entry in cache_dir(vault).glob("*.json"):
        entry.write_text(entry.read_text("utf-8").replace("\\ufffd", "\\udcff"), "utf-8")
    assert "\\udcff" in "".join(p.read_text("utf-8") for p in cache_dir(vault).glob("*.json"))
    assert main(["check", str(vault), "--format", "text", "-o", str(report)]) == 1
    site = vault.parent / "site"
    assert main(["build", str(vault), "-o", str(site)]) == 0
    page = (site / "raises.html").read_text("utf-8")
    assert "<strong>ValueError</strong>: \ufffd" in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_saved_report_with_surrogates_merges_into_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    saved = {
        "notes": [
            {
                "path": "a\udcff.md",
                "status": "failed",
                "blocks": [
                    {
                        "line": 3,
                        "status": "failed",
                        "stdout": "\udcff",
                        "error": {"type": "E", "message": "\ud800", "line": 4},
                    }
                ],
            }
        ],
        "diagnostics": [
            {"path": "a.md", "line": 1, "severity": "warning", "code": "c", "message": "\udc80"}
        ],
    }
    path = tmp_path / "shard.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    assert main(["report", "merge", str(path), "--format", fmt]) == 1
    out = capsys.readouterr().out
    assert out.encode("utf-8").decode("utf-8") == out
    assert "\ufffd" in out


def test_build_execute_and_pytest_show_surrogates_as_replacement_characters(
    vault: Path,
) -> None:
    site = vault.parent / "site"
    assert main(["build", str(vault), "--execute", "--no-cache", "-o", str(site)]) == 0
    assert '<pre class="result-stdout">\ufffd\n</pre>' in (site / "prints.html").read_text("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--notes", str(vault)],
        cwd=vault.parent,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "raises.md:4: error: ValueError: \ufffd" in done.stdout
