"""Atomic, contained writes: a failed build keeps the old site, foreign folders are refused."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from notebook_runner.outputs import manifest_bytes
from notebook_runner.publish.emit import MARKER, EmitError, staged_site, write_site


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_writes_files_copies_and_marker(tmp_path: Path, vault: Path) -> None:
    image = vault / "cat.png"
    image.write_bytes(b"png")
    out = tmp_path / "site"
    write_site(out, vault, {"index.html": b"<p>", "a/b.html": b"b"}, {"_files/cat.png": image})
    tree = _tree(out)
    assert set(tree) == {MARKER, "index.html", "a/b.html", "_files/cat.png"}
    assert tree["_files/cat.png"] == b"png"


def test_rebuild_replaces_old_site_and_leaves_no_temp_folders(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "site"
    write_site(out, vault, {"old.html": b"1"}, {})
    write_site(out, vault, {"new.html": b"2"}, {})
    assert set(_tree(out)) == {MARKER, "new.html"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "vault"]


def test_refuses_non_empty_folder_not_made_by_us(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(EmitError, match="not empty and was not made by notebook-runner"):
        write_site(out, vault, {"index.html": b""}, {})
    assert _tree(out) == {"thesis.tex": b"precious"}


def test_refuses_output_that_contains_the_vault(tmp_path: Path, vault: Path) -> None:
    with pytest.raises(EmitError, match="would contain the vault"):
        write_site(tmp_path, vault, {"index.html": b""}, {})


def test_failed_build_keeps_old_site(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "site"
    write_site(out, vault, {"index.html": b"old"}, {})
    message = (
        f"cannot copy {vault / 'missing'} to _files/x in {out.resolve()}: "
        "it is no longer a regular file inside the vault"
    )
    with pytest.raises(EmitError, match=re.escape(message)):
        write_site(out, vault, {"index.html": b"new"}, {"_files/x": vault / "missing"})
    assert _tree(out) == {MARKER: (out / MARKER).read_bytes(), "index.html": b"old"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "vault"]


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../x", "", "./", "a/.."])
def test_never_writes_outside_output(tmp_path: Path, vault: Path, name: str) -> None:
    with pytest.raises(EmitError, match="outside the output folder"):
        write_site(tmp_path / "site", vault, {name: b"x"}, {})
    assert not (tmp_path / "escape.html").exists()
    assert not (tmp_path / "site").exists()


def test_mtime_stamps_every_file(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "site"
    write_site(out, vault, {"a/b.html": b"b"}, {}, mtime=1_700_000_000)
    stamps = {int(os.stat(path).st_mtime) for path in [out, *out.rglob("*")]}
    assert stamps == {1_700_000_000}


def test_a_staged_site_left_uncommitted_leaves_no_trace(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "site"
    write_site(out, vault, {"index.html": b"old"}, {})
    with pytest.raises(ValueError, match="half-way"), staged_site(out, vault) as staging:
        staging.write("index.html", b"new")
        raise ValueError("half-way")
    with staged_site(out, vault) as staging:
        staging.write("index.html", b"never committed")
    assert _tree(out) == {MARKER: manifest_bytes("build", ["index.html"]), "index.html": b"old"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "vault"]


def test_a_staging_folder_refuses_paths_outside_it(tmp_path: Path, vault: Path) -> None:
    with staged_site(tmp_path / "site", vault) as staging:
        with pytest.raises(EmitError, match="outside the output folder"):
            staging.write("a/../../escape.html", b"x")
        staging.write("a/b/c.html", b"c")
        assert _tree(staging.folder) == {"a/b/c.html": b"c"}
    assert not (tmp_path / "escape.html").exists()


def test_an_attachment_swapped_for_a_link_out_of_the_vault_is_not_published(
    tmp_path: Path, vault: Path
) -> None:
    """Listed as `cat.png`, then replaced by a symlink to a secret before the copy."""
    secret = tmp_path / "secret"
    secret.write_bytes(b"private key")
    (vault / "cat.png").symlink_to(secret)
    out = tmp_path / "site"
    with pytest.raises(EmitError) as refused:
        write_site(out, vault, {"index.html": b"<p>"}, {"_files/cat.png": vault / "cat.png"})
    assert str(refused.value) == (
        f"cannot copy {vault / 'cat.png'} to _files/cat.png in {out.resolve()}: "
        "it is no longer a regular file inside the vault"
    )
    assert not out.exists()


def test_an_attachment_swapped_for_a_named_pipe_is_refused_without_waiting(
    tmp_path: Path, vault: Path
) -> None:
    os.mkfifo(vault / "clip.mp4")
    with pytest.raises(EmitError, match="no longer a regular file inside the vault"):
        write_site(tmp_path / "site", vault, {}, {"_files/clip.mp4": vault / "clip.mp4"})
