"""Running the blocks of notes: order, shared state, options, reporting at note lines."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from execute_support import make_note, run, run_one, statuses

from notebook_runner.config import CheckConfig
from notebook_runner.execute import (
    BlockError,
    format_json,
    format_text,
    select_shard,
)
from notebook_runner.model import Diagnostic, SourceFile

SEED = Path(__file__).resolve().parent.parent / "vault" / "Lesson 3.md"


def test_seed_note_reports_the_torch_name_error_at_line_50(tmp_path: Path) -> None:
    if importlib.util.find_spec("notebook_runner.parse") is None:
        pytest.skip("the parser is not written yet")
    from notebook_runner.parse import parse_note

    note, _ = parse_note(SourceFile("Lesson 3.md", SEED.read_text(encoding="utf-8")))
    report = run(tmp_path, note)
    data = json.loads(format_json(report))
    failed, not_run = data["notes"][0]["blocks"]
    assert data["notes"][0]["path"] == "Lesson 3.md"
    assert data["notes"][0]["status"] == "failed"
    assert (failed["line"], failed["status"]) == (39, "failed")
    assert {key: failed["error"][key] for key in ("type", "message", "line")} == {
        "type": "NameError",
        "message": "name 'torch' is not defined",
        "line": 50,
    }
    assert (not_run["line"], not_run["status"], not_run["error"]) == (63, "not-run", None)
    assert data["summary"] == {
        "notes": 1,
        "blocks": 2,
        "passed": 0,
        "failed": 1,
        "not_run": 1,
        "skipped": 0,
        "cached": 0,
        "missing_modules": 0,
    }
    text = format_text(report).splitlines()
    assert text[0] == "Lesson 3.md:50: error: NameError: name 'torch' is not defined"
    assert text[1] == "    50 | abc = torch.tensor([1.1,1.1,1.1])"
    assert 'File "Lesson 3.md", line 50, in <module>' in format_text(report)
    assert "notebook_runner" not in failed["error"]["traceback"]


def test_blocks_of_a_note_share_one_namespace(tmp_path: Path) -> None:
    result = run_one(tmp_path, "x = 20\n", "def f():\n    return x + 1\n", "print(f() * 2)\n")
    assert statuses(result) == ["passed", "passed", "passed"]
    assert result.blocks[2].stdout == "42\n"


def test_notes_do_not_share_state(tmp_path: Path) -> None:
    first = make_note("a.md", "import math\nleaked = 1\n")
    second = make_note("b.md", "print(leaked)\n")
    report = run(tmp_path, first, second, jobs=1)
    assert [note.status for note in report.notes] == ["passed", "failed"]
    error = report.notes[1].blocks[0].error
    assert error is not None and (error.type, error.line) == ("NameError", 2)


def test_value_of_a_last_bare_expression_is_kept_as_repr(tmp_path: Path) -> None:
    result = run_one(tmp_path, "x = 'a'\nx * 3\n", "None\n", "x = 1\n")
    assert [block.value for block in result.blocks] == ["'aaa'", None, None]


def test_stdout_and_stderr_are_captured_per_block_at_python_and_descriptor_level(
    tmp_path: Path,
) -> None:
    code = "import os, sys\nprint('out')\nprint('err', file=sys.stderr)\nos.write(1, b'fd\\n')\n"
    result = run_one(tmp_path, code, "print('second')\n")
    assert (result.blocks[0].stdout, result.blocks[0].stderr) == ("out\nfd\n", "err\n")
    assert result.blocks[1].stdout == "second\n"


def test_failure_is_reported_at_the_innermost_note_line(tmp_path: Path) -> None:
    result = run_one(tmp_path, "def f():\n    return 1 / 0\n", "x = 1\nf()\n")
    error = result.blocks[1].error
    assert error is not None
    assert (error.type, error.message, error.line, error.source_line) == (
        "ZeroDivisionError",
        "division by zero",
        3,
        "return 1 / 0",
    )
    assert 'File "note.md", line 8, in <module>\n    f()' in error.traceback
    assert 'File "note.md", line 3, in f\n    return 1 / 0' in error.traceback


def test_syntax_error_is_reported_at_its_note_line(tmp_path: Path) -> None:
    result = run_one(tmp_path, "x = 1\ny = (\n")
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.line) == ("SyntaxError", 3)


def test_blocks_after_a_failure_are_not_run_unless_keep_going(tmp_path: Path) -> None:
    blocks = ("x = 1\n", "raise ValueError('bad')\n", "print(x)\n")
    assert statuses(run_one(tmp_path, *blocks)) == ["passed", "failed", "not-run"]
    kept = run_one(tmp_path, *blocks, keep_going=True)
    assert statuses(kept) == ["passed", "failed", "passed"]
    assert kept.blocks[2].stdout == "1\n"


def test_continue_and_reset_blocks_run_after_a_failure(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        "x = 1\n",
        "1 / 0\n",
        ("python", "print(x)\n", {"continue": "true"}),
        ("python", "print('x' in dir())\n", {"reset": "true"}),
        "print('never')\n",
    )
    assert statuses(result) == ["passed", "failed", "passed", "passed", "not-run"]
    assert [result.blocks[2].stdout, result.blocks[3].stdout] == ["1\n", "False\n"]


def test_skip_option_and_non_python_blocks(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        ("python", "raise SystemError\n", {"skip": "true"}),
        ("bash", "rm -rf /\n", {}),
        ("py", "print('ran')\n", {}),
    )
    assert [(block.line, block.status) for block in result.blocks] == [
        (1, "skipped"),
        (9, "passed"),
    ]


def test_execute_false_in_frontmatter_skips_the_note(tmp_path: Path) -> None:
    note = make_note("n.md", "raise SystemError\n", frontmatter={"execute": False})
    report = run(tmp_path, note)
    assert report.notes[0].status == "skipped"
    assert statuses(report.notes[0]) == ["skipped"]


def test_bad_note_settings_warn_and_fall_back(tmp_path: Path) -> None:
    note = make_note(
        "n.md",
        ("python", "x = 1\n", {"timeout": "soon"}),
        frontmatter={"execute": "maybe", "timeout": -1},
    )
    report = run(tmp_path, note)
    assert statuses(report.notes[0]) == ["passed"]
    assert list(report.diagnostics) == [
        Diagnostic(
            "n.md",
            1,
            "warning",
            "bad-note-setting",
            "frontmatter `execute` must be true or false, not 'maybe'; running the note",
        ),
        Diagnostic(
            "n.md",
            1,
            "warning",
            "bad-timeout",
            "timeout must be a positive number of seconds, not -1; using 30",
        ),
        Diagnostic(
            "n.md",
            1,
            "warning",
            "bad-timeout",
            "timeout must be a positive number of seconds, not 'soon'; using 30",
        ),
    ]


def test_raises_option_passes_when_the_exception_is_raised(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        ("python", "print('before')\nundefined_name\n", {"raises": "NameError"}),
        ("python", "import json\njson.loads('{')\n", {"raises": "ValueError"}),
        "print('after')\n",
    )
    assert statuses(result) == ["passed", "passed", "passed"]
    assert result.blocks[0].stdout == "before\n"


def test_raises_option_fails_when_nothing_or_something_else_is_raised(tmp_path: Path) -> None:
    quiet = run_one(tmp_path, ("python", "x = 1\n", {"raises": "NameError"}))
    assert quiet.blocks[0].error == BlockError(
        "DidNotRaise", "expected NameError to be raised, but the block raised nothing", 1
    )
    other = run_one(tmp_path, ("python", "1 / 0\n", {"raises": "NameError"}))
    error = other.blocks[0].error
    assert error is not None and (error.type, error.line) == ("ZeroDivisionError", 2)


def test_doctest_blocks_use_ellipsis_and_normalize_whitespace(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        "base = 10\n",
        ("pycon", ">>> list(range(base))\n[0, 1, ..., 9]\n>>> print('a   b')\na b\n", {}),
        ">>> shared = base * 2\n>>> shared\n20\n",
        "print(shared)\n",
    )
    assert statuses(result) == ["passed", "passed", "passed", "passed"]
    assert result.blocks[3].stdout == "20\n"


def test_doctest_mismatch_is_reported_at_the_example_line(tmp_path: Path) -> None:
    result = run_one(tmp_path, ">>> 1 + 1\n2\n>>> 2 + 2\n5\n>>> never_reached\n")
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line, error.source_line) == (
        "DoctestFailure",
        "expected '5', got '4'",
        4,
        ">>> 2 + 2",
    )


def test_doctest_unexpected_exception_is_reported_at_the_example_line(tmp_path: Path) -> None:
    result = run_one(tmp_path, ">>> x = 1\n>>> missing\n")
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message, error.line) == (
        "NameError",
        "name 'missing' is not defined",
        3,
    )


def test_snippets_run_in_a_temporary_folder_and_see_their_note_folder(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "sub").mkdir(parents=True)
    code = (
        "import os\n"
        "open('written.txt', 'w').write('x')\n"
        "print(os.getcwd() != __note_dir__)\n"
        "print(__note_dir__ == os.environ['NOTEBOOK_RUNNER_NOTE_DIR'])\n"
        "print(__note_dir__)\n"
    )
    report = run(vault, make_note("sub/n.md", code))
    block = report.notes[0].blocks[0]
    assert block.stdout == f"True\nTrue\n{vault.resolve() / 'sub'}\n"
    assert list(vault.rglob("written.txt")) == []


def test_prelude_runs_before_every_note_and_preload_failures_are_reported(
    tmp_path: Path,
) -> None:
    config = CheckConfig(prelude="import math\nunit = 2")
    report = run(tmp_path, make_note("a.md", "print(math.floor(unit * 1.5))\n"), config=config)
    assert report.notes[0].blocks[0].stdout == "3\n"
    broken = CheckConfig(preload=("no_such_module_for_tests",))
    result = run(tmp_path, make_note("a.md", "x = 1\n", "y = 2\n"), config=broken).notes[0]
    assert statuses(result) == ["failed", "not-run"]
    error = result.blocks[0].error
    assert error is not None
    assert (error.type, error.message) == (
        "ModuleNotFoundError",
        "in the prelude: No module named 'no_such_module_for_tests'",
    )


def test_results_keep_input_order_with_parallel_jobs(tmp_path: Path) -> None:
    notes = [make_note(f"n{i}.md", f"import time\ntime.sleep(0.0{9 - i})\n") for i in range(6)]
    report = run(tmp_path, *notes, jobs=3)
    assert [note.path for note in report.notes] == [f"n{i}.md" for i in range(6)]
    assert {note.status for note in report.notes} == {"passed"}


def test_progress_is_reported_once_per_note(tmp_path: Path) -> None:
    seen: list[str] = []
    notes = [make_note("a.md", "x = 1\n"), make_note("b.md", "y\n"), make_note("c.md")]
    run(tmp_path, *notes, on_progress=lambda result: seen.append(result.path))
    assert sorted(seen) == ["a.md", "b.md"]


def test_spawn_fallback_runs_notes_the_same_way(tmp_path: Path) -> None:
    result = run_one(tmp_path, "x = 2\n", "x ** 5\n", "y\n", start_method="spawn")
    assert statuses(result) == ["passed", "passed", "failed"]
    assert result.blocks[1].value == "32"


def test_shard_partition_is_deterministic_and_complete() -> None:
    notes = [make_note(f"{name}.md") for name in "qwertyuiopasdfg"]
    shards = [select_shard(notes, (k, 4)) for k in range(1, 5)]
    paths = [note.path for shard in shards for note in shard]
    assert sorted(paths) == sorted(note.path for note in notes)
    assert len(paths) == len(set(paths))
    assert {len(shard) for shard in shards} == {3, 4}
    reversed_input = [select_shard(list(reversed(notes)), (k, 4)) for k in range(1, 5)]
    assert reversed_input == shards
    with pytest.raises(ValueError):
        select_shard(notes, (5, 4))


def test_matplotlib_figures_are_kept_as_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 4])\n"
    result = run_one(tmp_path, code, "x = 1\n")
    import base64

    assert len(result.blocks[0].figures) == 1
    assert base64.b64decode(result.blocks[0].figures[0]).startswith(b"\x89PNG")
    assert result.blocks[1].figures == ()
