"""Relative paths: a note reads the files beside it, as Jupyter runs a notebook in its
folder, and nothing it writes lands in the vault (issue 14, item 13)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from execute_support import make_note, run, run_one, statuses

from notebook_runner.execute.mirror import Mirror


def vault_state(root: Path) -> dict[str, bytes | str]:
    """Every file's bytes and every link's target under `root`, the state folder aside."""
    state: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(".notebook-runner"):
            continue
        if path.is_symlink():
            state[relative] = os.readlink(path)
        elif path.is_file():
            state[relative] = path.read_bytes()
        else:
            state[relative] = "folder"
    return state


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "cat.txt").write_text("meow")
    (tmp_path / "images" / "inner").mkdir()
    (tmp_path / "images" / "inner" / "deep.txt").write_text("deep")
    with sqlite3.connect(tmp_path / "notes.db") as db:
        db.execute("create table t (x)")
    return tmp_path


def test_a_note_reads_the_files_beside_it_by_relative_path(vault: Path) -> None:
    result = run_one(
        vault,
        "print(open('data.csv').read(), end='')\n",
        "import os, subprocess\nprint(open('images/cat.txt').read(), os.path.exists('data.csv'))\n",
        "print(subprocess.run(['cat', 'data.csv'], capture_output=True, text=True).stdout)\n",
        "print(sorted(os.listdir('.')), sorted(os.listdir('images')))\n",
    )
    assert statuses(result) == ["passed"] * 4
    assert [block.stdout for block in result.blocks] == [
        "a,b\n1,2\n",
        "meow True\n",
        "a,b\n1,2\n\n",
        "['data.csv', 'images', 'notes.db'] ['cat.txt', 'inner']\n",
    ]


def test_writes_through_the_mirror_never_reach_the_vault(vault: Path) -> None:
    before = vault_state(vault)
    code = (
        "import os, pathlib, shutil\n"
        "with open('data.csv', 'a') as f:\n    f.write('3,4\\n')\n"
        "appended = open('data.csv').read()\n"
        "pathlib.Path('images/cat.txt').write_text('woof')\n"
        "open('images/inner/new.txt', 'w').write('new')\n"
        "os.remove('images/inner/deep.txt')\n"
        "os.rename('images/cat.txt', 'images/dog.txt')\n"
        "os.truncate('data.csv', 1)\n"
        "os.chmod('data.csv', 0o600)\n"
        "open('images/../data.csv', 'w').write('overwritten')\n"
        "os.chdir('images')\n"
        "open('here.txt', 'w').write('here')\n"
        "os.chdir('..')\n"
        "shutil.rmtree('images/inner')\n"
        "import sqlite3\n"
        "with sqlite3.connect('notes.db') as db:\n    db.execute('insert into t values (2)')\n"
        "print(appended, end='')\n"
        "print(open('data.csv').read(), sorted(os.listdir('images')))\n"
    )
    result = run_one(vault, code)
    assert result.blocks[0].error is None, result.blocks[0].error
    assert result.blocks[0].stdout == "a,b\n1,2\n3,4\noverwritten ['dog.txt', 'here.txt']\n"
    assert vault_state(vault) == before


def test_notes_of_one_folder_do_not_see_each_others_writes(vault: Path) -> None:
    writer = make_note(
        "a.md", "open('data.csv', 'w').write('mine')\nopen('left.txt', 'w').write('x')\n"
    )
    reader = make_note(
        "b.md", "import os\nprint(open('data.csv').read(), os.path.exists('left.txt'))\n"
    )
    for _ in range(2):  # the second time on a reused mirror
        report = run(vault, writer, reader, jobs=1)
        assert report.notes[1].blocks[0].stdout == "a,b\n1,2\n False\n"


def test_a_relative_read_is_an_input_of_the_cache(vault: Path) -> None:
    note = make_note("n.md", "print(open('data.csv').read(), end='')\n")
    absent = make_note(
        "m.md",
        "import os\nprint(os.path.exists('later.csv'))\n"
        "try:\n    open('later.csv')\nexcept OSError:\n    pass\n",
    )
    assert run(vault, note, absent, use_cache=True).summary.cached == 0
    assert run(vault, note, absent, use_cache=True).summary.cached == 2
    (vault / "data.csv").write_text("changed\n")
    (vault / "later.csv").write_text("here\n")
    again = run(vault, note, absent, use_cache=True)
    assert again.summary.cached == 0
    assert [n.blocks[0].stdout for n in again.notes] == ["changed\n", "True\n"]


def test_the_state_folder_is_not_mirrored(vault: Path) -> None:
    (vault / ".notebook-runner").mkdir()
    result = run_one(vault, "import os\nprint(os.path.exists('.notebook-runner'))\n")
    assert result.blocks[0].stdout == "False\n"


def test_a_mirror_puts_back_what_a_note_changed(tmp_path: Path) -> None:
    source, folder = tmp_path / "notes", tmp_path / "work"
    source.mkdir()
    folder.mkdir()
    (source / "a.txt").write_text("a")
    (source / "b.txt").write_text("b")
    mirror = Mirror(str(folder), str(source))
    mirror.sync()
    assert sorted(os.listdir(folder)) == ["a.txt", "b.txt"]
    (folder / "a.txt").unlink()
    (folder / "a.txt").write_text("a copy")
    os.replace(folder / "b.txt", folder / "c.txt")
    (folder / "b.txt").symlink_to(source / "a.txt")
    (folder / "made").mkdir()
    mirror.repair()
    assert {name: os.readlink(folder / name) for name in os.listdir(folder)} == {
        "a.txt": str(source / "a.txt"),
        "b.txt": str(source / "b.txt"),
    }
    (source / "b.txt").unlink()
    (source / "new.txt").write_text("n")
    mirror.sync()
    assert sorted(os.listdir(folder)) == ["a.txt", "new.txt"]
    assert (source / "a.txt").read_text() == "a"
