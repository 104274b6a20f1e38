"""`notebook-runner init --github-pages`: the workflow it writes, and what it never does."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from notebook_runner import __version__
from notebook_runner.cli import build_parser, main
from notebook_runner.commands.pages_workflow import WORKFLOW_PATH
from notebook_runner.execute.cache import cache_dir

OFFICIAL = {
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "actions/upload-artifact@v4",
    "actions/download-artifact@v4",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def repository(root: Path, branch: str = "main", vault: str = "notes") -> Path:
    """A git repository as `git init` leaves it, as far as `init` reads it."""
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text(f"ref: refs/heads/{branch}\n", encoding="utf-8")
    (root / vault).mkdir(parents=True, exist_ok=True)
    return root / vault


def written(root: Path) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((root / WORKFLOW_PATH).read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True)  # YAML 1.1 reads the key `on` as true
    return loaded


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return found


def command_lines(workflow: dict[str, Any]) -> list[str]:
    """Every `notebook-runner ...` line the workflow runs, with the expressions that
    Actions fills in replaced by what they become in the first shard."""
    lines = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                if line.startswith("notebook-runner"):
                    lines.append(re.sub(r"\$\{\{ matrix\.shard \}\}", "1", line))
    return lines


def test_the_workflow_checks_in_shards_reports_builds_strictly_and_deploys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = repository(tmp_path / "repo")
    status, out, err = run(capsys, "init", str(vault), "--github-pages")
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == f"wrote {tmp_path / 'repo' / WORKFLOW_PATH}"
    workflow = written(tmp_path / "repo")
    assert workflow["on"] == {"push": {"branches": ["main"]}, "pull_request": None,
                              "workflow_dispatch": None}  # fmt: skip
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert list(jobs) == ["check", "report", "build", "deploy"]
    assert jobs["check"]["strategy"] == {"fail-fast": False, "matrix": {"shard": [1, 2, 3, 4]}}
    assert (jobs["report"]["needs"], jobs["report"]["if"]) == ("check", "${{ !cancelled() }}")
    assert jobs["build"]["needs"] == "check"
    history = {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    assert steps(workflow, "build")[0] == history  # commit times date the sitemap and feed
    assert command_lines(workflow) == [
        'notebook-runner check notes --shard 1/4 --format json -o "$RUNNER_TEMP/check-1.json"',
        "notebook-runner report merge reports/*.json --format github",
        "notebook-runner report merge reports/*.json --format junit -o notes-junit.xml",
        'notebook-runner build notes --execute --strict -o "$RUNNER_TEMP/site"',
    ]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps(workflow, "deploy") == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]
    assert steps(workflow, "build")[-1] == {
        "uses": "actions/upload-pages-artifact@v3",
        "with": {"path": "${{ runner.temp }}/site"},
    }
    used = {step["uses"] for job in jobs for step in steps(workflow, job) if "uses" in step}
    assert used == OFFICIAL


def test_every_command_in_the_workflow_parses_with_our_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The commands are real: each line is read by the parser `notebook-runner` uses
    (argparse exits on anything it does not know), and names the subcommand it means."""
    vault = repository(tmp_path / "repo", vault="My notes/ML")
    assert run(capsys, "init", str(vault), "--github-pages", "--shards", "3")[0] == 0
    lines = command_lines(written(tmp_path / "repo"))
    parsed = []
    for line in lines:
        argv = shlex.split(line)[1:]
        parsed.append(build_parser(argv).parse_args(argv))
    assert [(args.command, getattr(args, "action", None)) for args in parsed] == [
        ("check", None),
        ("report", "merge"),
        ("report", "merge"),
        ("build", None),
    ]
    check, _, junit, build = parsed
    assert (check.vault, check.shard, check.format) == (Path("My notes/ML"), (1, 3), "json")
    assert (junit.format, junit.output) == ("junit", Path("notes-junit.xml"))
    assert (build.vault, build.execute, build.strict) == (Path("My notes/ML"), True, True)


