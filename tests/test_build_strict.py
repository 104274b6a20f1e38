"""`build --strict`: exit 1 on a failing block or an error diagnostic, site written anyway.

A CI deployment runs `build --strict` so that a broken note is never published; every
build lists the failing blocks the pages show, at their note lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_runner.cli import main
from notebook_runner.execute.formats import SKIP_HINT

PASSING = "# Passing\n\n```python\nprint(6 * 7)\n```\n"
FAILING = "# Failing\n\n```python\nx = 1\nprint(undefined_name)\n```\n"
BAD_YAML = "---\ntitle: [unclosed\n---\n# Broken\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Passing.md").write_text(PASSING, encoding="utf-8")
    return root


def test_a_failing_block_fails_a_strict_build(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Failing.md").write_text(FAILING, encoding="utf-8")
    out = tmp_path / "site"
    status, stdout, err = run(capsys, "build", str(vault), "--execute", "--strict", "-o", str(out))
    assert (status, err) == (1, "")
    assert stdout.splitlines() == [
        "Failing.md:5: error: NameError: name 'undefined_name' is not defined [block-failed]",
        SKIP_HINT,
        f"built 2 notes (10 files) into {out}; 0 unresolved links; 1 block failed",
        "--strict: 1 error above; exit 1",
    ]
    assert (out / "failing.html").is_file()  # written all the same, to look at


def test_build_counts_failing_blocks_and_names_the_way_out_once(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Failing.md").write_text(FAILING + FAILING, encoding="utf-8")
    (vault / "Needs.md").write_text("```python\nimport notebook_runner_absent\n```\n")
    out = tmp_path / "site"
    status, stdout, _ = run(capsys, "build", str(vault), "--execute", "-o", str(out))
    assert status == 0  # without --strict, failures are shown, not fatal
    assert stdout.splitlines()[-4:] == [
        "Needs.md:2: error: missing module: notebook_runner_absent [missing-module]",
        SKIP_HINT,
        "hint: 1 block needs a module this Python lacks (notebook_runner_absent): install it "
        "where notebook-runner runs, or list it in [check] optional_modules to skip such "
        "blocks while it is missing",
        f"built 3 notes (12 files) into {out}; 0 unresolved links; 2 blocks failed",
    ]


def test_a_stored_failure_fails_a_strict_build_without_running_anything(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `check` stored is what the pages show, failures included."""
    (vault / "Failing.md").write_text(FAILING, encoding="utf-8")
    assert run(capsys, "check", str(vault))[0] == 1
    status, stdout, _ = run(capsys, "build", str(vault), "--strict", "-o", str(tmp_path / "s"))
    assert status == 1
    assert stdout.splitlines()[0] == (
        "Failing.md:5: error: NameError: name 'undefined_name' is not defined [block-failed]"
    )
    status, stdout, _ = run(capsys, "build", str(vault), "-o", str(tmp_path / "s"))
    assert status == 0  # without --strict, a failure is shown, not fatal
    assert stdout.splitlines()[0].endswith("[block-failed]")


def test_an_error_diagnostic_fails_a_strict_build(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Broken.md").write_text(BAD_YAML, encoding="utf-8")
    status, stdout, _ = run(capsys, "build", str(vault), "--strict", "-o", str(tmp_path / "s"))
    assert status == 1
    lines = stdout.splitlines()
    assert lines[0] == (
        "Broken.md:2: error: frontmatter is not valid YAML: did not find expected ',' or ']' "
        "[bad-frontmatter]"
    )
    assert lines[-1] == "--strict: 1 error above; exit 1"


def test_a_clean_vault_passes_a_strict_build(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Other.md").write_text("# Other\n\n[[Nowhere]]\n", encoding="utf-8")
    status, stdout, _ = run(
        capsys, "build", str(vault), "--execute", "--strict", "-o", str(tmp_path / "s")
    )
    assert status == 0  # a warning (the unresolved link) is not an error
    assert (
        stdout.splitlines()[0]
        == "Other.md:3: warning: unresolved link [[Nowhere]] [unresolved-link]"
    )
