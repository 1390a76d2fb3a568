"""Keeping the laptop awake (no sleep, no screen blanking) while a session runs.

wakepy talks to the platform's inhibitor (D-Bus on Linux, SetThreadExecutionState on Windows,
caffeinate on macOS). When the platform refuses, the session goes on and the user sees a short
notice: a timer that stops because it could not stop the screen saver would be worse.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)


class WakeLock(Protocol):
    """What the session controller needs: take it while running, release it otherwise."""

    def acquire(self) -> str:
        """Take the lock (idempotent). Returns "" on success, else a user-facing reason."""
        ...

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        ...

    @property
    def held(self) -> bool: ...


class WakepyWakeLock:
    """The real lock, through wakepy's "keep.presenting" mode (screen stays on)."""

    def __init__(self) -> None:
        self._mode: Any = None

    @property
    def held(self) -> bool:
        return self._mode is not None

    def acquire(self) -> str:
        if self._mode is not None:
            return ""
        try:
            from wakepy import keep

            mode = keep.presenting(on_fail="pass")
            mode.__enter__()
        except Exception as exc:  # wakepy or a platform backend failing must not stop a session
            log.warning("wake lock unavailable: %s", exc)
            return "Could not keep the screen awake; check your power settings."
        if not mode.active:
            mode.__exit__(None, None, None)
            log.info("wake lock refused: %s", mode.result)
            return "The system did not allow keeping the screen awake; check your power settings."
        self._mode = mode
        return ""

    def release(self) -> None:
        mode, self._mode = self._mode, None
        if mode is not None:
            try:
                mode.__exit__(None, None, None)
            except Exception as exc:  # releasing must never crash the app
                log.warning("wake lock release failed: %s", exc)
