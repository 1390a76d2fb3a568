"""What the report says about the sessions, as data and text (no drawing): the points of
the left/right chart and the cells of the sessions table.

No painting here: the writer lays these out (:mod:`timer_app.report.writer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from timer_app.core import units
from timer_app.core.results import When
from timer_app.core.routine import Side
from timer_app.report.charts import ProgressPoint
from timer_app.storage.records import SessionRecord


def shown_height(record: SessionRecord, side: Side) -> float | None:
    """The height shown for a side: after the drill when measured, else before (cm)."""
    after = before = None
    for entry in record.results:
        if entry.side is side:
            if entry.when is When.AFTER:
                after = entry.value_cm
            else:
                before = entry.value_cm
    return after if after is not None else before


def _test_of(record: SessionRecord) -> str:
    """What test a session's heights come from: sessions with the same range-test
    instruction measure the same thing, so they may share one chart."""
    measurement = record.snapshot.get("measurement") if isinstance(record.snapshot, dict) else None
    if isinstance(measurement, dict) and isinstance(measurement.get("instruction"), str):
        return str(measurement["instruction"])
    return record.routine_id


def progress_points(
    records: Sequence[SessionRecord], unit: str, block_cm: float
) -> tuple[list[ProgressPoint], list[str]]:
    """The sessions of the most used range test, oldest first, in ``unit``; and the names
    of the routines they come from (most sessions first)."""
    groups: dict[str, list[SessionRecord]] = {}
    for record in records:
        if record.results:
            groups.setdefault(_test_of(record), []).append(record)
    if not groups:
        return [], []
    largest = max(groups.values(), key=lambda group: len(group))
    chosen = sorted(largest, key=lambda r: r.started_at)
    factor = units.to_cm(1.0, unit, block_cm)

    def in_unit(value_cm: float | None) -> float | None:
        return None if value_cm is None else value_cm / factor

    points = [
        ProgressPoint(
            r.started_at,
            in_unit(shown_height(r, Side.LEFT)),
            in_unit(shown_height(r, Side.RIGHT)),
        )
        for r in chosen
    ]
    counts: dict[str, int] = {}
    for record in chosen:
        counts[record.routine_name] = counts.get(record.routine_name, 0) + 1
    return points, sorted(counts, key=lambda name: -counts[name])


def progress_title(names: Sequence[str], count: int) -> str:
    """The chart's title: how many drills and sessions it shows."""
    if not names:
        return "Left and right over time"
    drills = f"{len(names)} drills, " if len(names) > 1 else ""
    return f"Left and right over time ({drills}{count} sessions on one range test)"


def local_text(moment: datetime, with_time: bool = True) -> str:
    """A moment as the user's local date (and time)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _before_after(record: SessionRecord, side: Side, unit: str, block_cm: float) -> str:
    """ "3 → 4" (before → after), "4" (after only), "3 (before)", or "–"."""
    values = {e.when: e.value_cm for e in record.results if e.side is side}
    parts = [
        units.format_height(units.from_cm(values[when], unit, block_cm), unit).split()[0]
        for when in (When.BEFORE, When.AFTER)
        if when in values
    ]
    if not parts:
        return "–"
    if len(parts) == 2:
        return f"{parts[0]} → {parts[1]}"
    return parts[0] + (" (before)" if When.BEFORE in values else "")


def _pain(record: SessionRecord) -> str:
    """ "2 / 1" (left / right) after the drill, else as given; "" when none."""
    scores = {e.side: e.pain for e in record.results if e.pain is not None and e.when is When.AFTER}
    if not scores:
        scores = {e.side: e.pain for e in record.results if e.pain is not None}
    if not scores:
        return ""
    left, right = scores.get(Side.LEFT), scores.get(Side.RIGHT)
    return f"{'–' if left is None else left} / {'–' if right is None else right}"


def _notes(record: SessionRecord) -> str:
    notes: list[str] = []
    for entry in record.results:
        if entry.note and entry.note not in notes:
            notes.append(entry.note)
    return " · ".join(notes)


#: The sessions table's columns and their share of the page width; the note takes the rest.
SESSION_COLUMNS = (("Date", 0.17), ("Drill", 0.27), ("Left", 0.12), ("Right", 0.12), ("Pain", 0.08))
SESSION_HEADERS = (*(title for title, _ in SESSION_COLUMNS), "Note")
SESSION_WIDTHS = (*(w for _, w in SESSION_COLUMNS), 1 - sum(w for _, w in SESSION_COLUMNS))


def session_cells(record: SessionRecord, unit: str, block_cm: float) -> list[str]:
    """One row of the sessions table, in the order of :data:`SESSION_HEADERS`."""
    return [
        local_text(record.started_at),
        record.routine_name,
        _before_after(record, Side.LEFT, unit, block_cm),
        _before_after(record, Side.RIGHT, unit, block_cm),
        _pain(record),
        _notes(record),
    ]
