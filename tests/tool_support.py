"""Tests that need an outside program (ffmpeg, Chromium) skip on a developer machine
that lacks it, but fail in CI (CI=true), where `.ci/run` installs them: a skipped test
there would hide a missing install step."""

from __future__ import annotations

import os
import shutil

import pytest


def require_executable(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not installed (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; .ci/run must install it", pytrace=False)
    pytest.skip(message)
