"""Writing the site to disk: the only code in `render/` that touches the file system.

A build is written into a temporary folder next to the output folder and swapped in by
renaming, so a failed or interrupted build leaves the previous site untouched. Every
path is checked to stay inside the output folder. The site's marker file lists every
file the build wrote, and a rebuild replaces only those: whatever else is in the
folder (`.git/`, `CNAME`, the user's own files) is carried into the new site
(`kept`). A first build goes into an empty folder, or one holding only what a
`gh-pages` checkout holds before its first site (dot-files and `CNAME`): `build -o
~/Documents` must never mix a site into someone's files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from notebook_runner.outputs import (
    SITE_MARKER,
    Manifest,
    OutputRefused,
    listed_files,
    manifest_bytes,
    name_list,
    output_lock,
    read_manifest,
    refuse_inside_vault,
)
from notebook_runner.publish.kept import carry_plan, move_entries, recover, retire
from notebook_runner.vault import open_inside

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
MARKER = SITE_MARKER
PUBLISHING_FILES = frozenset({"CNAME"})
_COPY_CHUNK = 1 << 20


class EmitError(OutputRefused):
    """The output folder cannot be (re)written; the message is meant for the user."""


def check_output(out: Path, vault_root: Path) -> None:
    """Refuse, before any work is done, an output folder we must not write into."""
    try:
        refuse_inside_vault(out, vault_root)
    except OutputRefused as refused:
        raise EmitError(str(refused)) from None
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise EmitError(f"output {out} exists and is not a folder")
    if not target.is_dir() or (target / MARKER).is_file():
        return
    foreign = sorted(name for name in os.listdir(target) if not _publishing(name))
    if foreign:
        raise EmitError(
            f"output folder {out} is not empty and was not made by notebook-runner "
            f"(no {MARKER} file): {name_list(foreign)}; empty it (dot-files such as .git "
            "and CNAME may stay) or choose another folder"
        )


def _publishing(name: str) -> bool:
    """What a folder holds for publishing rather than as a site: dot-files (`.git`,
    `.nojekyll`) and GitHub Pages' custom domain file."""
    return name.startswith(".") or name in PUBLISHING_FILES


def reported(kept: Sequence[str]) -> list[str]:
    """The kept entries worth telling the user about: not the publishing ones, which
    every gh-pages folder holds."""
    return [path for path in kept if not _publishing(path.split("/")[0])]


def write_site(
    out: Path,
    vault_root: Path,
    files: Mapping[str, bytes],
    copies: Mapping[str, Path],
    mtime: int | None = None,
) -> tuple[str, ...]:
    """Write `files` (site path -> bytes) and copy `copies` (site path -> source file);
    give what was kept of the old folder (see `Staging.commit`).

    `mtime` (from SOURCE_DATE_EPOCH) stamps every file so archives of the site are
    reproducible too.
    """
    with staged_site(out, vault_root) as staging:
        staging.fill(files, copies, vault_root)
        return staging.commit(mtime)


@contextmanager
def staged_site(out: Path, vault_root: Path) -> Iterator[Staging]:
    """A new site for `out`, written into a temporary folder beside it and swapped in by
    `Staging.commit`; if the block raises, or ends without committing, the folder is
    removed and `out` is untouched. Another build into `out` meanwhile is refused
    (`outputs.output_lock`): it would swap its site in under this one."""
    with output_lock(out, "build"):
        staging = Staging.beside(out, vault_root)
        try:
            yield staging
        finally:
            if not staging.committed:
                shutil.rmtree(staging.folder, ignore_errors=True)


