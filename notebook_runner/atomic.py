"""Writing a file so that readers see the old content or the new, never half of it.

Caches, stored video metadata and exported notebooks are all read back later, some of
them committed by users: a crash or a full disk mid-write must not leave a torn file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    Raises OSError like a plain write; the temporary file never outlives a failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
