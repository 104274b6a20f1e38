"""How a block's outcome is decided beyond pass and fail: a note that exits, skip reasons,
modules this Python lacks, and the way out a report names (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from execute_support import make_note, run, run_one, statuses

from notebook_runner.config import CheckConfig, load_config
from notebook_runner.execute import BlockError, format_github, format_json, format_text
from notebook_runner.execute.formats import SKIP_HINT
from notebook_runner.parse.code_options import read_code_options


def test_sys_exit_0_passes_its_block_and_skips_the_rest_of_the_note(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        "print('before')\n",
        "import sys\nif True:\n    sys.exit(0)\nprint('never')\n",
        "print('after')\n",
        ("python", "print('reset')\n", {"reset": "true"}),
    )
    assert statuses(result) == ["passed", "passed", "skipped", "skipped"]
    assert result.status == "passed"
    assert result.blocks[1].error is None and result.blocks[1].stdout == ""
    assert [block.reason for block in result.blocks[2:]] == ["the note exited at line 8"] * 2


def test_exit_without_a_status_is_status_0(tmp_path: Path) -> None:
    result = run_one(tmp_path, "raise SystemExit\n", "x = 1\n")
    assert statuses(result) == ["passed", "skipped"]
    assert result.blocks[1].reason == "the note exited at line 2"


def test_a_non_zero_exit_status_stays_a_failure(tmp_path: Path) -> None:
    for code, shown in (("1", "1"), ("'usage: prog'", "'usage: prog'"), ("True", "True")):
        result = run_one(tmp_path, f"import sys\nsys.exit({code})\n", "x = 1\n")
        assert statuses(result) == ["failed", "not-run"], code
        error = result.blocks[0].error
        assert error is not None
        assert (error.type, error.message, error.line) == (
            "SystemExit",
            f"sys.exit({shown}) was called",
            3,
        )


def test_raises_system_exit_lets_the_note_go_on(tmp_path: Path) -> None:
    result = run_one(
        tmp_path, ("python", "import sys\nsys.exit(0)\n", {"raises": "SystemExit"}), "x = 1\n"
    )
    assert statuses(result) == ["passed", "passed"]


def test_skipped_and_not_run_blocks_say_why(tmp_path: Path) -> None:
    marked = make_note("a.md", ("python", "x = 1\n", {"skip": "true"}), "1 / 0\n", "y = 2\n")
    off = make_note("b.md", "x = 1\n", frontmatter={"execute": False})
    report = run(tmp_path, marked, off)
    reasons = [(block.status, block.reason) for note in report.notes for block in note.blocks]
    assert reasons == [
        ("skipped", "the block is marked skip"),
        ("failed", ""),
        ("not-run", "an earlier block of the note failed"),
        ("skipped", "the note has execute: false"),
    ]


ABSENT = "notebook_runner_absent_module"
"""A module no Python has: what `import fastai` is on a machine without fastai."""


def _failure(tmp_path: Path, code: str) -> BlockError:
    result = run_one(tmp_path, code)
    error = result.blocks[0].error
    assert result.blocks[0].status == "failed" and error is not None
    return error


def test_a_module_that_is_not_installed_is_a_missing_module(tmp_path: Path) -> None:
    for code in (f"import {ABSENT}\n", f"from {ABSENT}.sub import x\n", f"import {ABSENT} as a\n"):
        error = _failure(tmp_path, code)
        assert (error.type, error.missing_module, error.line) == ("ModuleNotFoundError", ABSENT, 2)


def test_a_missing_module_stays_one_in_a_note_with_a_non_ascii_name(tmp_path: Path) -> None:
    report = run(tmp_path, make_note("제작 노트.md", f"import {ABSENT}  # 모듈\n"))
    error = report.notes[0].blocks[0].error
    assert error is not None and error.missing_module == ABSENT


def test_a_module_beside_the_note_that_imports_an_absent_one_needs_it_too(
    tmp_path: Path,
) -> None:
    (tmp_path / "helper.py").write_text(f"import {ABSENT}\n")
    assert _failure(tmp_path, "import helper\n").missing_module == ABSENT


def test_import_failures_that_are_bugs_of_the_note_stay_bugs(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("x = 1\n")
    (tmp_path / "broken.py").write_text("raise ImportError('needs a GPU')\n")
    bugs = {
        "from math import nope\n": "ImportError",  # a name missing from a module
        "import os.nope\n": "ModuleNotFoundError",  # a submodule of an installed package
        "import helpr\n": "ModuleNotFoundError",  # a typo of the module beside the note
        "import broken\n": "ImportError",  # a module that exists and refuses
        "raise ModuleNotFoundError('no', name='json')\n": "ModuleNotFoundError",
        "raise ModuleNotFoundError('no')\n": "ModuleNotFoundError",
    }
    for code, kind in bugs.items():
        error = _failure(tmp_path, code)
        assert (error.type, error.missing_module) == (kind, ""), code


def test_missing_modules_are_counted_apart_from_failures_and_still_fail_the_run(
    tmp_path: Path,
) -> None:
    missing = make_note("a.md", f"import {ABSENT}\n", "x = 1\n")
    bug = make_note("b.md", "1 / 0\n")
    report = run(tmp_path, missing, bug)
    assert (report.summary.failed, report.summary.missing_modules) == (1, 1)
    assert report.failed
    only_missing = run(tmp_path, missing)
    assert only_missing.failed and only_missing.summary.failed == 0
    text = format_text(report).splitlines()
    assert text[:2] == [f"a.md:2: error: missing module: {ABSENT}", f"     2 | import {ABSENT}"]
    assert text[2].startswith("b.md:2: error: ZeroDivisionError: division by zero")
    assert text[-3:-1] == [
        SKIP_HINT,
        f"hint: 1 block needs a module this Python lacks ({ABSENT}): install it where "
        "notebook-runner runs, or list it in [check] optional_modules to skip such blocks "
        "while it is missing",
    ]
    assert text[-1].startswith(
        "2 notes, 3 blocks: 0 passed, 1 failed, 1 missing module, 1 not-run, 0 skipped in "
    )
    assert format_github(report).splitlines()[0] == (
        f"::error file=a.md,line=2,title=missing-module::missing module: {ABSENT}"
    )
    assert json.loads(format_json(report))["summary"]["missing_modules"] == 1


def test_the_way_out_is_said_once_per_run_and_only_for_failures(tmp_path: Path) -> None:
    report = run(tmp_path, make_note("a.md", "1 / 0\n"), make_note("b.md", "x\n"))
    assert format_text(report).count("hint: ") == 1
    passing = run(tmp_path, make_note("c.md", "x = 1\n"))
    assert "hint" not in format_text(passing)


def test_optional_modules_skip_the_blocks_that_need_them(tmp_path: Path) -> None:
    config = CheckConfig(optional_modules=(ABSENT,))
    note = make_note(
        "a.md",
        "print('first')\n",
        f"import {ABSENT}\n",
        f"{ABSENT}.run()\n",
        ("python", "print('fresh')\n", {"reset": "true"}),
    )
    report = run(tmp_path, note, config=config, use_cache=True)
    result = report.notes[0]
    assert statuses(result) == ["passed", "skipped", "skipped", "passed"]
    assert [block.reason for block in result.blocks[1:3]] == [
        f"missing module: {ABSENT} (in [check] optional_modules)",
        f"an earlier block needs {ABSENT}, which is not installed",
    ]
    assert not report.failed and result.status == "passed"
    assert "hint" not in format_text(report)
    again = run(tmp_path, note, config=config, use_cache=True)
    assert again.summary.cached == 0  # installing the module must run the blocks


def test_optional_modules_must_be_module_names(tmp_path: Path) -> None:
    (tmp_path / "notebook-runner.toml").write_text(
        '[check]\noptional_modules = ["fastai", "scikit-learn"]\n'
    )
    _, problems = load_config(tmp_path)
    assert [(p.line, p.code, p.message) for p in problems] == [
        (
            2,
            "bad-config",
            "check.optional_modules must name top-level modules (as in `import NAME`), "
            "not 'scikit-learn'",
        )
    ]


def test_run_marked_runs_only_marked_blocks_and_notes_with_execute_true(
    tmp_path: Path,
) -> None:
    config = CheckConfig(run="marked")
    mixed = make_note(
        "a.md",
        "print('illustration')\n",
        ("python", "x = 1\n", {"run": "true"}),
        ("python", "print(x)\n", {"run": "true"}),
    )
    whole = make_note(
        "b.md", "y = 2\n", ("python", "1 / 0\n", {"skip": "true"}), frontmatter={"execute": True}
    )
    untouched = make_note("c.md", "1 / 0\n", frontmatter={"execute": "maybe"})
    report = run(tmp_path, mixed, whole, untouched, config=config)
    assert [statuses(note) for note in report.notes] == [
        ["skipped", "passed", "passed"],
        ["passed", "skipped"],
        ["skipped"],
    ]
    assert report.notes[0].blocks[0].reason == 'not marked run ([check] run = "marked")'
    assert report.notes[0].blocks[2].stdout == "1\n"
    assert [d.message for d in report.diagnostics] == [
        "frontmatter `execute` must be true or false, not 'maybe'; "
        "running only its blocks marked `run`"
    ]


def test_run_all_runs_unmarked_blocks_and_run_is_a_known_option(tmp_path: Path) -> None:
    note = make_note("a.md", "print(1)\n", ("python", "print(2)\n", {"run": "true"}))
    assert statuses(run(tmp_path, note).notes[0]) == ["passed", "passed"]
    options, problems = read_code_options(["run"])
    assert (options, problems) == ({"run": "true"}, [])


def test_run_must_be_all_or_marked(tmp_path: Path) -> None:
    (tmp_path / "notebook-runner.toml").write_text('[check]\nrun = "some"\n')
    _, problems = load_config(tmp_path)
    assert [(p.line, p.message) for p in problems] == [
        (2, "check.run must be one of 'all', 'marked'")
    ]
    (tmp_path / "notebook-runner.toml").write_text('[check]\nrun = "marked"\n')
    assert load_config(tmp_path)[0].check.run == "marked"
