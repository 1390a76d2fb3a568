"""A generated month of sessions on two drills whose gains are known, for the comparison,
the command line, the history tab and the report.

Every other day the user does the sleeper drill, on the days between hip IR lying. Heights
are in blocks of 7.5 cm:

* sleeper-hip-rotation: gains +1 block left, +0.25 block right, every session;
* hip-ir-lying: gains +0.5 block left, +1 block right;
* the "before" height rises by 0.05 block a day on the left and stays flat on the right;
* trailing-leg-ir: two sessions only (gain +2 blocks each side: too few to trust);
* quick-hip-check: measured after only (no gain can be computed).

So the left side gains most from the sleeper drill and the right side from hip IR lying,
while the ranking (both sides together) puts hip IR lying first (0.75 against 0.625 a side).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import ROUTINES
from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Side
from timer_app.core.routine_file import load_routine, routine_to_dict
from timer_app.core.units import Unit
from timer_app.storage.history import History
from timer_app.storage.records import SessionRecord

BLOCK_CM = 7.5
#: The first session; "now" for the comparison is END.
START = datetime(2026, 10, 5, 7, 30, tzinfo=UTC)
DAYS = 28
END = START + timedelta(days=DAYS - 1, hours=2)
GAINS = {
    "sleeper-hip-rotation": (1.0, 0.25),
    "hip-ir-lying": (0.5, 1.0),
    "trailing-leg-ir": (2.0, 2.0),
}
LEFT_TREND_PER_DAY = 0.05


def record(
    routine_id: str,
    started: datetime,
    before: tuple[float, float] | None,
    after: tuple[float, float] | None,
    pain: int | None = None,
    note: str = "",
) -> SessionRecord:
    """A completed session of a built-in routine with heights in blocks."""
    routine = load_routine(ROUTINES / f"{routine_id}.toml")
    results = []
    for when, values in ((When.BEFORE, before), (When.AFTER, after)):
        if values is None:
            continue
        for side, blocks in zip((Side.LEFT, Side.RIGHT), values, strict=True):
            entry_pain = pain if when is When.AFTER else None
            entry_note = note if when is When.AFTER and side is Side.LEFT else ""
            results.append(
                ResultEntry(
                    side, blocks * BLOCK_CM, blocks, Unit.BLOCKS, when, entry_pain, entry_note
                )
            )
    return SessionRecord(
        id=0,
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=started,
        status="completed",
        planned_seconds=900,
        snapshot=routine_to_dict(routine),
        ended_at=started + timedelta(minutes=20),
        done_seconds=900,
        results=tuple(results),
    )


def month_of_sessions() -> list[SessionRecord]:
    """28 days of sessions, alternating the two drills, plus two short-lived ones."""
    records = []
    for day in range(DAYS):
        routine_id = "sleeper-hip-rotation" if day % 2 == 0 else "hip-ir-lying"
        before = (3.0 + LEFT_TREND_PER_DAY * day, 4.0)
        gain_left, gain_right = GAINS[routine_id]
        after = (before[0] + gain_left, before[1] + gain_right)
        note = "knee a bit stiff" if day == 3 else ""
        records.append(
            record(
                routine_id,
                START + timedelta(days=day),
                before,
                after,
                pain=day % 3,
                note=note,
            )
        )
    for day in (10, 20):
        records.append(
            record("trailing-leg-ir", START + timedelta(days=day, hours=10), (3, 4), (5, 6))
        )
    records.append(record("quick-hip-check", START + timedelta(days=5, hours=12), None, (4, 4)))
    return records


def seed(history: History) -> None:
    """Store the month in ``history``."""
    with history.batch():
        for item in month_of_sessions():
            history.insert_record(item)
