"""The history store: every session and its block-height results, in SQLite, never lost.

A session row is written the moment a session starts (status ``running``) and updated on
every step change and pause, so a crash or ``kill -9`` loses nothing that was on screen. At
the next start, :meth:`History.interrupted` returns the sessions a previous run left
``running``; the app offers to resume them, record their results, or discard them.

Design notes (the why):

* stdlib ``sqlite3``, WAL journal, ``foreign_keys=ON``, schema versioned with
  ``PRAGMA user_version`` (see :mod:`timer_app.storage.migrations`).
* A file that cannot be opened, is not a database, fails ``quick_check`` or comes from a
  newer app is moved aside (``history.sqlite3.corrupt-<timestamp>``) and a fresh store is
  created; :attr:`History.notice` tells the user why. Opening never raises for a bad file.
* Values are stored in cm (canonical) plus the value and unit as the user typed them, so the
  block-height setting can change later without rewriting the past.
* Snapshots and logs are JSON text decoded only when read, so listing 20 years of sessions
  stays fast (see ``benchmarks/history_scale.py``).

This module imports no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from timer_app.core.routine import Routine, Side
from timer_app.core.timeline import Timeline


class SessionStatus(StrEnum):
    """Where a session stands. A StrEnum, so ``record.status == "completed"`` works."""

    RUNNING = "running"  # started, not ended: the app is running it, or died while it did
    COMPLETED = "completed"  # reached the end of its timeline
    STOPPED = "stopped"  # the user stopped it early
    INTERRUPTED = "interrupted"  # the app died; the user chose to keep it (results recorded)
    DISCARDED = "discarded"  # the user chose to throw it away; hidden from sessions()


#: Units a result may be entered in (same values as :class:`timer_app.core.routine.MeasureUnit`).
UNITS = ("blocks", "cm", "in")
#: When a result was measured relative to the drill.
WHENS = ("before", "after")


@dataclass(frozen=True)
class ResultEntry:
    """One measurement: how high the foot reached on one side, before or after the drill.

    ``value_cm`` is canonical; ``entered_value`` and ``unit`` are what the user typed (e.g.
    4 blocks), kept so the history shows it back as entered. Construction validates the
    fields and raises ``ValueError`` naming the bad one.
    """

    side: Side
    value_cm: float
    entered_value: float
    unit: str = "blocks"  # "blocks" | "cm" | "in"
    when: str = "after"  # "before" | "after"
    pain: int | None = None  # 0-10, None when not given
    note: str = ""


@dataclass(frozen=True)
class SessionRecord:
    """One session as stored: what was run, how far it got, and its results.

    ``snapshot`` is the routine as :func:`timer_app.core.routine_file.routine_to_dict` gave
    it when the session started, so the session can be resumed even if the routine file
    changed since (:meth:`routine` rebuilds it). ``uuid`` is a stable key that survives CSV
    export and import (re-importing a file adds no duplicates). Treat ``snapshot`` and
    ``log`` as read-only.
    """

    id: int
    routine_id: str
    routine_name: str
    started_at: datetime  # aware, UTC
    status: str  # a SessionStatus value
    planned_seconds: float
    snapshot: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    ended_at: datetime | None = None  # aware, UTC
    done_seconds: float = 0.0
    step_index: int = 0
    step_elapsed: float = 0.0
    extra_round_side: Side | None = None
    log: list[dict[str, Any]] = field(default_factory=list, compare=False, repr=False)
    results: tuple[ResultEntry, ...] = ()
    results_pending: bool = False
    uuid: str = ""

    def routine(self) -> Routine:
        """The routine as it was when the session started (raises RoutineError if the
        snapshot is unusable, e.g. written by a newer app)."""
        raise NotImplementedError

    def result(self, side: Side, when: str = "after") -> ResultEntry | None:
        """This session's result for ``side`` measured ``when``, if recorded."""
        raise NotImplementedError


