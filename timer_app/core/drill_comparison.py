"""Which drill works for you: per routine, what a session gains and what lasts.

For every routine with sessions, per side:

* **sessions measured before and after**: the sessions with both heights on that side;
* **mean gain within a session**: the mean of (after − before) over those sessions, the
  immediate effect of the drill;
* **change of the "before" value over the last 4 weeks**: the fitted trend of the heights
  measured *before* the drill, from the first to the last such session in the window. The
  "before" value is the hip as it is on a new day, so its rise is progress that lasted;
* **the left-right gap**: right − left at the latest session with both sides measured
  (after the drill where measured, else before).

Routines are ranked best first by the mean within-session gain of both sides together.
A figure that rests on fewer than :data:`MIN_SESSIONS` sessions is flagged, and the text
made from it (see :mod:`timer_app.core.drill_table`) says so plainly: two sessions do not
tell a drill's effect from a good day.

Heights are centimetres here, as the history stores them; display units are the caller's.
This module imports no Qt and no storage: it reads any session-like object holding core
:class:`~timer_app.core.results.ResultEntry` values (a :class:`MeasuredSession`, e.g. a
storage ``SessionRecord``), so it is tested on generated histories without a database.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Side

#: Fewer sessions than this and a figure is marked as not yet reliable.
MIN_SESSIONS = 3
#: The window of "lasting progress": the change of the before value over these days.
WINDOW_DAYS = 28
SIDES = (Side.LEFT, Side.RIGHT)


class MeasuredSession(Protocol):
    """What the comparison reads of a session (e.g. a storage ``SessionRecord``)."""

    @property
    def routine_id(self) -> str: ...

    @property
    def routine_name(self) -> str: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def results(self) -> Sequence[ResultEntry]: ...


@dataclass(frozen=True)
class SideFigures:
    """One side's figures for one routine (heights and gains in cm)."""

    #: Sessions with both a before and an after height on this side.
    paired_sessions: int = 0
    mean_gain_cm: float | None = None
    #: Heights measured before the drill within the window, and their fitted change.
    before_sessions: int = 0
    before_change_cm: float | None = None

    @property
    def gain_is_reliable(self) -> bool:
        return self.paired_sessions >= MIN_SESSIONS

    @property
    def change_is_reliable(self) -> bool:
        return self.before_sessions >= MIN_SESSIONS


@dataclass(frozen=True)
class DrillFigures:
    """One routine's row in the comparison."""

    routine_id: str
    name: str
    #: Sessions with a before and after pair on at least one side.
    sessions: int
    left: SideFigures
    right: SideFigures
    #: Right − left (cm) at the latest session with both sides measured; None if none.
    gap_cm: float | None = None
    last_session: datetime | None = None

    def side(self, side: Side) -> SideFigures:
        """The figures of ``side`` (left or right)."""
        return self.left if side is Side.LEFT else self.right

    @property
    def mean_gain_cm(self) -> float | None:
        """Mean within-session gain over both sides' pairs (the ranking key)."""
        pairs = [
            (f.paired_sessions, f.mean_gain_cm)
            for f in (self.left, self.right)
            if f.mean_gain_cm is not None
        ]
        count = sum(n for n, _ in pairs)
        if not count:
            return None
        return sum(n * gain for n, gain in pairs) / count

    @property
    def is_reliable(self) -> bool:
        """True when the ranking figure rests on at least :data:`MIN_SESSIONS` sessions."""
        return self.sessions >= MIN_SESSIONS


@dataclass(frozen=True)
class DrillComparison:
    """Every routine's figures, best first, as of ``as_of``."""

    drills: tuple[DrillFigures, ...]
    as_of: datetime
    window_days: int = WINDOW_DAYS

    def best_for(self, side: Side) -> DrillFigures | None:
        """The routine with the highest mean gain on ``side``; routines resting on at least
        :data:`MIN_SESSIONS` sessions on that side win over ones that do not."""
        measured = [d for d in self.drills if d.side(side).mean_gain_cm is not None]
        if not measured:
            return None
        return max(
            measured,
            key=lambda d: (d.side(side).gain_is_reliable, d.side(side).mean_gain_cm or 0.0),
        )

    @property
    def measured(self) -> tuple[DrillFigures, ...]:
        """The routines with at least one session measured before and after."""
        return tuple(d for d in self.drills if d.sessions)


