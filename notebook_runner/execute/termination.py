"""Ending a run cleanly when the process is told to stop (SIGTERM, SIGHUP).

Ctrl-C raises `KeyboardInterrupt`, so the scheduler's cleanup runs: note processes are
killed and their scratch folders removed. SIGTERM and SIGHUP end a Python process at
once by default, which would leave both behind. While notes run, those two raise
`Terminated` instead; once the cleanup has run, the process ends by the same signal,
as it would have without us (same exit status for its parent). A handler the host
program installed (pytest plugins, a server) is left alone, and so is a run outside
the main thread, where Python cannot install handlers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else ()


class Terminated(BaseException):
    """Raised by the handler; a BaseException so that no `except Exception` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP raise `Terminated` (where their handler is the
    default). On the way out of a `Terminated`, the process kills itself with that
    signal, after the cleanup of everything inside has run."""
    installed = _install()
    try:
        yield
    except Terminated as stop:
        _restore(installed)
        installed = []
        signal.signal(stop.signum, signal.SIG_DFL)
        os.kill(os.getpid(), stop.signum)
        raise SystemExit(128 + stop.signum) from None  # only if the signal is blocked
    finally:
        _restore(installed)


def _install() -> list[int]:
    if threading.current_thread() is not threading.main_thread():
        return []
    installed: list[int] = []
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _raise_terminated)
            installed.append(signum)
    return installed


def _restore(installed: list[int]) -> None:
    for signum in installed:
        signal.signal(signum, signal.SIG_DFL)