class Staging:
    """The temporary folder a site is written into before it replaces the output.

    It is only a path (plus the folders known to exist), so `build`'s worker processes
    can be handed one and write their own pages into it while they render, instead of
    sending 130 MB of pages back for the main process to write alone. Every path is
    checked to stay inside the folder, in whichever process writes it."""

    def __init__(self, folder: Path, target: Path) -> None:
        self.folder = folder
        self.target = target
        self.committed = False
        self._root = str(folder)
        self._made: set[str] = {self._root}

    @classmethod
    def beside(cls, out: Path, vault_root: Path) -> Staging:
        check_output(out, vault_root)
        target = out.resolve()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            recover(target)
        except OSError as error:
            raise _failed(f"prepare {target}", error) from None
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        return cls(folder, target)

    def write(self, name: str, data: bytes) -> None:
        """Plain `os` calls: `Path.write_bytes` goes through the `io` layers, a third of
        the time of writing the 16,000 small files of a 10,000-note site. A file that
        cannot be written (a full disk, permissions) is an `EmitError` naming it."""
        path = self._inside(name)
        try:
            descriptor = os.open(path, _NEW_FILE, 0o666)
            try:
                left = memoryview(data)
                while left:  # a regular file takes it all at once, unless the disk fills up
                    left = left[os.write(descriptor, left) :]
            finally:
                os.close(descriptor)
        except OSError as error:
            raise _failed(f"write {name} into {self.target}", error) from None

    def fill(
        self, files: Mapping[str, bytes], copies: Mapping[str, Path], vault_root: Path
    ) -> None:
        for name in sorted(files):
            self.write(name, files[name])
        for name in sorted(copies):
            self.copy(name, copies[name], vault_root)

    def copy(self, name: str, source: Path, vault_root: Path) -> None:
        """Copy a vault file listed earlier in the build. It is opened through
        `vault.open_inside`: an attachment swapped for a symlink to `~/.ssh/id_rsa` (or
        a named pipe) after the vault was listed is refused, not published."""
        action = f"copy {source} to {name} in {self.target}"
        opened = open_inside(source, vault_root)
        if opened is None:
            raise EmitError(f"cannot {action}: it is no longer a regular file inside the vault")
        try:
            with opened, open(self._inside(name), "wb") as copied:
                shutil.copyfileobj(opened, copied, _COPY_CHUNK)
        except OSError as error:
            raise _failed(action, error) from None

    def commit(self, mtime: int | None = None) -> tuple[str, ...]:
        """Mark the folder as ours with the list of its files, stamp it with `mtime` if
        given, and swap it in, carrying over what the old folder held that the last
        build did not write: those paths are returned (a folder's with a final `/`)."""
        files = frozenset(listed_files(self._root))
        (self.folder / MARKER).write_bytes(manifest_bytes("build", files))
        self.folder.chmod(0o755)
        if mtime is not None:
            for path in sorted(self.folder.rglob("*"), reverse=True):
                os.utime(path, (mtime, mtime), follow_symlinks=False)
            os.utime(self.folder, (mtime, mtime))
        try:
            kept = _swap(self.folder, self.target, Manifest(files))
        except OSError as error:
            raise _failed(f"replace {self.target}", error) from None
        self.committed = True
        return tuple(path + "/" if (self.target / path).is_dir() else path for path in kept)

    def _inside(self, name: str) -> str:
        """The file for site path `name`, its folder made (once per process); never
        outside the staging folder. Plain strings: `PurePosixPath` parsing was a few per
        cent of a worker's time, at 16,000 files a build."""
        parts = [part for part in name.split("/") if part and part != "."]
        if name.startswith("/") or ".." in parts or not parts:
            raise EmitError(f"refusing to write {name!r} outside the output folder")
        path = "/".join([self._root, *parts])
        folder = path.rpartition("/")[0]
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        return path


def _failed(action: str, error: OSError) -> EmitError:
    return EmitError(f"cannot {action}: {error.strerror or error}")


def _swap(staging: Path, target: Path, new_files: Manifest) -> list[str]:
    """Replace `target` by `staging`, the user's entries of `target` moved across first;
    the old site is only removed once the new one is in. Gives the entries moved."""
    if not target.exists():
        staging.rename(target)
        return []
    old_files = read_manifest(target, MARKER) or Manifest(frozenset())
    plan = carry_plan(target, old_files, new_files)
    if plan.collisions:
        raise EmitError(
            f"output folder {target} holds files build did not write where the new site "
            f"has pages: {name_list(plan.collisions)}; move them away"
        )
    carried = move_entries(target, staging, plan.moves)
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    retired.rmdir()
    try:
        target.rename(retired)
        try:
            staging.rename(target)
        except BaseException:
            retired.rename(target)
            raise
    except BaseException:
        move_entries(staging, target, carried)
        raise
    with contextlib.suppress(OSError):  # the new site is in; the next build retries
        retire(retired, target, old_files)
    return carried
