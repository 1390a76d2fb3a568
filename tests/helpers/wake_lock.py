"""A wake lock for tests: records acquire/release calls and can be told to refuse."""

from __future__ import annotations


class FakeWakeLock:
    """For tests: records acquire/release calls; can be told to refuse."""

    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.calls: list[str] = []
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> str:
        self.calls.append("acquire")
        if self.refuse:
            return self.refuse
        self._held = True
        return ""

    def release(self) -> None:
        self.calls.append("release")
        self._held = False