def compare_drills(
    sessions: Iterable[MeasuredSession],
    as_of: datetime,
    window_days: int = WINDOW_DAYS,
) -> DrillComparison:
    """Figures for every routine in ``sessions`` (any order), ranked best first.

    ``as_of`` (timezone-aware) ends the lasting-progress window; pass the clock's now.
    Sessions after ``as_of`` are ignored, so a report for a past date is reproducible.
    """
    by_routine: dict[str, list[MeasuredSession]] = {}
    for session in sessions:
        if session.started_at <= as_of:
            by_routine.setdefault(session.routine_id, []).append(session)
    window_start = as_of - timedelta(days=window_days)
    drills = [
        _figures(routine_id, sorted(group, key=lambda s: s.started_at), window_start)
        for routine_id, group in by_routine.items()
    ]
    drills.sort(key=_rank_key)
    return DrillComparison(tuple(drills), as_of, window_days)


def _rank_key(drill: DrillFigures) -> tuple[int, float, int, str]:
    gain = drill.mean_gain_cm
    # Measured routines first, highest gain first; then more sessions, then by name.
    return (gain is None, -(gain or 0.0), -drill.sessions, drill.name.casefold())


def _values(session: MeasuredSession) -> dict[tuple[Side, When], float]:
    """(side, when) → cm. With two entries for one key the last wins, as in the table."""
    return {(e.side, e.when): e.value_cm for e in session.results}


def _figures(
    routine_id: str, sessions: list[MeasuredSession], window_start: datetime
) -> DrillFigures:
    gains: dict[Side, list[float]] = {side: [] for side in SIDES}
    befores: dict[Side, list[tuple[float, float]]] = {side: [] for side in SIDES}
    paired_sessions = 0
    gap: float | None = None
    for session in sessions:
        values = _values(session)
        paired = False
        for side in SIDES:
            before = values.get((side, When.BEFORE))
            after = values.get((side, When.AFTER))
            if before is not None and after is not None:
                gains[side].append(after - before)
                paired = True
            if before is not None and session.started_at >= window_start:
                days = (session.started_at - window_start).total_seconds() / 86400
                befores[side].append((days, before))
        paired_sessions += paired
        shown = {
            side: values.get((side, When.AFTER), values.get((side, When.BEFORE))) for side in SIDES
        }
        left, right = shown[Side.LEFT], shown[Side.RIGHT]
        if left is not None and right is not None:
            gap = right - left  # sessions are oldest first: the latest wins
    return DrillFigures(
        routine_id=routine_id,
        name=sessions[-1].routine_name,
        sessions=paired_sessions,
        left=_side_figures(gains[Side.LEFT], befores[Side.LEFT]),
        right=_side_figures(gains[Side.RIGHT], befores[Side.RIGHT]),
        gap_cm=gap,
        last_session=sessions[-1].started_at,
    )


def _side_figures(gains: list[float], befores: list[tuple[float, float]]) -> SideFigures:
    return SideFigures(
        paired_sessions=len(gains),
        mean_gain_cm=statistics.fmean(gains) if gains else None,
        before_sessions=len(befores),
        before_change_cm=_fitted_change(befores),
    )


def _fitted_change(points: list[tuple[float, float]]) -> float | None:
    """The least-squares line's rise from the first to the last point's day, or None with
    fewer than two days. A fit, not last − first: one good or bad day moves it less."""
    days = [day for day, _ in points]
    if len(points) < 2 or max(days) - min(days) < 0.5:
        return None
    slope, _intercept = statistics.linear_regression(days, [value for _, value in points])
    return slope * (max(days) - min(days))