class History:
    """The SQLite history store. One instance per process; not thread-safe (call it from
    the GUI thread: every call is a short transaction, a few ms at most)."""

    notice: str | None
    """Set when opening had to set a bad file aside; a sentence to show the user."""

    path: Path

    def __init__(self, path: Path) -> None:
        """Open the store at ``path`` or create it (and its folders). A corrupt, unreadable
        or too-new file is moved aside and a new store created; see :attr:`notice`."""
        raise NotImplementedError

    # -- a session's life ----------------------------------------------------------------

    def start_session(
        self, routine: Routine, timeline: Timeline, extra_round_side: Side | None = None
    ) -> int:
        """Record a new ``running`` session (committed before returning); return its id."""
        raise NotImplementedError

    def update_progress(
        self,
        session_id: int,
        step_index: int,
        step_elapsed: float,
        done_seconds: float,
        log: list[dict[str, Any]],
    ) -> None:
        """Save where the session is (one UPDATE, committed). Call on every step change
        and pause."""
        raise NotImplementedError

    def end_session(
        self, session_id: int, status: str, done_seconds: float, log: list[dict[str, Any]]
    ) -> None:
        """Mark the session ``completed``, ``stopped`` or ``interrupted`` and stamp its end."""
        raise NotImplementedError

    def resume_session(self, session_id: int) -> SessionRecord:
        """Mark an interrupted (``running``) session as this run's live session again and
        return it; continue with :meth:`update_progress` and :meth:`end_session`."""
        raise NotImplementedError

    def save_results(
        self, session_id: int, results: Sequence[ResultEntry], pending: bool = False
    ) -> None:
        """Replace the session's results atomically. ``pending=True`` means "Later": the
        user will fill them in from the history (see :meth:`pending`)."""
        raise NotImplementedError

    def discard(self, session_id: int) -> None:
        """Mark a session ``discarded`` (kept in the file, hidden from :meth:`sessions`)."""
        raise NotImplementedError

    def delete_session(self, session_id: int) -> SessionRecord:
        """Delete a session and its results; return the record so :meth:`restore_session`
        can undo the delete."""
        raise NotImplementedError

    def restore_session(self, record: SessionRecord) -> int:
        """Re-insert a deleted session with its id, uuid and results (undo); return its id."""
        raise NotImplementedError

    # -- reading -------------------------------------------------------------------------

    def get(self, session_id: int) -> SessionRecord:
        """One session; raises KeyError if there is none with that id."""
        raise NotImplementedError

    def interrupted(self) -> list[SessionRecord]:
        """Sessions still ``running`` from a previous run (the app died), newest first.
        Call once at start-up, before this run starts a session of its own."""
        raise NotImplementedError

    def sessions(
        self, routine_id: str | None = None, include_discarded: bool = False
    ) -> list[SessionRecord]:
        """Sessions (of one routine, or all), newest first, with their results."""
        raise NotImplementedError

    def pending(self) -> list[SessionRecord]:
        """Sessions whose results the user chose to fill in later, newest first."""
        raise NotImplementedError

    def routine_ids(self) -> list[tuple[str, str]]:
        """(routine id, latest name) of every routine with sessions, for the filter."""
        raise NotImplementedError

    def latest_results(self, routine_id: str) -> dict[Side, float]:
        """Latest "after" value in cm per side for the routine (sides never measured are
        absent)."""
        raise NotImplementedError

    def personal_bests(self, routine_id: str) -> dict[Side, float]:
        """Highest value in cm per side ever recorded for the routine (before or after)."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the database (idempotent)."""
        raise NotImplementedError

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CsvImportError(ValueError):
    """A CSV file could not be imported. The message names the file, the line and the
    reason, e.g. ``old.csv: line 7: started_at: not a date: '2024-13-01'``; nothing was
    imported."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}: line {line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


def export_csv(history: History, out: TextIO) -> int:
    """Write every session (with its results) as CSV; return the number of data rows.
    Columns are documented in docs/history-csv.md."""
    from timer_app.storage.csv_io import export_csv as _export

    return _export(history, out)


def import_csv(history: History, src: TextIO, source_name: str) -> int:
    """Import a CSV written by :func:`export_csv`, all or nothing; return the number of
    sessions added (already present ones, by uuid, are skipped). Raises
    :class:`CsvImportError` naming the file, line and reason."""
    from timer_app.storage.csv_io import import_csv as _import

    return _import(history, src, source_name)
