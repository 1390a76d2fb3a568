"""A plain record of what happened in a session: steps done, skipped, cut short, extended,
pauses. The history store saves it as JSON; the summary screen reads its totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Pause reasons that are not the user's own pause.
START_PAUSE = "start"  # a session resumed after a crash waits for Space
QUESTION_PAUSE = "question"  # the clock waits while "Stop the session?" shows
NOT_USER_PAUSES = frozenset({START_PAUSE, QUESTION_PAUSE})


@dataclass(frozen=True)
class LogEntry:
    """One thing that happened. ``t`` is seconds of active session time (pauses excluded)."""

    t: float
    event: str
    step: int
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class SessionLog:
    """The ordered entries plus derived totals."""

    entries: list[LogEntry] = field(default_factory=list)

    def add(self, t: float, event: str, step: int, detail: dict[str, Any] | None = None) -> None:
        self.entries.append(LogEntry(round(t, 3), event, step, dict(detail or {})))

    def count(self, event: str) -> int:
        return sum(1 for e in self.entries if e.event == event)

    @property
    def skipped_steps(self) -> list[int]:
        return [e.step for e in self.entries if e.event == "skipped"]

    @property
    def cut_short_steps(self) -> list[int]:
        return [e.step for e in self.entries if e.event == "cut_short"]

    @property
    def done_steps(self) -> set[int]:
        """Steps run to their end or cut short (pain): the steps the user actually did."""
        return {e.step for e in self.entries if e.event in ("completed", "cut_short")}

    @property
    def ran_through(self) -> bool:
        """True if no step was skipped (a pain stop still counts as doing the step)."""
        return not self.skipped_steps

    @property
    def pauses(self) -> int:
        # A session that starts paused (resumed after a crash), or paused while the stop
        # question shows, was not paused by the user.
        return sum(
            1
            for e in self.entries
            if e.event == "paused" and e.detail.get("reason") not in NOT_USER_PAUSES
        )

    @property
    def paused_seconds(self) -> float:
        return sum(
            float(e.detail.get("paused_for", 0.0)) for e in self.entries if e.event == "resumed"
        )

    def to_list(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.entries]

    @classmethod
    def from_list(cls, items: list[dict[str, Any]]) -> SessionLog:
        return cls(
            [
                LogEntry(float(i["t"]), str(i["event"]), int(i["step"]), dict(i.get("detail", {})))
                for i in items
            ]
        )
