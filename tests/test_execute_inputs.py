"""A cached result depends on the vault files its note read, not only on its code.

`helper.py` imported or `data.csv` read beside a note: when they change, the note runs
again; while they do not, it is replayed. Each test counts the real runs in a log kept
outside the vault.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from execute_support import make_note, run, statuses

from notebook_runner.execute import inputs as inputs_module
from notebook_runner.execute.audit import NoteAudit


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    (folder / "sub").mkdir(parents=True)
    return folder


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "runs.log"


def logged(log: Path, code: str) -> str:
    return f"open({str(log)!r}, 'a').write('ran\\n')\n{code}"


def runs(log: Path) -> int:
    count = log.read_text().count("ran") if log.exists() else 0
    log.unlink(missing_ok=True)
    return count


def check(vault: Path, *blocks: str) -> list[str]:
    report = run(vault, make_note("sub/n.md", *blocks), use_cache=True)
    return statuses(report.notes[0])


def test_editing_an_imported_helper_reruns_the_note(vault: Path, log: Path) -> None:
    helper = vault / "sub" / "helper.py"
    helper.write_text("VALUE = 1\n")
    block = logged(log, "import helper\nassert helper.VALUE == 1\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    assert (check(vault, block), runs(log)) == (["cached"], 0)
    helper.write_text("VALUE = 2\n")
    assert (check(vault, block), runs(log)) == (["failed"], 1)


def test_editing_a_data_file_read_beside_the_note_reruns_it(vault: Path, log: Path) -> None:
    data = vault / "sub" / "data.csv"
    data.write_text("1,2\n")
    block = logged(log, "import os\nprint(open(os.path.join(__note_dir__, 'data.csv')).read())\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    assert (check(vault, block), runs(log)) == (["cached"], 0)
    data.write_text("3,4\n")  # same size, and most likely the same modification time
    report = run(vault, make_note("sub/n.md", block), use_cache=True)
    assert (report.notes[0].blocks[0].stdout, runs(log)) == ("3,4\n\n", 1)
    assert (check(vault, block), runs(log)) == (["cached"], 0)


def test_a_file_that_was_missing_and_appears_reruns_the_note(vault: Path, log: Path) -> None:
    block = logged(
        log,
        "import os\ntry:\n    open(os.path.join(__note_dir__, 'extra.txt'))\n"
        "except FileNotFoundError:\n    pass\n",
    )
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    assert (check(vault, block), runs(log)) == (["cached"], 0)
    (vault / "sub" / "extra.txt").write_text("here now\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)


def test_a_python_module_added_or_edited_beside_the_note_reruns_it(vault: Path, log: Path) -> None:
    """A subprocess or a later import may use any module of the note's folder."""
    block = logged(log, "x = 1\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    (vault / "sub" / "tools.py").write_text("A = 1\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    assert (check(vault, block), runs(log)) == (["cached"], 0)
    (vault / "sub" / "tools.py").write_text("A = 22\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    (vault / "other.py").write_text("B = 1\n")  # another folder: not the note's business
    assert (check(vault, block), runs(log)) == (["cached"], 0)


def test_files_outside_the_vault_are_not_followed(vault: Path, log: Path) -> None:
    outside = vault.parent / "outside.txt"
    outside.write_text("one\n")
    block = logged(log, f"print(open({str(outside)!r}).read())\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)
    outside.write_text("two\n")
    assert (check(vault, block), runs(log)) == (["cached"], 0)


def test_an_old_unchanged_file_is_not_read_again_to_replay(
    vault: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its size, times and inode vouch for it: a large dataset is not hashed on every run."""
    data = vault / "sub" / "big.csv"
    data.write_text("1,2\n" * 1000)
    hour_ago = data.stat().st_mtime_ns - 3600 * 10**9
    os.utime(data, ns=(hour_ago, hour_ago))
    block = logged(log, "import os\nopen(os.path.join(__note_dir__, 'big.csv')).read()\n")
    assert (check(vault, block), runs(log)) == (["passed"], 1)

    def no_reading(path: Path) -> None:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(inputs_module, "_fingerprint", no_reading)
    assert (check(vault, block), runs(log)) == (["cached"], 0)


def test_recording_what_a_note_opens_never_fails_the_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative path in a deleted working folder, bytes, a descriptor: each is
    recorded or passed over, never an error raised into the snippet's `open`."""
    audit = NoteAudit(str(tmp_path))
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    audit("open", ("relative.txt", "r", 0))
    audit("open", (os.fsencode(tmp_path / "data.csv"), "rb", 0))
    audit("open", (3, "r", 0))
    assert audit.inputs() == (str(tmp_path / "data.csv"),)
