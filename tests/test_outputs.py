"""One rule for every output path: never inside the vault, never over what we did not write.

`check -o`, `report merge -o`, `export -o` and `videos vtt -o` share `outputs`; `build -o`
is in test_build_output.py. Running a command again over its own output is allowed.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from notebook_runner import outputs
from notebook_runner.cli import main
from notebook_runner.execute.formats import is_report
from notebook_runner.outputs import EXPORT_MARKER
from notebook_runner.video.vtt import is_chapters

NOTE = "# Sum\n\nSee [[Other]] and ![[cat.png]].\n\n```python\nprint(1 + 1)\n```\n"
STATE = ".notebook-runner"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Sum.md").write_text(NOTE, encoding="utf-8")
    (root / "Other.md").write_text("# Other\n", encoding="utf-8")
    (root / "cat.png").write_bytes(b"png")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def inside_vault(output: Path, vault: Path) -> str:
    return (
        f"notebook-runner: error: output {output} is inside the vault {vault}, where it would "
        f"be read back as notes; write it outside the vault, or under {vault / STATE}\n"
    )


def not_ours(output: Path, command: str) -> str:
    return (
        f"notebook-runner: error: output {output} exists and was not written by "
        f"`notebook-runner {command}`; choose another name, or delete it first\n"
    )


# ---------------------------------------------------------------- check -o


def test_check_never_writes_its_report_over_a_note(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = vault / "Sum.md"
    status, out, err = run(capsys, "check", str(vault), "--format", "junit", "-o", str(note))
    assert (status, out, err) == (2, "", inside_vault(note, vault))
    assert note.read_text(encoding="utf-8") == NOTE


def test_check_never_overwrites_a_file_it_did_not_write(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note of another vault, say: not a report, so not ours to replace."""
    other = tmp_path / "Thesis.md"
    other.write_text("# My thesis\n", encoding="utf-8")
    status, out, err = run(capsys, "check", str(vault), "-o", str(other))
    assert (status, out, err) == (2, "", not_ours(other, "check"))
    assert other.read_text(encoding="utf-8") == "# My thesis\n"


