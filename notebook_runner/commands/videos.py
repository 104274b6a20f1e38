"""`notebook-runner videos fetch VAULT` and `notebook-runner videos vtt NOTE`.

`fetch` is the only part of the program that goes online for videos: it stores what
yt-dlp says about each video in the vault's `.notebook-runner/videos/`, so that
`build` and `check` can work offline from the committed files. `vtt` writes a note's
timestamps as a WebVTT chapters track.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from notebook_runner.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    open_or_refuse,
    usable_output,
    written,
)
from notebook_runner.config import CONFIG_NAME
from notebook_runner.diagnostics import format_text, sort_key
from notebook_runner.model import Note
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import STATE_FOLDER
from notebook_runner.vault import read_note
from notebook_runner.video import (
    VideoSource,
    VideoStore,
    chapter_count,
    note_videos,
    recognise,
    vault_videos,
    with_link_timestamps,
    write_vtt,
)
from notebook_runner.video.fetch import DEFAULT_TIMEOUT, DEFAULT_WORKERS, fetch_videos
from notebook_runner.video.metadata import StoreError, VideoInfo
from notebook_runner.video.vtt import is_chapters

_VAULT_MARKERS = (CONFIG_NAME, STATE_FOLDER, ".obsidian")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("videos", help="video metadata and chapters")
    actions = parser.add_subparsers(dest="videos_command", required=True, metavar="ACTION")

    fetch = actions.add_parser("fetch", help="store the metadata of every video of the vault")
    fetch.add_argument("vault", type=Path, help="the vault folder")
    fetch.add_argument("--refresh", action="store_true", help="fetch stored videos again")
    fetch.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for a site"
    )
    fetch.add_argument(
        "-j", "--jobs", type=int, default=DEFAULT_WORKERS, help="videos fetched at once"
    )
    fetch.set_defaults(handler=run_fetch)

    vtt = actions.add_parser("vtt", help="write a note's timestamps as WebVTT chapters")
    vtt.add_argument("note", type=Path, help="the note file")
    vtt.add_argument("-o", "--output", type=Path, default=None, help="file to write (stdout)")
    vtt.add_argument("--video", default=None, help="which video of the note (its first)")
    vtt.set_defaults(handler=run_vtt)


def run_fetch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    workspace = open_or_refuse(args.vault, err)
    if workspace is None:
        return EXIT_USAGE
    uses = vault_videos(workspace.vault.notes)
    report = fetch_videos(uses, VideoStore(args.vault), args.refresh, args.timeout, args.jobs)
    for problem in sorted(report.diagnostics, key=sort_key):
        print(format_text(problem, workspace.locate), file=out)
    kept = f"{len(report.kept)} kept"
    if report.unrefreshed:
        kept += f" ({len(report.unrefreshed)} could not be refreshed)"
    parts = [f"{len(report.fetched)} fetched", kept, f"{len(report.failed)} failed"]
    print(f"{len(uses)} videos: {', '.join(parts)}, {len(report.skipped)} local", file=out)
    return EXIT_FAILED if report.failed or report.unrefreshed else EXIT_OK


def run_vtt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    note_path: Path = args.note
    if not note_path.is_file():
        print(f"notebook-runner: error: {note_path} is not a file", file=err)
        return EXIT_USAGE
    root = vault_root(note_path)
    if not usable_output(args.output, root, is_chapters, "videos vtt", err):
        return EXIT_USAGE
    relative = note_path.resolve().relative_to(root).as_posix()
    source, problems = read_note(note_path, relative)
    parsed, parse_problems = parse_note(source)
    note = with_link_timestamps(parsed)  # `[12:34](https://youtu.be/ID?t=754)` too
    for problem in sorted([*problems, *parse_problems], key=sort_key):
        if problem.severity == "error":
            print(format_text(problem), file=err)
    info = _stored_info(root, _chosen_video(note, args.video), err)
    if chapter_count(note, info, args.video) == 0:
        which = f" of {args.video}" if args.video else ""
        print(f"notebook-runner: error: {note_path} has no timestamps{which}", file=err)
        return EXIT_FAILED
    if not written(write_vtt(note, info, args.video), args.output, out, err):
        return EXIT_USAGE
    return EXIT_OK


def vault_root(note: Path) -> Path:
    """The nearest folder above the note that looks like a vault, else the note's own."""
    folder = note.resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in _VAULT_MARKERS):
            return candidate
    return folder


def _chosen_video(note: Note, video: str | None) -> VideoSource | None:
    if video is not None:
        return recognise(video)
    videos = note_videos(note)
    return videos[0][0] if videos else None


def _stored_info(root: Path, source: VideoSource | None, err: TextIO) -> VideoInfo | None:
    """The stored length makes the last chapter end with the video; without it the
    track is still written (a broken store entry is mentioned on stderr)."""
    if source is None:
        return None
    try:
        return VideoStore(root).load(source)
    except StoreError as error:
        print(f"notebook-runner: warning: stored metadata ignored: {error}", file=err)
        return None
