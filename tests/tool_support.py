"""Tests that need an outside program (ffmpeg, Chromium, the Nu checker) skip on a
developer machine that lacks it, but fail in CI (CI=true), where `.ci/run` installs
them: a skipped test there would hide a missing install step."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest


def missing(message: str, *, module_level: bool = False) -> NoReturn:
    """Skip locally, fail under CI=true, with the same message."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; .ci/run must install it", pytrace=False)
    pytest.skip(message, allow_module_level=module_level)


def require_executable(name: str, package: str, *, module_level: bool = False) -> str:
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed (apt-get install {package})", module_level=module_level)
    return path


def require_file(path: Path, how: str, *, module_level: bool = False) -> Path:
    if not path.exists():
        missing(f"{path} is missing ({how})", module_level=module_level)
    return path
