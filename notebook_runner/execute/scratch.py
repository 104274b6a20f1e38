"""Temporary folders for note processes, made cheap.

Creating and deleting folders costs milliseconds on some disks, which would dominate
the run time of small notes. So the runner's own files (the message FIFO and the
captured output of one note) go in a per-note folder under a memory filesystem
(`/dev/shm`) when there is one, and the snippets' working folders, which can receive
large files, stay on the normal temporary disk. A working folder mirrors its note's
folder (see `mirror`) and is reused by the next note of the same folder: put back as
it was after each note, and kept for at most `FREE_MIRRORS` folders at a time.

Both folders are named after their owner (`notebook-runner-[work-]NS-PID-XXXXXXXX`:
the pid namespace and the pid of the runner), so that a run killed without a chance
to clean up (SIGKILL, a power cut of the process) is cleaned up by the next run of the
same user: it removes the folders whose owner process is dead, and nothing else (not
another live run's folders, not those of another pid namespace, where that pid means
another process, not folders named otherwise).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile

from notebook_runner.execute.mirror import Mirror

MEMORY_TMP = "/dev/shm"
FREE_MIRRORS = 4
_OWNED = re.compile(r"notebook-runner-(?:work-)?(?P<namespace>\d+)-(?P<pid>\d+)-\w+")
_swept = False


class Scratch:
    def __init__(self) -> None:
        fast = MEMORY_TMP if os.path.isdir(MEMORY_TMP) and os.access(MEMORY_TMP, os.W_OK) else None
        folders = (fast or tempfile.gettempdir(), tempfile.gettempdir())
        _sweep_once(folders)
        owner = f"{pid_namespace()}-{os.getpid()}-"
        self.root = tempfile.mkdtemp(prefix=f"notebook-runner-{owner}", dir=fast)
        self.work_root = tempfile.mkdtemp(prefix=f"notebook-runner-work-{owner}")
        self._free: list[Mirror] = []
        """Mirrors no note uses, the most recently released last."""
        self._busy: dict[str, Mirror] = {}
        self._count = 0

    def note_folder(self) -> str:
        """A fresh folder for one note's FIFO and capture files."""
        self._count += 1
        folder = os.path.join(self.root, str(self._count))
        os.mkdir(folder)
        return folder

    def work_folder(self, note_dir: str) -> str:
        """The working folder of a note of `note_dir`: a mirror of that folder."""
        mirror = next((m for m in reversed(self._free) if m.source == note_dir), None)
        if mirror is None:
            self._count += 1
            folder = os.path.join(self.work_root, str(self._count))
            os.mkdir(folder)
            mirror = Mirror(folder, note_dir)
        else:
            self._free.remove(mirror)
        mirror.sync()
        self._busy[mirror.folder] = mirror
        return mirror.folder

    def release(self, note_folder: str, work_folder: str) -> None:
        shutil.rmtree(note_folder, ignore_errors=True)
        mirror = self._busy.pop(work_folder)
        try:
            mirror.repair()
        except OSError:  # the note removed or locked its working folder
            shutil.rmtree(work_folder, ignore_errors=True)
            return
        self._free.append(mirror)
        if len(self._free) > FREE_MIRRORS:
            shutil.rmtree(self._free.pop(0).folder, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.work_root, ignore_errors=True)


def pid_namespace() -> int:
    """The identity of this pid namespace (0 where unknown): a pid names a process only
    inside its namespace, and containers may share a temporary folder."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return 0


def _sweep_once(folders: tuple[str, ...]) -> None:
    """Once per process (a pytest run starts a check per note); POSIX only, where a
    pid can be asked whether it lives."""
    global _swept
    if not _swept and os.name == "posix":
        _swept = True
        for folder in dict.fromkeys(folders):
            sweep_stale(folder)


def sweep_stale(folder: str) -> list[str]:
    """Remove the scratch folders in `folder` left by dead runs of this user; return them."""
    namespace, uid = str(pid_namespace()), os.getuid()
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        owned = _OWNED.fullmatch(name)
        if owned is None or owned["namespace"] != namespace:
            continue
        path = os.path.join(folder, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and _dead(int(owned["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _dead(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False
