"""`notebook-runner parse VAULT`: what every note holds, with its lines.

Like a linter, it exits 1 when it reports an error (broken frontmatter, a bad timestamp,
an unreadable notebook...), 0 with warnings only, so that CI can run it as a check.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from notebook_runner.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, open_or_refuse
from notebook_runner.diagnostics import grouped_text, to_json
from notebook_runner.model import Note
from notebook_runner.parse.note import note_to_dict
from notebook_runner.pipeline import Workspace
from notebook_runner.video import link_at, recognise

_CODE_BLOCK_FIELDS_HIDDEN = ("code", "code_line")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("parse", help="parse a vault and print what each note holds")
    parser.add_argument("vault", type=Path, help="the vault folder")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="parser processes")
    parser.add_argument("--no-cache", action="store_true", help="parse every note again")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    workspace = open_or_refuse(args.vault, err, args.jobs, not args.no_cache)
    if workspace is None:
        return EXIT_USAGE
    if args.format == "json":
        report = {
            "notes": [note_to_json(note) for note in workspace.vault.notes],
            "diagnostics": to_json(workspace.diagnostics, workspace.locate),
        }
        json.dump(report, out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
    else:
        _print_text(workspace, out)
    errors = any(problem.severity == "error" for problem in workspace.diagnostics)
    return EXIT_FAILED if errors else EXIT_OK


def note_to_json(note: Note) -> dict[str, Any]:
    """The `parse --format json` shape of one note: code bodies are left out (they are
    long), each video gains the site and id yt-dlp recognises it as, and each timestamp
    the link that opens its video at that second."""
    data = note_to_dict(note)
    for block in data["code_blocks"]:
        for hidden in _CODE_BLOCK_FIELDS_HIDDEN:
            block.pop(hidden, None)
    for video in data["videos"]:
        source = recognise(video["url"])
        video["site"] = source.site or None
        video["id"] = source.id
    for timestamp in data["timestamps"]:
        video_url = timestamp["video"]
        timestamp["link"] = link_at(video_url, timestamp["seconds"]) if video_url else None
    return data


def _print_text(workspace: Workspace, out: TextIO) -> None:
    diagnostics = workspace.diagnostics
    for line in grouped_text(diagnostics, workspace.locate):
        print(line, file=out)
    notes = workspace.vault.notes
    counts = {
        "note": len(notes),
        "link": sum(len(note.links) for note in notes),
        "timestamp": sum(len(note.timestamps) for note in notes),
        "code block": sum(len(note.code_blocks) for note in notes),
        "error": sum(problem.severity == "error" for problem in diagnostics),
        "warning": sum(problem.severity == "warning" for problem in diagnostics),
    }
    print(", ".join(_count(value, name) for name, value in counts.items()), file=out)


def _count(value: int, name: str) -> str:
    return f"{value} {name}" if value == 1 else f"{value} {name}s"
