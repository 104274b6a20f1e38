"""Temporary folders for note processes, made cheap.

Creating and deleting folders costs milliseconds on some disks, which would dominate
the run time of small notes. So the runner's own files (the message FIFO and the
captured output of one note) go in a per-note folder under a memory filesystem
(`/dev/shm`) when there is one, and the snippets' working folders, which can receive
large files, stay on the normal temporary disk but are reused: one per parallel job,
emptied between notes only when a snippet left something in it.
"""

from __future__ import annotations

import os
import shutil
import tempfile

MEMORY_TMP = "/dev/shm"


class Scratch:
    def __init__(self) -> None:
        fast = MEMORY_TMP if os.path.isdir(MEMORY_TMP) and os.access(MEMORY_TMP, os.W_OK) else None
        self.root = tempfile.mkdtemp(prefix="notebook-runner-", dir=fast)
        self.work_root = tempfile.mkdtemp(prefix="notebook-runner-work-")
        self._free_work: list[str] = []
        self._count = 0

    def note_folder(self) -> str:
        """A fresh folder for one note's FIFO and capture files."""
        self._count += 1
        folder = os.path.join(self.root, str(self._count))
        os.mkdir(folder)
        return folder

    def work_folder(self) -> str:
        if self._free_work:
            return self._free_work.pop()
        self._count += 1
        folder = os.path.join(self.work_root, str(self._count))
        os.mkdir(folder)
        return folder

    def release(self, note_folder: str, work_folder: str) -> None:
        shutil.rmtree(note_folder, ignore_errors=True)
        if _empty(work_folder):
            self._free_work.append(work_folder)
        else:
            shutil.rmtree(work_folder, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.work_root, ignore_errors=True)


def _empty(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return False