def test_the_shards_results_caches_are_what_the_build_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`build --execute` runs nothing the shards ran: their caches land where the
    vault keeps its own."""
    vault = repository(tmp_path / "repo", vault="notes")
    assert run(capsys, "init", str(vault), "--github-pages")[0] == 0
    workflow = written(tmp_path / "repo")
    uploaded = steps(workflow, "check")[-1]["with"]
    downloaded = steps(workflow, "build")[-3]["with"]
    where = cache_dir(vault).relative_to(tmp_path / "repo").as_posix()
    assert uploaded["path"] == downloaded["path"] == where == "notes/.notebook-runner/cache/execute"
    assert uploaded["include-hidden-files"] is True  # upload-artifact skips dot-folders
    assert (uploaded["name"], downloaded["pattern"]) == ("check-cache-${{ matrix.shard }}",
                                                         "check-cache-*")  # fmt: skip


def test_a_vault_at_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    repository(root, vault=".")
    monkeypatch.chdir(root)
    assert run(capsys, "init", "--github-pages")[0] == 0
    workflow = written(root)
    assert command_lines(workflow)[0].startswith("notebook-runner check . --shard 1/4")
    assert steps(workflow, "check")[-1]["with"]["path"] == ".notebook-runner/cache/execute"


def test_python_version_and_requirements_are_found_in_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    vault = repository(root, branch="notes-site")
    (root / ".python-version").write_text("3.12\n", encoding="utf-8")
    (vault / "requirements.txt").write_text("torch\n", encoding="utf-8")
    assert run(capsys, "init", str(vault), "--github-pages")[0] == 0
    workflow = written(root)
    setup = steps(workflow, "check")[1]
    assert setup == {
        "uses": "actions/setup-python@v5",
        "with": {
            "python-version-file": ".python-version",
            "cache": "pip",
            "cache-dependency-path": "notes/requirements.txt",
        },
    }
    assert steps(workflow, "check")[2]["run"].splitlines() == [
        f'python -m pip install "notebook-runner=={__version__}"',
        "python -m pip install -r notes/requirements.txt",
    ]
    report_install = steps(workflow, "report")[2]["run"]  # merging reports runs no note
    assert "requirements" not in report_install
    assert workflow["on"]["push"] == {"branches": ["notes-site"]}
    assert workflow["jobs"]["deploy"]["if"].endswith("'refs/heads/notes-site'")


def test_without_python_version_file_the_running_python_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    vault = repository(tmp_path / "repo")
    assert run(capsys, "init", str(vault), "--github-pages")[0] == 0
    setup = steps(written(tmp_path / "repo"), "build")[1]
    assert setup["with"] == {"python-version": f"{sys.version_info[0]}.{sys.version_info[1]}"}


def test_an_existing_workflow_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = repository(tmp_path / "repo")
    assert run(capsys, "init", str(vault), "--github-pages")[0] == 0
    path = tmp_path / "repo" / WORKFLOW_PATH
    path.write_text("# my edits\n", encoding="utf-8")
    status, out, err = run(capsys, "init", str(vault), "--github-pages")
    assert (status, out) == (2, "")
    assert err == (
        f"notebook-runner: error: {path} exists; notebook-runner never overwrites it "
        "(delete or rename it first)\n"
    )
    assert path.read_text(encoding="utf-8") == "# my edits\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["notebook-runner.yml"]


def test_a_vault_in_no_repository_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "notes"
    vault.mkdir()
    status, out, err = run(capsys, "init", str(vault), "--github-pages")
    assert (status, out) == (2, "")
    assert err == (
        f"notebook-runner: error: {vault} is in no git repository (no .git folder in it or "
        "above it); run `git init` where the repository should start, then run this again\n"
    )
    assert list(vault.iterdir()) == []


def test_init_without_anything_to_set_up_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = repository(tmp_path / "repo")
    assert run(capsys, "init", str(vault)) == (
        2,
        "",
        "notebook-runner: error: nothing to set up; add --github-pages\n",
    )
    assert not (tmp_path / "repo" / ".github").exists()


def test_a_detached_head_publishes_from_main(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = repository(tmp_path / "repo")
    (tmp_path / "repo" / ".git" / "HEAD").write_text("0123abcd" * 5 + "\n", encoding="utf-8")
    assert run(capsys, "init", str(vault), "--github-pages")[0] == 0
    assert written(tmp_path / "repo")["on"]["push"] == {"branches": ["main"]}
