"""What a rebuild keeps of the output folder: everything `build` did not write.

A site folder is often more than the site: a `gh-pages` checkout holds `.git/`, `CNAME`
and `.nojekyll`, and people drop their own files in. The site's marker file lists
every file the last build wrote (`outputs.Manifest`); anything else found in the old
folder is the user's, and is moved, by renaming, into the new site before it is
swapped in, so it survives the swap untouched (`.git/` costs one rename). A path the
user owns where the new site wants to write is a `Collision`: the build stops and
nothing is moved. Only files the manifest lists are ever deleted.

While entries are being moved, or if a build is killed between the renames of the
swap, the user's entries sit in the build's hidden staging folder beside the output
(`.SITE.build-*`), whose own marker tells ours from theirs: the next build into the
same folder puts them back (`recover`) before it starts.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from notebook_runner.outputs import SITE_MARKER, Manifest, read_manifest


@dataclass
class CarryPlan:
    """The user's entries of the old folder, as top-most paths, to move into the new
    site; and those in the way of a file the new site writes."""

    moves: list[str] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)


def unowned(folder: Path, owner: Manifest) -> list[str]:
    """Top-most paths under `folder` that `owner` does not list: a folder holding
    nothing of ours is one entry, and is not looked into (`.git/` has thousands)."""
    found: list[str] = []
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(folder / prefix if prefix else folder) as entries:
            for entry in entries:
                path = f"{prefix}{entry.name}"
                if path == SITE_MARKER:
                    continue
                if entry.is_dir(follow_symlinks=False) and owner.owns_folder(path):
                    pending.append(path + "/")
                elif not (entry.is_file(follow_symlinks=False) and owner.owns_file(path)):
                    found.append(path)
    return sorted(found)


def carry_plan(folder: Path, owner: Manifest, new_files: Manifest) -> CarryPlan:
    """Where each entry of `folder` that `owner` did not write goes in the new site: as
    a whole, or, for a folder of the user's where the new site writes into a folder of
    the same name, entry by entry."""
    plan = CarryPlan()
    pending = unowned(folder, owner)
    while pending:
        path = pending.pop()
        parents = [str(parent) for parent in PurePosixPath(path).parents][:-1]
        if new_files.owns_file(path) or any(new_files.owns_file(p) for p in parents):
            plan.collisions.append(path)
        elif not new_files.owns_folder(path):
            plan.moves.append(path)
        elif (folder / path).is_dir() and not (folder / path).is_symlink():
            pending.extend(f"{path}/{name}" for name in os.listdir(folder / path))
        else:
            plan.collisions.append(path)
    plan.moves.sort()
    plan.collisions.sort()
    return plan


def move_entries(source: Path, destination: Path, paths: Sequence[str]) -> list[str]:
    """Rename each of `paths` from `source` to the same place in `destination`. If one
    fails, those already moved are moved back before the error is raised again."""
    moved: list[str] = []
    try:
        for path in paths:
            (destination / path).parent.mkdir(parents=True, exist_ok=True)
            os.rename(source / path, destination / path)
            moved.append(path)
    except BaseException:
        for path in reversed(moved):
            os.rename(destination / path, source / path)
        raise
    return moved


def remove_owned(folder: Path, owner: Manifest) -> None:
    """Delete what `owner` lists, then the folders left empty, `folder` itself last;
    anything else stays where it is."""
    top = str(folder)
    for directory, _, names in os.walk(top, topdown=False):
        prefix = directory[len(top) + 1 :].replace(os.sep, "/")
        for name in names:
            path = f"{prefix}/{name}" if prefix else name
            if path == SITE_MARKER or owner.owns_file(path):
                os.unlink(os.path.join(directory, name))
        try:
            os.rmdir(directory)
        except OSError:
            continue  # not empty: something of the user's is in it


def retire(old: Path, target: Path, owner: Manifest) -> None:
    """Remove the old site `old` after the swap; an entry of the user's found in it
    (written into the folder while the build ran) is moved into `target` first, where
    nothing is in its way, and else left in `old`."""
    late = [path for path in unowned(old, owner) if not os.path.lexists(target / path)]
    move_entries(old, target, late)
    remove_owned(old, owner)


def leftovers(target: Path) -> list[Path]:
    """Staging (`.SITE.build-*`) and retired (`.SITE.old-*`) folders of builds into
    `target` that were killed, named exactly as `tempfile.mkdtemp` names ours."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(build|old)-[a-z0-9_]{{8}}")
    try:
        names = sorted(os.listdir(target.parent))
    except FileNotFoundError:
        return []
    return [target.parent / name for name in names if pattern.fullmatch(name)]


def recover(target: Path) -> None:
    """Undo what a killed build left beside `target` (call it holding the output's
    lock): a complete new site (with its marker) whose swap did not happen gives the
    user's entries back to `target`, or becomes `target` if the old one was already
    moved aside; an unfinished one holds only our files and is deleted; an old site
    moved aside gives back what is the user's and is removed, or becomes `target`
    again when nothing else did."""
    for folder in leftovers(target):
        manifest = read_manifest(folder, SITE_MARKER)
        if folder.name.startswith(f".{target.name}.build-") and manifest is None:
            shutil.rmtree(folder, ignore_errors=True)
        elif not os.path.lexists(target):
            folder.rename(target)
        else:
            retire(folder, target, manifest or Manifest(frozenset()))
