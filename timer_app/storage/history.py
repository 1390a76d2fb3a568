"""The history store: every session and its block-height results, in SQLite, never lost.

A session row is written the moment a session starts (status ``running``) and updated on
every step change and pause, so a crash or ``kill -9`` loses nothing that was on screen. At
the next start, :meth:`History.interrupted` returns the sessions a previous run left
``running``; the app offers to resume them, record their results, or discard them.

Design notes (the why):

* stdlib ``sqlite3``, WAL journal, ``foreign_keys=ON``, schema versioned with
  ``PRAGMA user_version`` (see :mod:`timer_app.storage.migrations`).
* A file that is not a database or fails ``quick_check`` is moved aside
  (``history.sqlite3.corrupt-<timestamp>``; one from a newer app, untouched, to
  ``.newer-<timestamp>``) and a fresh store is created; :attr:`History.notice` tells the
  user why. Opening never raises: a file that cannot be opened for now (locked by another
  copy, permissions, disk full, I/O error) is left in place and the store lives in memory
  for this run, with a notice, so the next start finds everything again. Before each write the
  store in memory tries its file again: once the cause is gone (the user fixed the folder's
  permissions, freed space), what was kept in memory is copied into the file in one
  transaction, under the same ids (see :func:`_memory_id_base`), and the store stays on disk.
* Each running session carries its run's id, and a live run holds a lock named after it
  (:mod:`timer_app.storage.run_lock`), so :meth:`History.interrupted` never offers the
  session this run, or another open copy of the app, is running.
* Values are stored in cm (canonical) plus the value and unit as the user typed them, so the
  block-height setting can change later without rewriting the past.
* Snapshots are stored once per distinct routine content; logs live in their own table and
  are read only when a record's ``log`` is used. Listing 20 years of daily sessions takes
  about 60 ms (see ``benchmarks/history_scale.py``).

This module imports no Qt.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import sqlite3
import uuid as uuid_module
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Routine, Side
from timer_app.core.routine_file import routine_to_dict
from timer_app.core.safe_read import is_regular_or_missing
from timer_app.core.timeline import Timeline
from timer_app.core.units import Unit
from timer_app.storage.migrations import (
    SCHEMA_VERSION,
    FutureSchemaError,
    migrate,
    schema_problem,
    user_version,
)
from timer_app.storage.records import (
    END_STATUSES,
    HistoryError,
    SessionRecord,
    SessionStatus,
    to_json,
)
from timer_app.storage.run_lock import RunLock, is_alive, sweep

# Re-exported: callers may keep importing the record types from the store.
__all__ = [
    "END_STATUSES",
    "History",
    "HistoryError",
    "ResultEntry",
    "SessionRecord",
    "SessionStatus",
    "When",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Seconds a write waits for another process's lock on the file before it fails.
BUSY_TIMEOUT = 5.0
#: After the file opened but what memory kept could not be copied into it (disk full), the
#: next try waits this long: each try checks the whole file, on the GUI thread.
RECOPY_AFTER = 30.0


class _StoredRecord(SessionRecord):
    """A record read from the store. Its snapshot stays JSON text and its log stays in the
    database until first read: decoding 20 years of logs up front would cost ~100 ms that a
    table never needs. (So read ``log`` while the store is open.)"""

    @property
    def snapshot(self) -> dict[str, Any]:
        value: dict[str, Any] | str = self.__dict__["_snapshot"]
        if isinstance(value, str):
            value = json.loads(value)
            self.__dict__["_snapshot"] = value
        assert isinstance(value, dict)
        return value

    @snapshot.setter
    def snapshot(self, value: dict[str, Any]) -> None:
        self.__dict__["_snapshot"] = value

    @property
    def log(self) -> list[dict[str, Any]]:
        value: list[dict[str, Any]] | Callable[[], str] = self.__dict__["_log"]
        if callable(value):
            value = json.loads(value())
            self.__dict__["_log"] = value
        assert isinstance(value, list)
        return value

    @log.setter
    def log(self, value: list[dict[str, Any]]) -> None:
        self.__dict__["_log"] = value

    # The stored text as is: a CSV export of 20 years need not decode and re-encode it.
    def snapshot_json(self) -> str:
        value = self.__dict__["_snapshot"]
        text: str = value if isinstance(value, str) else _json(value)
        return text

    def log_json(self) -> str:
        value = self.__dict__["_log"]
        text: str = value() if callable(value) else _json(value)
        return text


def _iso(moment: datetime) -> str:
    """Stored time text: ISO 8601 in UTC, whole seconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError(f"time must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _json(value: object) -> str:
    return to_json(value)


def _side_or_none(value: Side | str | None) -> str | None:
    if value is None:
        return None
    side = Side(value)
    if side is Side.NONE:
        return None
    return side.value


_SELECT = """
    SELECT s.id, s.uuid, s.routine_id, s.routine_name, s.snapshot_id, s.started_at, s.ended_at,
           s.status, s.planned_seconds, s.done_seconds, s.step_index, s.step_elapsed,
           s.extra_round_side, s.results_pending
    FROM sessions s
"""
_SELECT_RESULTS = """
    SELECT r.session_id, r.side, r.measured, r.value_cm, r.entered_value, r.unit, r.pain, r.note
    FROM results r
"""
_SIDES = {"left": Side.LEFT, "right": Side.RIGHT}
_UNITS = {unit.value: unit for unit in Unit}
_WHENS = {when.value: when for when in When}


class History:
    """The SQLite history store. One instance per process; not thread-safe (call it from
    the GUI thread: every call is one short transaction).

    Writes raise :class:`HistoryError` if the disk refuses them; reads of a healthy store
    do not raise. ``now`` can be injected (tests, benchmarks); it must return aware times.
    """

    notice: str | None
    """Set when opening had to set a bad file aside; a sentence to show the user."""

    read_ok: bool
    """False when the user's history could not be read this run (it was set aside, or the
    store lives in memory): an export now would hold less than the user has."""

    path: Path

    def __init__(
        self,
        path: Path,
        now: Callable[[], datetime] | None = None,
        *,
        connect: Callable[..., sqlite3.Connection] = sqlite3.connect,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        """Open the store at ``path`` or create it (and its folders). A damaged or too-new
        file is moved aside and a new store created; a file that cannot be opened for now
        (locked, permissions, I/O) is left alone and the store runs in memory. Either way
        :attr:`notice` says so; this never raises.

        ``connect`` opens SQLite connections (``sqlite3.connect``'s signature; tests inject
        faults through it); a write waits up to ``busy_timeout`` seconds for another
        process's lock before it fails."""
        self._sqlite_connect = connect
        self._busy_timeout = busy_timeout
        self.path = Path(path)
        self.notice = None
        self.read_ok = True
        self._now = now or (lambda: datetime.now(UTC))
        # Marks the sessions this run starts, so interrupted() never offers the live one;
        # the run lock tells another live copy of the app from a dead run.
        self._run_id = uuid_module.uuid4().hex
        self._depth = 0
        self._in_memory_only = False
        #: The id the next session kept in memory gets (None: SQLite picks, on disk).
        self._next_memory_id: int | None = None
        #: No new try to copy memory into the file before this (the store's clock).
        self._recopy_at = datetime.min.replace(tzinfo=UTC)
        self._conn = self._open()
        runs = None if self._in_memory_only else self.path.with_name(f"{self.path.name}.runs")
        self._run_lock = RunLock(runs, self._run_id)

    @property
    def on_disk(self) -> bool:
        """Whether writes reach the history file (False: kept in memory for this run)."""
        return not self._in_memory_only

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if not is_regular_or_missing(self.path):
            # A FIFO would hang SQLite's first read; a folder or device is no store either.
            return self._in_memory(f"{self.path} is not a regular file")
        try:
            return self._connect(self.path)
        except FutureSchemaError as exc:
            reason = f"it was written by a newer version of the app ({exc})"
            return self._set_aside("newer", reason)
        except _CorruptError as exc:
            return self._set_aside("corrupt", f"it is damaged ({exc})")
        except (sqlite3.Error, OSError) as exc:
            name = getattr(exc, "sqlite_errorname", "")
            if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
                return self._set_aside("corrupt", f"it could not be read ({exc})")
            if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                # Healthy but held by another copy of the app: never move it aside.
                return self._in_memory(f"{self.path} is in use by another copy of the app")
            # Disk full, permissions, I/O errors: the file may well be fine. Leave it where
            # it is, so the next start (once the cause is fixed) finds every session again.
            return self._in_memory(f"{self.path} could not be opened ({exc})")

    def _connect(self, path: Path | str, busy_timeout: float | None = None) -> sqlite3.Connection:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        timeout = self._busy_timeout if busy_timeout is None else busy_timeout
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction spans
        # exactly one public call (Python's implicit transactions would not).
        conn = self._sqlite_connect(path, isolation_level=None, timeout=timeout)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            # Read-only checks first: a file from a newer app or a damaged one must not be
            # written to at all (even switching to WAL rewrites its header).
            found = user_version(conn)
            if found > SCHEMA_VERSION:
                raise FutureSchemaError(found, SCHEMA_VERSION)
            if found < 0:
                raise _CorruptError(f"its schema version is {found}")
            check = conn.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise _CorruptError("; ".join(str(row[0]) for row in check[:3]))
            conn.execute("PRAGMA journal_mode = WAL")
            # synchronous=FULL with WAL: every commit fsyncs the WAL, so a committed
            # session survives power loss as well as kill -9 (NORMAL would survive a crash
            # of the app but could lose the last commits on power loss, and the product
            # promises "crash, kill -9, power"). Commits happen on step changes and pauses,
            # seconds apart, so the fsync (about 1-10 ms) is affordable.
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
            missing = schema_problem(conn)
            if missing:
                raise _CorruptError(missing)
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, label: str, reason: str) -> sqlite3.Connection:
        self.read_ok = False
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.{label}-{stamp}")
        try:
            # The -wal and -shm companions belong to the old file; keep them with it.
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    os.replace(source, Path(f"{aside}{suffix}"))
            conn = self._connect(self.path)
        except (sqlite3.Error, OSError, _CorruptError, FutureSchemaError) as exc:
            log.error("history: cannot set %s aside or create a new one: %s", self.path, exc)
            return self._in_memory(f"{self.path} could not be read or replaced ({exc})")
        self.notice = (
            f"Your history file could not be used because {reason}. It was kept as "
            f"{aside.name} and a new, empty history was started."
        )
        log.warning("history: %s", self.notice)
        return conn

    def _in_memory(self, why: str) -> sqlite3.Connection:
        self.read_ok = False
        self.notice = (
            f"The history cannot be saved this time: {why}. Sessions you do now are kept only"
            " until the app quits (it offers to export them)."
        )
        log.error("history: %s", self.notice)
        self._in_memory_only = True
        self._next_memory_id = _memory_id_base(self._now())
        return self._connect(":memory:")

    def _new_session_id(self) -> int | None:
        """The id for a new session: SQLite's choice on disk; in memory, the next one above
        this run's base, so the file can take it unchanged later (see :meth:`_reconnect`)."""
        if self._next_memory_id is None or not self._in_memory_only:
            return None
        self._next_memory_id += 1
        return self._next_memory_id - 1

    def _reconnect(self) -> None:
        """While the store lives in memory, try the file again (before each write): once
        it opens, copy every session kept in memory into it, in one transaction and under
        the same ids, so whoever holds an id (the running session's recorder, a "Later"
        session, the history window) goes on writing to the same session in the file. A
        session already in the file (same uuid) is not copied twice. If anything fails the
        store stays in memory, unchanged, and the next write tries again (after a failed
        copy, not for :data:`RECOPY_AFTER` seconds: opening checks the whole file)."""
        if not is_regular_or_missing(self.path) or self._now() < self._recopy_at:
            return
        try:
            # No waiting for another copy's lock: this runs before a write the user waits for.
            conn = self._connect(self.path, busy_timeout=0.0)
        except (sqlite3.Error, OSError, _CorruptError, FutureSchemaError) as exc:
            log.debug("history: %s still cannot be opened: %s", self.path, exc)
            return
        memory = self._conn
        kept = self._select("1", ())  # every session, discarded ones too
        for record in kept:
            _ = record.snapshot, record.log  # read now: they are read lazily, from memory
        runs = self.path.with_name(f"{self.path.name}.runs")
        run_lock = RunLock(runs, self._run_id)
        run_lock.acquire()  # before this run's running session shows in the file
        self._conn, self._depth = conn, 1  # the inserts below join this one transaction
        try:
            conn.execute("BEGIN IMMEDIATE")
            copied = 0
            for record in reversed(kept):  # oldest first
                if self.has_uuid(record.uuid):
                    continue
                self.insert_record(record, keep_id=True)
                copied += 1
                if record.status == SessionStatus.RUNNING:
                    conn.execute(  # still this run's, not an "interrupted" one
                        "UPDATE sessions SET run_id = ?, updated_at = ? WHERE id = ?",
                        (self._run_id, _iso(self._now()), record.id),
                    )
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError, ValueError) as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()
            run_lock.release()
            self._conn = memory
            self._recopy_at = self._now() + timedelta(seconds=RECOPY_AFTER)
            log.warning(
                "history: %s opened but the sessions kept in memory could not be"
                " copied into it: %s",
                self.path,
                exc,
            )
            return
        finally:
            self._depth = 0
        memory.close()
        self._run_lock = run_lock
        self._in_memory_only = False
        self._next_memory_id = None
        self.read_ok = True
        self.notice = None
        log.warning(
            "history: %s can be written again; %d session(s) kept in memory are in it now",
            self.path,
            copied,
        )

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several writes in one transaction (all or nothing, one fsync): used by
        CSV import, tests and benchmarks. Calls nest: only the outermost commits."""
        with self._write():
            yield

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._in_memory_only and not self._depth:
            self._reconnect()
        conn = self._conn
        if self._depth:
            self._depth += 1
            try:
                yield conn
            finally:
                self._depth -= 1
            return
        try:
            # IMMEDIATE: take the write lock now, not half-way through the call.
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: cannot write the history: {exc}") from exc
        self._depth = 1
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise HistoryError(f"{self.path}: cannot write the history: {exc}") from exc
            raise
        finally:
            self._depth = 0

    # -- a session's life ----------------------------------------------------------------

    def start_session(
        self,
        routine: Routine,
        timeline: Timeline,
        extra_round_side: Side | None = None,
        started_at: datetime | None = None,
    ) -> int:
        """Record a new ``running`` session (committed before returning); return its id."""
        started = _iso(started_at or self._now())
        self._run_lock.acquire()  # before the row exists, so no one sees it ownerless
        with self._write() as conn:
            snapshot_id = self._snapshot_id(_json(routine_to_dict(routine)))
            cursor = conn.execute(
                "INSERT INTO sessions (id, uuid, routine_id, routine_name, snapshot_id,"
                " started_at, updated_at, status, run_id, planned_seconds, extra_round_side)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)",
                (
                    self._new_session_id(),
                    uuid_module.uuid4().hex,
                    routine.id,
                    routine.name,
                    snapshot_id,
                    started,
                    started,
                    self._run_id,
                    float(timeline.total_seconds),
                    _side_or_none(extra_round_side),
                ),
            )
            assert cursor.lastrowid is not None
            conn.execute("INSERT INTO session_logs (session_id) VALUES (?)", (cursor.lastrowid,))
            return cursor.lastrowid

    def _snapshot_id(self, text: str) -> int:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        conn = self._conn
        conn.execute("INSERT OR IGNORE INTO snapshots (sha256, json) VALUES (?, ?)", (digest, text))
        row = conn.execute("SELECT id FROM snapshots WHERE sha256 = ?", (digest,)).fetchone()
        return int(row[0])

    def update_progress(
        self,
        session_id: int,
        step_index: int,
        step_elapsed: float,
        done_seconds: float,
        log: list[dict[str, Any]],
    ) -> None:
        """Save where the session is (one UPDATE, committed). Call on every step change
        and pause. Ignored (with a log line) for a session that has already ended."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET step_index = ?, step_elapsed = ?, done_seconds = ?,"
                " updated_at = ? WHERE id = ? AND status = 'running'",
                (
                    int(step_index),
                    float(step_elapsed),
                    float(done_seconds),
                    _iso(self._now()),
                    session_id,
                ),
            )
            if cursor.rowcount == 0:
                self._require(session_id)
                _log_ignored("progress", session_id)
                return
            self._save_log(session_id, log)

    def end_session(
        self,
        session_id: int,
        status: str,
        done_seconds: float | None = None,
        log: list[dict[str, Any]] | None = None,
        ended_at: datetime | None = None,
    ) -> None:
        """Mark the session ``completed``, ``stopped`` or ``interrupted`` and stamp its end.
        ``done_seconds`` and ``log`` default to what was last saved; for ``interrupted``
        the end defaults to the last progress save (when the app died)."""
        if status not in END_STATUSES:
            raise ValueError(f"status: must be one of {', '.join(END_STATUSES)}, got {status!r}")
        ended = _iso(ended_at) if ended_at is not None else None
        if ended is None and status != SessionStatus.INTERRUPTED:
            ended = _iso(self._now())
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = ?, run_id = NULL,"
                " ended_at = COALESCE(?, updated_at),"
                " done_seconds = COALESCE(?, done_seconds)"
                " WHERE id = ? AND status = 'running'",
                (
                    str(status),
                    ended,
                    None if done_seconds is None else float(done_seconds),
                    session_id,
                ),
            )
            if cursor.rowcount == 0:
                self._require(session_id)
                _log_ignored("end", session_id)
                return
            if log is not None:
                self._save_log(session_id, log)

    def _save_log(self, session_id: int, log: list[dict[str, Any]]) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO session_logs (session_id, json) VALUES (?, ?)",
            (session_id, _json(log)),
        )

    def _load_log(self, session_id: int) -> str:
        row = self._conn.execute(
            "SELECT json FROM session_logs WHERE session_id = ?", (session_id,)
        ).fetchone()
        return "[]" if row is None else str(row[0])

    def resume_session(self, session_id: int) -> SessionRecord:
        """Make an interrupted (still ``running``) session this run's live session again
        and return it; continue with :meth:`update_progress` and :meth:`end_session`."""
        self._run_lock.acquire()
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET run_id = ? WHERE id = ? AND status = 'running'",
                (self._run_id, session_id),
            )
            if cursor.rowcount == 0:
                record = self.get(session_id)
                raise ValueError(f"session {session_id} is {record.status}, not resumable")
        return self.get(session_id)

    def save_results(
        self, session_id: int, results: Sequence[ResultEntry], pending: bool = False
    ) -> None:
        """Replace the session's results atomically. ``pending=True`` means "Later": the
        user will fill them in from the history (see :meth:`pending`)."""
        seen: set[tuple[Side, str]] = set()
        for entry in results:
            key = (entry.side, entry.when)
            if key in seen:
                raise ValueError(f"two results for {entry.side.value} {entry.when}")
            seen.add(key)
        with self._write() as conn:
            self._require(session_id)
            conn.execute("DELETE FROM results WHERE session_id = ?", (session_id,))
            self._insert_results(session_id, results)
            conn.execute(
                "UPDATE sessions SET results_pending = ? WHERE id = ?", (int(pending), session_id)
            )

    def _insert_results(self, session_id: int, results: Sequence[ResultEntry]) -> None:
        self._conn.executemany(
            "INSERT INTO results (session_id, side, measured, value_cm, entered_value, unit,"
            " pain, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    session_id,
                    e.side.value,
                    e.when,
                    e.value_cm,
                    e.entered_value,
                    e.unit,
                    e.pain,
                    e.note,
                )
                for e in results
            ],
        )

    def discard(self, session_id: int) -> None:
        """Mark a session ``discarded`` (kept in the file, hidden from :meth:`sessions`)."""
        with self._write() as conn:
            self._require(session_id)
            conn.execute(
                "UPDATE sessions SET status = 'discarded', run_id = NULL,"
                " ended_at = COALESCE(ended_at, updated_at), results_pending = 0 WHERE id = ?",
                (session_id,),
            )

    def delete_session(self, session_id: int) -> SessionRecord:
        """Delete a session and its results; return the record so :meth:`restore_session`
        can undo the delete."""
        with self._write() as conn:
            record = self.get(session_id)
            _ = record.snapshot, record.log  # decode now: the row is about to go
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return record

    def restore_session(self, record: SessionRecord) -> int:
        """Re-insert a deleted session with its id, uuid and results (undo); return its id.
        Raises ValueError if that id or uuid is in use."""
        with self._write():
            return self.insert_record(record, keep_id=True)

    def insert_record(self, record: SessionRecord, keep_id: bool = False) -> int:
        """Insert a whole session (from undo or a CSV import) in the current transaction.
        A ``running`` record is stored as ``interrupted`` when it has no live run."""
        status = SessionStatus(record.status)
        ended = record.ended_at
        with self._write() as conn:
            try:
                cursor = conn.execute(
                    "INSERT INTO sessions (id, uuid, routine_id, routine_name, snapshot_id,"
                    " started_at, ended_at, updated_at, status, run_id, planned_seconds,"
                    " done_seconds, step_index, step_elapsed, extra_round_side,"
                    " results_pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?,"
                    " ?)",
                    (
                        record.id if keep_id else self._new_session_id(),
                        record.uuid or uuid_module.uuid4().hex,
                        record.routine_id,
                        record.routine_name,
                        self._snapshot_id(record.snapshot_json()),
                        _iso(record.started_at),
                        None if ended is None else _iso(ended),
                        _iso(ended or record.started_at),
                        status.value,
                        float(record.planned_seconds),
                        float(record.done_seconds),
                        int(record.step_index),
                        float(record.step_elapsed),
                        _side_or_none(record.extra_round_side),
                        int(record.results_pending),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise ValueError(
                    f"session {record.id} ({record.uuid}) cannot be inserted: {exc}"
                ) from exc
            assert cursor.lastrowid is not None
            self._conn.execute(
                "INSERT INTO session_logs (session_id, json) VALUES (?, ?)",
                (cursor.lastrowid, record.log_json()),
            )
            self._insert_results(cursor.lastrowid, record.results)
            return cursor.lastrowid

    def has_uuid(self, session_uuid: str) -> bool:
        """Whether a session with this stable key is stored (CSV import skips those)."""
        row = self._conn.execute("SELECT 1 FROM sessions WHERE uuid = ?", (session_uuid,))
        return row.fetchone() is not None

    # -- reading -------------------------------------------------------------------------

    def _require(self, session_id: int) -> None:
        row = self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,))
        if row.fetchone() is None:
            raise KeyError(f"no session {session_id} in the history")

    def _select(self, where: str, params: Sequence[object]) -> list[SessionRecord]:
        # The cyclic GC would run several times while tens of thousands of (acyclic)
        # records are made, adding up to ~40 ms to listing 20 years; pause it meanwhile.
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._select_records(where, params)
        finally:
            if paused:
                gc.enable()

    def _select_records(self, where: str, params: Sequence[object]) -> list[SessionRecord]:
        conn = self._conn
        rows = conn.execute(
            f"{_SELECT} WHERE {where} ORDER BY s.started_at DESC, s.id DESC", params
        ).fetchall()
        if not rows:
            return []
        results = self._results(where, params)
        # A few distinct snapshots serve thousands of sessions: fetch each text once.
        wanted = sorted({row[4] for row in rows})
        snapshots = dict(
            conn.execute(
                f"SELECT id, json FROM snapshots WHERE id IN ({','.join('?' * len(wanted))})",
                wanted,
            )
        )
        records: list[SessionRecord] = []
        for row in rows:
            (sid, key, routine_id, name, snapshot_id, started, ended, status, planned, done,
             step_index, step_elapsed, extra, pending) = row  # fmt: skip
            records.append(
                _trusted(
                    _StoredRecord,
                    id=sid,
                    uuid=key,
                    routine_id=routine_id,
                    routine_name=name,
                    _snapshot=snapshots[snapshot_id],
                    started_at=datetime.fromisoformat(started),
                    ended_at=None if ended is None else datetime.fromisoformat(ended),
                    status=status,
                    planned_seconds=planned,
                    done_seconds=done,
                    step_index=step_index,
                    step_elapsed=step_elapsed,
                    extra_round_side=None if extra is None else _SIDES[extra],
                    _log=partial(self._load_log, sid),
                    results=results.get(sid, ()),
                    results_pending=bool(pending),
                )
            )
        return records

    def _results(self, where: str, params: Sequence[object]) -> dict[int, tuple[ResultEntry, ...]]:
        grouped: dict[int, list[ResultEntry]] = {}
        # This order is the unique index's (session, side, measured): no sort step.
        query = (
            f"{_SELECT_RESULTS} WHERE r.session_id IN (SELECT s.id FROM sessions s WHERE {where})"
            " ORDER BY r.session_id, r.side, r.measured"
        )
        new = ResultEntry.__new__
        for sid, side, measured, cm, entered, unit, pain, note in self._conn.execute(query, params):
            entry = new(ResultEntry)
            # Straight into __dict__: the database's CHECK constraints already validated
            # these, and __init__ would double the cost of listing 20 years.
            entry.__dict__.update(
                side=_SIDES[side],
                value_cm=cm,
                entered_value=entered,
                unit=_UNITS[unit],
                when=_WHENS[measured],
                pain=pain,
                note=note,
            )
            if sid in grouped:
                grouped[sid].append(entry)
            else:
                grouped[sid] = [entry]
        return {sid: tuple(entries) for sid, entries in grouped.items()}

    def get(self, session_id: int) -> SessionRecord:
        """One session; raises KeyError if there is none with that id."""
        found = self._select("s.id = ?", (session_id,))
        if not found:
            raise KeyError(f"no session {session_id} in the history")
        return found[0]

    def interrupted(self) -> list[SessionRecord]:
        """Sessions still ``running`` whose run has ended (the app died), newest first.
        Never the live session of this run, nor of another copy of the app still open."""
        owners = self._conn.execute(
            "SELECT id, run_id FROM sessions WHERE status = 'running'"
            " AND (run_id IS NULL OR run_id != ?)",
            (self._run_id,),
        ).fetchall()
        folder = self._run_lock.folder
        dead = [sid for sid, run in owners if run is None or not is_alive(folder, run)]
        sweep(folder, keep=self._run_id)
        if not dead:
            return []
        return self._select(f"s.id IN ({','.join('?' * len(dead))})", dead)

    def sessions(
        self, routine_id: str | None = None, include_discarded: bool = False
    ) -> list[SessionRecord]:
        """Sessions (of one routine, or all), newest first, with their results."""
        where = "1" if include_discarded else "s.status != 'discarded'"
        if routine_id is None:
            return self._select(where, ())
        return self._select(f"{where} AND s.routine_id = ?", (routine_id,))

    def pending(self) -> list[SessionRecord]:
        """Sessions whose results the user chose to fill in later, newest first."""
        return self._select("s.status != 'discarded' AND s.results_pending = 1", ())

    def routine_ids(self) -> list[tuple[str, str]]:
        """(routine id, latest name) of every routine with sessions, sorted by name."""
        rows = self._conn.execute(
            "SELECT routine_id, routine_name, MAX(started_at) FROM sessions"
            " WHERE status != 'discarded' GROUP BY routine_id"
        ).fetchall()
        return sorted(((r[0], r[1]) for r in rows), key=lambda pair: pair[1].casefold())

    def latest_results(self, routine_id: str) -> dict[Side, float]:
        """Latest "after" value in cm per side for the routine (sides never measured are
        absent)."""
        latest: dict[Side, float] = {}
        rows = self._conn.execute(
            "SELECT r.side, r.value_cm FROM results r JOIN sessions s ON s.id = r.session_id"
            " WHERE s.routine_id = ? AND s.status != 'discarded' AND r.measured = 'after'"
            " ORDER BY s.started_at DESC, s.id DESC",
            (routine_id,),
        )
        for side, cm in rows:
            latest.setdefault(_SIDES[side], cm)
            if len(latest) == len(_SIDES):
                break
        return latest

    def personal_bests(self, routine_id: str) -> dict[Side, float]:
        """Highest value in cm per side ever recorded for the routine (before or after)."""
        rows = self._conn.execute(
            "SELECT r.side, MAX(r.value_cm) FROM results r JOIN sessions s"
            " ON s.id = r.session_id WHERE s.routine_id = ? AND s.status != 'discarded'"
            " GROUP BY r.side",
            (routine_id,),
        )
        return {_SIDES[side]: best for side, best in rows}

    def close(self) -> None:
        """Close the database (idempotent)."""
        self._conn.close()
        self._run_lock.release()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CorruptError(Exception):
    """``PRAGMA quick_check`` found damage."""


def _trusted(cls: type[T], **values: object) -> T:
    """Build a frozen record from values the database already validated (its CHECK
    constraints), skipping ``__init__``: listing thousands of rows stays fast."""
    obj = cls.__new__(cls)
    obj.__dict__.update(values)
    return obj


def _memory_id_base(now: datetime) -> int:
    """Where a store kept in memory numbers its sessions: a thousand ids per second of the
    clock. Ids in the file grow by one a session from 1, so they stay far below this run's
    base, and a later run's base lies above every id an earlier run added (unless a thousand
    sessions a second were recorded in between): the file can take these ids unchanged."""
    return int(now.timestamp()) * 1000


def _log_ignored(what: str, session_id: int) -> None:
    log.warning("history: %s for session %s ignored: it is no longer running", what, session_id)
