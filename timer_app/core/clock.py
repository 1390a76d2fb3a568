"""The clock the engine runs on: monotonic seconds (tests inject a FakeClock from tests/helpers)."""

from __future__ import annotations

import time


def monotonic() -> float:
    """Seconds from an arbitrary origin; never jumps with wall-clock changes."""
    return time.monotonic()
