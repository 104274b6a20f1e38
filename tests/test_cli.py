"""The command line: output formats and exit codes of `parse` and `check`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from import_support import loaded_after

from notebook_runner.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "vault" / "Lesson 3.md"


@pytest.fixture
def seed_vault(tmp_path: Path) -> Path:
    """A copy of the seed note alone, so caches land in a temporary folder."""
    vault = tmp_path / "vault"
    vault.mkdir()
    shutil.copyfile(SEED, vault / "Lesson 3.md")
    return vault


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_parse_json_reports_the_seed_note_with_lines(
    seed_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_cli(capsys, "parse", str(seed_vault), "--format", "json")
    report = json.loads(out)
    note = report["notes"][0]
    assert status == 0
    assert (note["path"], note["title"], note["tags"]) == (
        "Lesson 3.md",
        "Lesson 3",
        ["Code", "Fast-ai", "ML"],
    )
    assert note["headings"][0] == {
        "level": 2,
        "text": "Video Notes",
        "line": 9,
        "id": "video-notes",
    }
    assert note["videos"] == [
        {
            "url": "https://www.youtube.com/watch?v=hBBOjCiFcuo",
            "line": 11,
            "title": None,
            "site": "Youtube",
            "id": "hBBOjCiFcuo",
        }
    ]
    assert [(stamp["line"], stamp["link"]) for stamp in note["timestamps"]] == [
        (15, "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=754s"),
        (21, "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=1240s"),
    ]
    assert note["code_blocks"] == [
        {"lang": "python", "line": 39, "end_line": 61, "options": {}},
        {"lang": "python", "line": 63, "end_line": 69, "options": {}},
    ]
    assert report["diagnostics"] == [
        {
            "path": "Lesson 3.md",
            "line": 18,
            "severity": "warning",
            "code": "unresolved-link",
            "message": "unresolved link [[Lesson 2]]",
            "location": "Lesson 3.md:18",
        }
    ]


def test_parse_text_prints_diagnostics_and_a_summary(
    seed_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_cli(capsys, "parse", str(seed_vault))
    assert status == 0
    assert out.splitlines() == [
        "Lesson 3.md:18: warning: unresolved link [[Lesson 2]] [unresolved-link]",
        "1 note, 1 link, 2 timestamps, 2 code blocks, 0 errors, 1 warning",
    ]


def test_config_errors_refuse_to_run_with_exit_2(
    seed_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seed_vault / "notebook-runner.toml").write_text("[check]\ntimout = 3\n[sight]\n")
    status, out, err = run_cli(capsys, "check", str(seed_vault))
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        "notebook-runner.toml:2: error: unknown key in [check] 'timout' "
        "(did you mean 'timeout'?) [unknown-config-key]",
        "notebook-runner.toml:3: error: unknown section 'sight' (did you mean 'site'?) "
        "[unknown-config-key]",
    ]


def test_a_missing_vault_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli(capsys, "parse", str(tmp_path / "nope"))
    assert status == 2
    assert err == f"notebook-runner: error: {tmp_path / 'nope'} does not exist\n"


def test_check_reports_the_seed_failure_at_its_note_line(
    seed_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_cli(capsys, "check", str(seed_vault))
    lines = out.splitlines()
    assert status == 1
    assert lines[0] == "Lesson 3.md:50: error: NameError: name 'torch' is not defined"
    assert lines[-1].startswith("1 note, 2 blocks: 0 passed, 1 failed, 1 not-run, 0 skipped")


def test_check_json_has_the_documented_shape(
    seed_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_cli(capsys, "check", str(seed_vault), "--format", "json")
    report = json.loads(out)
    note = report["notes"][0]
    first, second = note["blocks"]
    assert status == 1
    assert (note["path"], note["status"]) == ("Lesson 3.md", "failed")
    assert (first["line"], first["status"]) == (39, "failed")
    assert {key: first["error"][key] for key in ("type", "message", "line")} == {
        "type": "NameError",
        "message": "name 'torch' is not defined",
        "line": 50,
    }
    assert (second["line"], second["status"], second["error"]) == (63, "not-run", None)
    assert report["summary"] == {
        "notes": 1,
        "blocks": 2,
        "passed": 0,
        "failed": 1,
        "not_run": 1,
        "skipped": 0,
        "cached": 0,
        "missing_modules": 0,
    }


def test_check_exits_0_when_every_block_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ok.md").write_text("```python\nx = 1\n```\n```python\nassert x == 1\n```\n")
    status, out, _ = run_cli(capsys, "check", str(tmp_path))
    assert status == 0
    assert out.splitlines()[-1].startswith("1 note, 2 blocks: 2 passed, 0 failed")


def test_include_and_exclude_globs_choose_the_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.md", "drafts/b.md", "c.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("```python\nraise SystemError\n```\n")
    config = '[check]\ninclude = ["*.md", "drafts/*.md"]\nexclude = ["drafts/**", "c.md"]\n'
    (tmp_path / "notebook-runner.toml").write_text(config)
    _, out, _ = run_cli(capsys, "check", str(tmp_path), "--format", "json")
    assert [note["path"] for note in json.loads(out)["notes"]] == ["a.md"]


def test_shards_merge_back_into_the_whole_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    for index in range(5):
        (vault / f"n{index}.md").write_text(f"```python\nprint({index})\n```\n")
    reports = []
    for shard in ("1/2", "2/2"):
        path = tmp_path / f"shard{shard[0]}.json"
        run_cli(capsys, "check", str(vault), "--shard", shard, "--format", "json", "-o", str(path))
        reports.append(str(path))
    status, out, _ = run_cli(capsys, "report", "merge", *reports)
    merged = json.loads(out)
    assert status == 0
    assert sorted(note["path"] for note in merged["notes"]) == [f"n{i}.md" for i in range(5)]
    assert merged["summary"]["passed"] == 5


@pytest.mark.parametrize("shard", ["0/2", "3/2", "x", "1/2/3"])
def test_bad_shards_are_usage_errors(
    seed_vault: Path, shard: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["check", str(seed_vault), "--shard", shard])
    assert stopped.value.code == 2
    assert "--shard" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "notebook_runner", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == "notebook-runner 0.1.0"


def test_check_imports_neither_the_renderer_nor_jupytext_nor_yt_dlp(seed_vault: Path) -> None:
    run_check = (
        "from notebook_runner.cli import main\n"
        f"main(['check', {str(seed_vault)!r}, '--format', 'json'])"
    )
    renderer = ("notebook_runner.render", "notebook_runner.publish", "notebook_runner.serve")
    heavy = ("yt_dlp", "jupytext", *renderer, "jinja2")
    assert loaded_after(run_check, heavy) == []


def test_the_command_skips_teardown_but_runs_exit_handlers_and_flushes(tmp_path: Path) -> None:
    """`entry` ends with os._exit: every line must still reach a pipe, in order after
    the exit handlers' own output, and the command's status must be the exit code."""
    vault = tmp_path / "vault"
    vault.mkdir()
    for index in range(300):
        (vault / f"note {index}.md").write_text(f"# Note {index}\n[[missing {index}]]\n")
    script = (
        "import atexit, sys\n"
        "atexit.register(print, 'exit handler ran')\n"
        f"sys.argv[1:] = ['parse', {str(vault)!r}]\n"
        "from notebook_runner.cli import entry\n"
        "entry()\n"
        "print('not reached')\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    lines = completed.stdout.splitlines()
    unresolved = [line for line in lines if ": warning: " in line and "missing" in line]
    assert (completed.returncode, len(unresolved), lines[-1]) == (0, 300, "exit handler ran")


@pytest.fixture
def troubled_vault(tmp_path: Path) -> Path:
    """Notes whose code runs but whose source has problems, and one excluded note."""
    vault = tmp_path / "troubled"
    (vault / "skip").mkdir(parents=True)
    (vault / "latin.md").write_bytes(b"# Caf\xe9\n```python\nprint(1)\n```\n")
    (vault / "open.md").write_text("# C\n```python\nprint(3)\n", encoding="utf-8")
    (vault / "skip" / "x.md").write_text("---\n: :\n---\n```python\nprint(4)\n```\n")
    (vault / "notebook-runner.toml").write_text('[check]\nexclude = ["skip/**"]\n')
    return vault


LATIN = (
    "latin.md:1: warning: not valid UTF-8 (byte 0xe9); undecodable bytes shown as \ufffd"
    " (re-save the note as UTF-8) [not-utf8]"
)
UNCLOSED = (
    "open.md:2: warning: code fence is never closed, so it runs to line 3"
    " (add a closing ``` line) [unclosed-fence]"
)


def test_check_reports_source_problems_of_the_notes_it_checks(
    capsys: pytest.CaptureFixture[str], troubled_vault: Path
) -> None:
    status, out, _ = run_cli(capsys, "check", str(troubled_vault), "--no-cache")
    lines = out.splitlines()
    assert status == 0  # warnings only; the excluded note's broken YAML is not this run's
    assert lines[:-1] == [LATIN, UNCLOSED]
    assert lines[-1].startswith("2 notes, 2 blocks: 2 passed, 0 failed, 0 not-run, 0 skipped in ")


def test_an_error_in_a_checked_note_fails_the_run_like_a_collection_error(
    capsys: pytest.CaptureFixture[str], troubled_vault: Path
) -> None:
    (troubled_vault / "yaml.md").write_text("---\ntags: [a\n---\n```python\nprint(2)\n```\n")
    status, out, _ = run_cli(capsys, "check", str(troubled_vault), "--no-cache")
    lines = out.splitlines()
    yaml_error = (
        "yaml.md:2: error: frontmatter is not valid YAML: did not find expected ',' or ']'"
        " [bad-frontmatter]"
    )
    assert status == 1
    assert lines[:-1] == [LATIN, UNCLOSED, yaml_error]
    assert ", 0 skipped, 1 error in notes in " in lines[-1]


def test_problems_of_notes_without_code_do_not_decide_the_check(
    capsys: pytest.CaptureFixture[str], troubled_vault: Path
) -> None:
    (troubled_vault / "prose.md").write_text("---\ntitle: a: b\n---\n# Prose\n```js\nx\n```\n")
    (troubled_vault / "yaml.md").write_text("---\ntags: [a\n---\n```python\nprint(2)\n```\n")
    status, out, _ = run_cli(capsys, "check", str(troubled_vault), "--no-cache")
    lines = out.splitlines()
    assert status == 1  # yaml.md, a note with code
    assert [line.split(":")[0] for line in lines if ": error: " in line] == ["yaml.md"]
    (troubled_vault / "yaml.md").unlink()
    status, out, _ = run_cli(capsys, "check", str(troubled_vault), "--no-cache")
    assert status == 0
    assert "prose.md" not in out and "error" not in out


def test_each_shard_reports_the_source_problems_of_its_own_notes(
    capsys: pytest.CaptureFixture[str], troubled_vault: Path
) -> None:
    _, first, _ = run_cli(capsys, "check", str(troubled_vault), "--no-cache", "--shard", "1/2")
    _, second, _ = run_cli(capsys, "check", str(troubled_vault), "--no-cache", "--shard", "2/2")
    assert (first.splitlines()[:-1], second.splitlines()[:-1]) == ([LATIN], [UNCLOSED])


def test_a_profiled_run_still_writes_its_profile(tmp_path: Path) -> None:
    """The quick exit is skipped under a profiler, which writes its data afterwards."""
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    profile = tmp_path / "run.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "notebook_runner"]
    completed = subprocess.run([*command, "parse", str(tmp_path)], capture_output=True)
    assert (completed.returncode, profile.is_file()) == (0, True)


def test_parse_exits_1_when_it_reports_an_error(
    seed_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seed_vault / "Broken.md").write_text("---\ntags: [a\n---\n# Prose only\n")
    for form in ("text", "json"):
        status, out, _ = run_cli(capsys, "parse", str(seed_vault), "--format", form)
        assert status == 1, form
    assert out.count('"severity": "error"') == 1
