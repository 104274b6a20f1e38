"""Where a command may write: one rule for every output path, and how we know our files.

The rule, for `build -o`, `export -o`, `check -o`, `report merge -o` and `videos vtt -o`:
never write inside the vault (a report written over a note destroys it, and a site or
notebooks written there are read back as notes by the next run), except under its
`.notebook-runner/` state folder, which the vault reader skips; and never overwrite a
file, or replace a folder, that notebook-runner did not write. Running a command again
over its own earlier output is allowed, so we must recognise our own output:

- A folder (`build`, `export`) holds a marker file that lists every file the command
  wrote there (`Manifest`). The vault reader never reads a folder holding one.
- A single file is recognised by its content: each command passes a test of what it
  writes (a check report's shape, a chapters track's cues), since a file cannot carry a
  marker of its own in every format. An empty file (what `mktemp` makes) is anyone's to
  fill; a device such as `/dev/stdout` is written to, not replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from notebook_runner.atomic import write_atomic

if sys.platform != "win32":
    import fcntl

STATE_FOLDER = ".notebook-runner"
SITE_MARKER = ".notebook-runner-site"
EXPORT_MARKER = ".notebook-runner-export"
OUTPUT_MARKERS = (SITE_MARKER, EXPORT_MARKER)
"""Marker files of folders we write: a folder holding one is never read as part of a vault."""


class OutputRefused(Exception):
    """The output path breaks the rule above; the message is meant for the user."""


def name_list(paths: Sequence[str], shown: int = 10) -> str:
    """`a, b, c` for a message, the first `shown` of them and how many more."""
    more = len(paths) - shown
    return ", ".join(paths[:shown]) + (f" and {more} more" if more > 0 else "")


def refuse_inside_vault(output: Path, vault: Path) -> None:
    """An output that is the vault, holds it, or lies inside it (but for its state folder)."""
    target, root = output.resolve(), vault.resolve()
    if target == root or root.is_relative_to(target):
        raise OutputRefused(f"output {output} would contain the vault {vault}; choose another")
    if target.is_relative_to(root) and not target.is_relative_to(root / STATE_FOLDER):
        raise OutputRefused(
            f"output {output} is inside the vault {vault}, where it would be read back as "
            f"notes; write it outside the vault, or under {vault / STATE_FOLDER}"
        )


def check_file_output(
    output: Path, vault: Path | None, ours: Callable[[bytes], bool], command: str
) -> None:
    """Refuse `output` for a file that `command` writes, unless it is outside `vault`
    and either new, empty, not a regular file (`/dev/null`) or `command`'s own earlier
    output, which `ours` recognises from its bytes."""
    if vault is not None:
        refuse_inside_vault(output, vault)
    try:
        found = output.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputRefused(f"cannot use output {output}: {error.strerror or error}") from None
    if stat.S_ISDIR(found.st_mode):
        raise OutputRefused(f"output {output} is a folder; name a file")
    if not stat.S_ISREG(found.st_mode) or found.st_size == 0:
        return
    try:
        mine = ours(output.read_bytes())
    except OSError as error:
        raise OutputRefused(f"cannot read output {output}: {error.strerror or error}") from None
    if not mine:
        raise OutputRefused(
            f"output {output} exists and was not written by `notebook-runner {command}`; "
            "choose another name, or delete it first"
        )


def write_file_output(output: Path, text: str) -> None:
    """Write a checked output: through a temporary file for a regular file, so a reader
    never sees half of it, and straight to a device or pipe, which cannot be replaced.
    Raises OutputRefused naming the file when it cannot be written."""
    data = text.encode("utf-8")
    try:
        if output.exists() and not output.is_file():
            with open(output, "wb") as stream:
                stream.write(data)
        else:
            write_atomic(output, data)
    except OSError as error:
        raise OutputRefused(f"cannot write {output}: {error.strerror or error}") from None


def write_new_file(output: Path, text: str) -> None:
    """Write a file that must not exist yet, such as a workflow the user may have edited:
    through a temporary file linked into place, which fails if `output` appeared
    meanwhile, so the file is never replaced and never seen half-written. Raises
    OutputRefused naming the file when it exists or cannot be written."""
    exists = f"{output} exists; notebook-runner never overwrites it (delete or rename it first)"
    if output.exists() or output.is_symlink():
        raise OutputRefused(exists)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
            os.chmod(temporary, 0o644)
            os.link(temporary, output)
        finally:
            os.unlink(temporary)
    except FileExistsError:
        raise OutputRefused(exists) from None
    except OSError as error:
        raise OutputRefused(f"cannot write {output}: {error.strerror or error}") from None


@dataclass(frozen=True)
class Manifest:
    """What a command wrote into a folder, as read from the folder's marker file.

    `files` is None for a marker written before markers listed files (a site of an
    earlier version): then every path without a dot-part is taken as ours, since those
    sites held nothing else of ours."""

    files: frozenset[str] | None

    def owns_file(self, path: str) -> bool:
        if self.files is None:
            return not _dotted(path)
        return path in self.files

    def owns_folder(self, path: str) -> bool:
        """A folder holding something we wrote, which a walk must look into."""
        if self.files is None:
            return not _dotted(path)
        return path in self._folders

    @cached_property
    def _folders(self) -> frozenset[str]:
        """Every folder of a listed file. String slicing: `PurePosixPath.parents` took
        a second and a half for a 10,000-note site."""
        folders: set[str] = set()
        for path in self.files or ():
            end = path.rfind("/")
            while end > 0 and path[:end] not in folders:
                folders.add(path[:end])
                end = path.rfind("/", 0, end)
        return frozenset(folders)


def _dotted(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))


def read_manifest(folder: Path, marker: str) -> Manifest | None:
    """The manifest of `folder`; None when it holds no `marker` file (not ours)."""
    try:
        data = (folder / marker).read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    try:
        listed = json.loads(data)["files"]
    except (ValueError, KeyError, TypeError):
        return Manifest(None)
    if not isinstance(listed, list) or not all(isinstance(path, str) for path in listed):
        return Manifest(None)
    return Manifest(frozenset(listed))


def manifest_bytes(command: str, files: Iterable[str]) -> bytes:
    """The marker file's content: sorted, one path a line, so that it diffs well when a
    user commits the folder and a rebuild of the same vault writes the same bytes.
    (`json.dumps` with `indent` is its pure-Python encoder, seven times slower.)"""
    about = (
        f"This folder was written by `notebook-runner {command}`. Running it again "
        "replaces the files listed here and keeps everything else."
    )
    generator = json.dumps(f"notebook-runner {command}")
    listed = json.dumps(sorted(files), ensure_ascii=False, separators=(",\n  ", ": "))
    text = (
        f'{{\n "generator": {generator},\n "about": {json.dumps(about)},\n "files": {listed}\n}}\n'
    )
    return text.encode("utf-8")


def listed_files(folder: str) -> Iterable[str]:
    """Every file under `folder` (relative, `/`-separated), for a manifest: what a
    command wrote, whichever process wrote it."""
    top = len(folder) + 1
    for directory, _, names in os.walk(folder):
        prefix = directory[top:].replace(os.sep, "/")
        for name in names:
            yield f"{prefix}/{name}" if prefix else name


@contextlib.contextmanager
def output_lock(output: Path, command: str) -> Iterator[None]:
    """Hold the output folder `output` for `command` alone: two builds swapping sites
    into one folder at once would break each other. The lock is an `flock` on
    `.NAME.notebook-runner-lock` beside the folder (not in it: the folder is what gets
    swapped), which exists only while it is held, so nothing is left beside a site. A
    second command is refused at once (`OutputRefused`, naming the first's process)
    rather than made to wait for a build of unknown length. No lock on Windows, which
    has no `flock` (nor the `fork` that builds and checks use)."""
    target = output.resolve()
    path = target.parent / f".{target.name}.notebook-runner-lock"
    if sys.platform == "win32":
        yield
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = _locked(path, output, command)
    except OSError as error:
        raise OutputRefused(f"cannot lock {path}: {error.strerror or error}") from None
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(descriptor)


def _locked(path: Path, output: Path, command: str) -> int:
    """An open descriptor of the lock file at `path`, locked. A lock won on a file that
    its previous holder unlinked meanwhile locks nothing: open the new one and retry."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 32).decode("ascii", errors="replace").strip()
            os.close(descriptor)
            process = f" (process {holder})" if holder.isdigit() else ""
            raise OutputRefused(
                f"another {command} into {output} is running{process}; "
                "wait for it to finish, or write elsewhere"
            ) from None
        try:
            on_disk, held = os.stat(path), os.fstat(descriptor)
            if (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino):
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)
