"""The history's records: a stored session (:class:`SessionRecord`), its status, and the
error a failed write raises. Plain data, no SQLite: the store, the CSV code and the windows
all speak these types. A session's results are core :class:`~timer_app.core.results.ResultEntry`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Routine, Side


class HistoryError(RuntimeError):
    """A write to the history failed (disk full, file removed, ...). The message names the
    file; the store is unchanged by the failed call."""


class SessionStatus(StrEnum):
    """Where a session stands. A StrEnum, so ``record.status == "completed"`` works."""

    RUNNING = "running"  # started, not ended: the app is running it, or died while it did
    COMPLETED = "completed"  # reached the end of its timeline
    STOPPED = "stopped"  # the user stopped it early
    INTERRUPTED = "interrupted"  # the app died; the user chose to keep it (results recorded)
    DISCARDED = "discarded"  # the user chose to throw it away; hidden from sessions()


#: Statuses :meth:`History.end_session` accepts.
END_STATUSES = (SessionStatus.COMPLETED, SessionStatus.STOPPED, SessionStatus.INTERRUPTED)


@dataclass(frozen=True, eq=False)
class SessionRecord:
    """One session as stored: what was run, how far it got, and its results.

    ``snapshot`` is the routine as :func:`timer_app.core.routine_file.routine_to_dict` gave
    it when the session started, so the session can be resumed even if the routine file
    changed since (:meth:`routine` rebuilds it). ``uuid`` is a stable key that survives CSV
    export and import (re-importing a file adds no duplicates). Treat ``snapshot`` and
    ``log`` as read-only. A record read from a :class:`History` loads its ``log`` on first
    use: read it before closing that store.
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

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, f.name) for f in fields(SessionRecord) if f.compare)

    # Written by hand so a record read from the store equals one built in code.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SessionRecord):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def routine(self) -> Routine:
        """The routine as it was when the session started (raises RoutineError if the
        snapshot is unusable, e.g. written by a newer app)."""
        from timer_app.core.routine_file import parse_routine

        return parse_routine(self.snapshot, f"history session {self.id}")

    def result(self, side: Side, when: When | str = When.AFTER) -> ResultEntry | None:
        """This session's result for ``side`` measured ``when``, if recorded."""
        for entry in self.results:
            if entry.side == side and entry.when == when:
                return entry
        return None

    def snapshot_json(self) -> str:
        """``snapshot`` as compact JSON with sorted keys (as stored and exported)."""
        return to_json(self.snapshot)

    def log_json(self) -> str:
        """``log`` as compact JSON with sorted keys (as stored and exported)."""
        return to_json(self.log)


def to_json(value: object) -> str:
    """Compact JSON with sorted keys: how snapshots and logs are stored and exported."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
