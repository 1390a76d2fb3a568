"""A clock for tests: time only moves when the test says so."""

from __future__ import annotations


class FakeClock:
    """A clock that only moves when told to: ``clock.advance(2.5)``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self.now += seconds
        return self.now
