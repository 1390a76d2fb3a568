"""Noticing that the machine slept (or the process was frozen) between two wake-ups.

``time.monotonic()`` stops while a Linux machine is suspended, so a session timed on it would
simply continue after resume as if nothing happened, with the user no longer on the floor.
``CLOCK_BOOTTIME`` keeps counting through suspend: when it advances more than monotonic does,
the machine slept. Where BOOTTIME does not exist, a wake-up much later than planned is taken as
the same sign (a stall of the whole process, a debugger, a frozen VM).
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: A gap this large between planned and real wake-up (or between the two clocks) means sleep.
SUSPEND_THRESHOLD_SECONDS = 3.0


def _boottime() -> float | None:
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is None:
        return None
    try:
        return time.clock_gettime(clock_id)
    except OSError:
        return None


class SuspendDetector:
    """Call :meth:`check` at every wake-up; it returns how long the machine was away (seconds)
    or 0.0. ``last_good`` is the monotonic time up to which time is known to be real."""

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        boottime: Callable[[], float | None] = _boottime,
        threshold: float = SUSPEND_THRESHOLD_SECONDS,
    ) -> None:
        self._monotonic = monotonic
        self._boottime = boottime
        self.threshold = threshold
        self.last_good = monotonic()
        self._offset = self._current_offset()

    def _current_offset(self) -> float | None:
        boot = self._boottime()
        return None if boot is None else boot - self._monotonic()

    def reset(self) -> None:
        self.last_good = self._monotonic()
        self._offset = self._current_offset()

    def check(self, expected_wake: float | None = None) -> float:
        """Seconds lost to a suspend or stall since the last check (0.0 if none).

        ``expected_wake`` is when this wake-up was planned; a wake-up later than that by more
        than the threshold counts as a stall even where BOOTTIME is missing.
        """
        now = self._monotonic()
        lost = 0.0
        offset = self._current_offset()
        if (
            offset is not None
            and self._offset is not None
            and offset - self._offset > self.threshold
        ):
            lost = offset - self._offset
        elif expected_wake is not None and now - expected_wake > self.threshold:
            lost = now - expected_wake
        self._offset = offset
        if lost == 0.0:
            self.last_good = now
        return lost
