"""`notebook-runner serve VAULT`: preview the site with live reload while editing.

The site is built in memory (nothing is written), served on 127.0.0.1 by default, and
updated page by page as notes change (see `serve/live.py`); open pages reload.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from watchfiles import watch

from notebook_runner.commands.build import note_results
from notebook_runner.commands.common import EXIT_OK, EXIT_USAGE, vault_exists
from notebook_runner.config import Config
from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Note
from notebook_runner.serve.live import LiveSite
from notebook_runner.serve.server import PreviewServer


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("serve", help="preview the site with live reload")
    parser.add_argument("vault", type=Path, help="the vault folder")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("-p", "--port", type=int, default=8000, help="port (0: any free one)")
    parser.add_argument("--no-watch", action="store_true", help="do not rebuild on changes")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not vault_exists(args.vault, err):
        return EXIT_USAGE
    live = LiveSite(args.vault, _stored_results)
    try:
        server = PreviewServer((args.host, args.port), live)
    except OSError as error:
        print(
            f"notebook-runner: error: cannot listen on {args.host}:{args.port}: {error}", file=err
        )
        return EXIT_USAGE
    host, port = server.server_address[:2]
    print(f"serving {args.vault} at http://{host!s}:{port}/ (Ctrl-C to stop)", file=out, flush=True)
    stop = threading.Event()
    if not args.no_watch:
        threading.Thread(target=_watch, args=(args.vault, server, stop, out), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return EXIT_OK


def _stored_results(config: Config, root: Path, notes: Sequence[Note]) -> dict[str, NoteResult]:
    return note_results(config.check, root, notes, execute=False, jobs=None)


def _watch(vault: Path, server: PreviewServer, stop: threading.Event, out: TextIO) -> None:
    for changes in watch(vault, stop_event=stop, debounce=50, step=20):
        started = time.perf_counter()
        refresh = server.refresh([Path(path) for _, path in changes])
        if refresh.changed:
            elapsed = (time.perf_counter() - started) * 1000
            what = "everything" if refresh.full else f"{refresh.rendered_notes} notes"
            print(
                f"rebuilt {what}, {len(refresh.changed)} files in {elapsed:.0f} ms",
                file=out,
                flush=True,
            )
