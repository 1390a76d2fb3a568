"""``timer-app --which-drill`` and ``timer-app --report FILE.pdf``: the drill comparison and
the physiotherapist's report, from the command line.

``--which-drill`` needs no Qt at all. ``--report`` draws with Qt's painter (the same code as
the history window's *Export report*) on an off-screen surface, so it works with no display.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from timer_app.storage.history import SessionRecord


def parse_since(text: str) -> date:
    """``--since`` value: a calendar date, 2026-11-01."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-01, got {text!r}") from None


def since_moment(since: date | None) -> datetime | None:
    """The start of ``since`` in local time, as an aware datetime (None stays None)."""
    if since is None:
        return None
    return datetime.combine(since, time.min).astimezone()


class _Unreadable(Exception):
    """The history could not be read; the message says so (printed by the caller)."""


def _sessions(since: date | None) -> tuple[list[SessionRecord], str, float]:
    """The stored sessions (from ``since`` on), the user's unit and block thickness. Raises
    :class:`_Unreadable` when the history could not be read: a comparison or a report of
    part of it would mislead."""
    import sqlite3

    from timer_app.paths import history_db_path
    from timer_app.settings import Settings, settings_path
    from timer_app.storage.history import History
    from timer_app.storage.records import HistoryError

    settings = Settings.load(settings_path())
    start = since_moment(since)
    with History(history_db_path()) as history:
        if history.notice:
            print(f"timer-app: {history.notice}", file=sys.stderr)
        if not history.read_ok:
            raise _Unreadable("your history could not be read (see above)")
        try:
            records = [r for r in history.sessions() if start is None or r.started_at >= start]
        except (sqlite3.Error, HistoryError) as exc:
            raise _Unreadable(f"the history could not be read: {exc}") from None
    return records, settings.result_unit, settings.block_height_cm


def which_drill(
    since: date | None = None, now: datetime | None = None, out: TextIO | None = None
) -> int:
    """Print the drill comparison table in the user's unit; 0 even with no sessions."""
    from timer_app.core.drill_comparison import compare_drills
    from timer_app.core.drill_table import format_table

    try:
        records, unit, block_cm = _sessions(since)
    except _Unreadable as exc:
        print(f"timer-app: no comparison: {exc}", file=sys.stderr)
        return 1
    comparison = compare_drills(records, now or datetime.now(UTC))
    stream = out or sys.stdout
    stream.write(format_table(comparison, unit, block_cm))  # a closed pipe: see cli.main
    stream.flush()
    return 0


def export_report(target: str, since: date | None = None, now: datetime | None = None) -> int:
    """Write the PDF report to ``target`` (and the chart as PNG beside it); 1 on failure
    with a one-line message, and no half-written file."""
    from pathlib import Path

    from timer_app.report.writer import ReportError, write_report

    path = Path(target)
    if path.suffix.lower() != ".pdf":
        print(f"{target}: the report is a PDF file: give a name ending in .pdf", file=sys.stderr)
        return 1
    try:
        records, unit, block_cm = _sessions(since)
    except _Unreadable as exc:
        print(f"{target}: not written: {exc}", file=sys.stderr)
        return 1
    try:
        written = write_report(
            path,
            records,
            unit=unit,
            block_cm=block_cm,
            since=since_moment(since),
            now=now or datetime.now(UTC),
            offscreen=True,
        )
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(
        f"wrote {written.pages} page(s) to {path} and the chart to {written.chart_png}",
        file=sys.stderr,
    )
    return 0
