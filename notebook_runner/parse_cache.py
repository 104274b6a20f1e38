"""Reuse parse results of notes whose content has not changed.

The key of a note is a hash of its path, its text and the parser's own source code, so
editing the parser invalidates everything without anyone having to bump a version.
The cache is one pickle file under `.notebook-runner/cache/` beside the vault config: a
single read is far cheaper than thousands of small files. It is only an accelerator: a
cache that cannot be read or written (read-only vault, corrupt file) is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from notebook_runner.model import Diagnostic, Note, SourceFile

ParseResult = tuple[Note, list[Diagnostic]]

_PARSER_MODULES = ("model.py", "parse.py", "frontmatter.py", "timecode.py", "syntax")


@cache
def parser_fingerprint() -> str:
    """A hash of every source file that shapes a parse result."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _PARSER_MODULES:
        target = package / name
        files = sorted(target.glob("*.py")) if target.is_dir() else [target]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def source_key(source: SourceFile) -> str:
    digest = hashlib.sha256(parser_fingerprint().encode())
    digest.update(source.path.encode())
    digest.update(b"\0")
    digest.update(source.text.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()


def load_cache(path: Path) -> dict[str, ParseResult]:
    try:
        with path.open("rb") as stream:
            data = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    return data if isinstance(data, dict) else {}


def save_cache(path: Path, entries: dict[str, ParseResult]) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".parse-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(entries, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