def test_check_replaces_its_own_report_and_fills_an_empty_file(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "reports" / "check.xml"
    assert run(capsys, "check", str(vault), "--format", "junit", "-o", str(report))[:2] == (0, "")
    assert run(capsys, "check", str(vault), "--format", "json", "-o", str(report))[:2] == (0, "")
    assert json.loads(report.read_text())["summary"]["blocks"] == 1
    empty = tmp_path / "made-by-mktemp"
    empty.touch()
    assert run(capsys, "check", str(vault), "--format", "github", "-o", str(empty))[0] == 0
    assert empty.read_text() == ""


def test_a_report_that_cannot_be_written_is_a_usage_error_not_a_traceback(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "report.json"
    status, out, err = run(capsys, "check", str(vault), "-o", str(target))
    assert (status, out) == (2, "")
    assert err == f"notebook-runner: error: cannot use output {target}: Not a directory\n"
    folder = tmp_path / "reports"
    folder.mkdir()
    status, _, err = run(capsys, "check", str(vault), "-o", str(folder))
    assert (status, err) == (
        2,
        f"notebook-runner: error: output {folder} is a folder; name a file\n",
    )

    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_atomic", full_disk)
    report = tmp_path / "report.json"
    status, _, err = run(capsys, "check", str(vault), "-o", str(report))
    assert (status, err) == (
        2,
        f"notebook-runner: error: cannot write {report}: No space left on device\n",
    )


# ---------------------------------------------------------------- report merge -o


def test_report_merge_writes_its_output_file_under_the_same_rule(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shard = tmp_path / "shard.json"
    run(capsys, "check", str(vault), "--format", "json", "-o", str(shard))
    merged = tmp_path / "merged.xml"
    status, out, err = run(
        capsys, "report", "merge", str(shard), "--format", "junit", "-o", str(merged)
    )
    assert (status, out, err) == (0, "", "")
    assert merged.read_text().startswith("<?xml")
    assert run(capsys, "report", "merge", str(shard), "-o", str(merged))[0] == 0
    assert run(capsys, "report", "merge", str(shard), "-o", str(shard))[0] == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    status, _, err = run(capsys, "report", "merge", str(shard), "-o", str(notes))
    assert (status, err, notes.read_text()) == (2, not_ours(notes, "report merge"), "mine")


# ---------------------------------------------------------------- export -o


def test_export_never_overwrites_notebooks_it_did_not_write(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "notebooks"
    out.mkdir()
    (out / "Sum.ipynb").write_text("my own notebook, with my outputs")
    (out / "cat.png").write_bytes(b"my cat")
    (out / "README.md").write_text("mine too, but not in the way")
    status, stdout, err = run(capsys, "export", str(vault), "-o", str(out))
    assert (status, stdout) == (2, "")
    assert err == (
        f"notebook-runner: error: output folder {out} holds files that export did not write "
        "where it would write: Sum.ipynb, cat.png; move them away or choose another folder\n"
    )
    assert sorted(path.name for path in out.iterdir()) == ["README.md", "Sum.ipynb", "cat.png"]
    assert (out / "Sum.ipynb").read_text() == "my own notebook, with my outputs"


def test_export_replaces_its_own_notebooks_and_keeps_other_files(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "notebooks"
    out.mkdir()
    (out / "README.md").write_text("mine")
    assert run(capsys, "export", str(vault), "-o", str(out))[0] == 0
    (vault / "Other.md").write_text("# Other, edited\n", encoding="utf-8")
    assert run(capsys, "export", str(vault), "-o", str(out))[:3] == (
        0,
        f"exported 2 notebooks (ipynb, 0 with outputs) and 1 attachments to {out}\n",
        "",
    )
    assert "Other, edited" in (out / "Other.ipynb").read_text()
    assert (out / "README.md").read_text() == "mine"
    assert json.loads((out / EXPORT_MARKER).read_text())["files"] == [
        "Other.ipynb",
        "Sum.ipynb",
        "cat.png",
    ]


def test_export_inside_the_vault_is_refused(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = vault / "notebooks"
    assert run(capsys, "export", str(vault), "-o", str(out)) == (2, "", inside_vault(out, vault))
    assert not out.exists()


# ---------------------------------------------------------------- videos vtt -o


def test_videos_vtt_never_overwrites_a_track_it_did_not_write(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Lesson.md").write_text(
        "```timestamp-url\nhttps://youtu.be/hBBOjCiFcuo\n```\n## Start\n```timestamp\n00:30\n```\n"
    )
    note = str(vault / "Lesson.md")
    subtitles = tmp_path / "lecture.vtt"
    subtitles.write_text("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello\n")
    status, _, err = run(capsys, "videos", "vtt", note, "-o", str(subtitles))
    assert (status, err) == (2, not_ours(subtitles, "videos vtt"))
    assert subtitles.read_text().endswith("Hello\n")
    chapters = tmp_path / "chapters.vtt"
    assert run(capsys, "videos", "vtt", note, "-o", str(chapters)) == (0, "", "")
    assert run(capsys, "videos", "vtt", note, "-o", str(chapters)) == (0, "", "")
    inside = vault / "chapters.vtt"
    assert run(capsys, "videos", "vtt", note, "-o", str(inside)) == (
        2,
        "",
        inside_vault(inside, vault),
    )


# ---------------------------------------------------------------- recognising our files


@pytest.mark.parametrize(
    ("data", "ours"),
    [
        (b'{"notes": [], "summary": {}, "diagnostics": []}\n', True),
        (b'<?xml version="1.0"?>\n<testsuites tests="1" name="notebook-runner">\n', True),
        (b"::error file=a.md,line=1,title=x::boom\n::warning file=b.md::y\n", True),
        (
            b"a.md:1: error: boom\n1 note, 1 block: 0 passed, 1 failed, 0 not-run, 0 skipped,"
            b" 0 cached in 0.20s\n",
            True,
        ),
        (b"3 notes, 3 blocks: 3 passed (2 from the cache), 0 failed, 0 not-run in 0.20s\n", True),
        (b'{"notes": "mine"}', False),
        (b'<?xml version="1.0"?>\n<testsuites name="pytest">\n', False),
        (b"# Lesson\n\n::error in my notes\n", False),
        (b"{not json", False),
    ],
)
def test_check_reports_are_recognised_by_their_content(data: bytes, ours: bool) -> None:
    assert is_report(data) is ours


def test_chapter_tracks_are_recognised_by_their_cues() -> None:
    ours = b"WEBVTT\n\nchapter-1\n00:00:30.000 --> 00:01:30.000\nStart\n"
    assert (is_chapters(ours), is_chapters(b"WEBVTT\n"), is_chapters(b"WEBVTT\n\nintro\n")) == (
        True,
        True,
        False,
    )


def test_a_manifest_lists_any_file_name_one_a_line() -> None:
    names = ["a.html", 'we", "ird.html', "new\nline.png", "ü/b.html"]
    data = outputs.manifest_bytes("build", names)
    assert json.loads(data)["files"] == sorted(names)
    assert data.decode().splitlines()[3:5] == [' "files": ["a.html",', '  "new\\nline.png",']
