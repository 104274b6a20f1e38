"""Reuse parse results of notes whose content has not changed.

The key of a note is a hash of its path, its text and the package's source code, so
editing the parser invalidates everything without anyone having to bump a version.
The cache is one pickle file under `.notebook-runner/cache/` beside the vault config: a
single read is far cheaper than thousands of small files. It is only an accelerator: a
cache that cannot be read or written (read-only vault, corrupt file) is ignored.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import pickle
from functools import cache
from pathlib import Path

from notebook_runner.atomic import write_atomic
from notebook_runner.model import Diagnostic, Note, SourceFile

ParseResult = tuple[Note, list[Diagnostic]]


@cache
def parser_fingerprint() -> str:
    """A hash of the package's source: any change to it may change a parse result.

    Hashing every module (not a hand-kept list of the parser's) costs a few
    milliseconds and cannot go stale when the parser is split into new modules.
    """
    digest = hashlib.sha256()
    for name, path in package_sources():
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_sources() -> list[tuple[str, Path]]:
    """Every module of the whole `notebook_runner` package (not only `parse/`: the
    `Note` a parse returns is defined in `model.py`), by its path in the package."""
    package = Path(__file__).parents[1]
    return [(path.relative_to(package).as_posix(), path) for path in sorted(package.rglob("*.py"))]


def source_key(source: SourceFile) -> str:
    digest = hashlib.sha256(parser_fingerprint().encode())
    digest.update(source.path.encode())
    digest.update(b"\0")
    digest.update(source.text.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()


def load_cache(path: Path) -> dict[str, ParseResult]:
    """Unpickle with the cyclic garbage collector paused, whoever the caller: the load
    allocates about a hundred objects per note, which would set off collections that
    re-scan everything loaded so far (measured on 10,000 notes: 1.7 s with collections,
    0.35 s without). Nothing loaded is cyclic; a caller that keeps the notes for long can
    spare the collector's later scans of them with `gc.freeze()`, as `open_vault` does."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as stream:
            data = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    finally:
        if was_enabled:
            gc.enable()
    return data if isinstance(data, dict) else {}


def save_cache(path: Path, entries: dict[str, ParseResult]) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a cache."""
    with contextlib.suppress(OSError):
        write_atomic(path, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
