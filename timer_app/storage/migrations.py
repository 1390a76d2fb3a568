"""Schema migrations for the history database, versioned with ``PRAGMA user_version``.

``MIGRATIONS[n]`` turns a version ``n - 1`` database into version ``n``. Each step runs in
its own transaction together with the ``user_version`` bump (both are transactional in
SQLite), so a crash mid-migration leaves the file at the previous version, never half-way.
A database whose version is higher than the newest migration was written by a newer app:
it is refused (:class:`FutureSchemaError`) rather than touched.

To change the schema: append a function ``_v2(conn)`` with ``ALTER TABLE``/``CREATE``
statements (and data fixes), register it as ``MIGRATIONS[2]``, and add a test that builds
a version 1 file by hand and migrates it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from functools import cache

Migration = Callable[[sqlite3.Connection], None]


class FutureSchemaError(Exception):
    """The database was written by a newer version of the app (its schema is unknown)."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"the history file has schema version {found}; this app knows up to {supported}"
        )
        self.found = found
        self.supported = supported


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction. (``executescript`` would
    COMMIT first, breaking the all-or-nothing migration.)"""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]!r}")


def _v1(conn: sqlite3.Connection) -> None:
    """The first schema: routine snapshots, sessions, results."""
    run_script(
        conn,
        """
        -- A routine as it was when a session started (routine_to_dict as JSON), stored once
        -- per distinct content: 20 years of daily sessions share a handful of snapshots.
        CREATE TABLE snapshots (
            id      INTEGER PRIMARY KEY,
            sha256  TEXT NOT NULL UNIQUE,
            json    TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id               INTEGER PRIMARY KEY,
            uuid             TEXT NOT NULL UNIQUE,
            routine_id       TEXT NOT NULL,
            routine_name     TEXT NOT NULL,
            snapshot_id      INTEGER NOT NULL REFERENCES snapshots(id),
            started_at       TEXT NOT NULL,   -- ISO 8601, UTC, e.g. 2026-11-26T07:30:00+00:00
            ended_at         TEXT,
            updated_at       TEXT NOT NULL,   -- last progress save: when an interrupted one died
            status           TEXT NOT NULL CHECK (status IN
                               ('running', 'completed', 'stopped', 'interrupted', 'discarded')),
            run_id           TEXT,            -- which app run owns a 'running' session
            planned_seconds  REAL NOT NULL,
            done_seconds     REAL NOT NULL DEFAULT 0,
            step_index       INTEGER NOT NULL DEFAULT 0,
            step_elapsed     REAL NOT NULL DEFAULT 0,
            extra_round_side TEXT CHECK (extra_round_side IN ('left', 'right')),
            results_pending  INTEGER NOT NULL DEFAULT 0
        );
        -- The log (SessionLog.to_list() as JSON, ~2 kB) lives apart: inline, it would make
        -- listing 20 years of sessions read 17 MB instead of 1.
        CREATE TABLE session_logs (
            session_id  INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            json        TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX sessions_by_start ON sessions (started_at);
        CREATE INDEX sessions_by_routine ON sessions (routine_id, started_at);
        CREATE INDEX sessions_by_status ON sessions (status);
        CREATE TABLE results (
            id             INTEGER PRIMARY KEY,
            session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            side           TEXT NOT NULL CHECK (side IN ('left', 'right')),
            measured       TEXT NOT NULL CHECK (measured IN ('before', 'after')),
            value_cm       REAL NOT NULL CHECK (value_cm >= 0),
            entered_value  REAL NOT NULL CHECK (entered_value >= 0),
            unit           TEXT NOT NULL CHECK (unit IN ('blocks', 'cm', 'in')),
            pain           INTEGER CHECK (pain BETWEEN 0 AND 10),
            note           TEXT NOT NULL DEFAULT '',
            UNIQUE (session_id, side, measured)
        );
        """,
    )


#: Migration to version ``n`` from ``n - 1``. Never edit a released step; append a new one.
MIGRATIONS: dict[int, Migration] = {1: _v1}
SCHEMA_VERSION = max(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Mapping[int, Migration] = MIGRATIONS) -> int:
    """Bring ``conn`` (opened with ``isolation_level=None``) to the newest version; return
    the version it had. Raises :class:`FutureSchemaError` for a newer file, untouched."""
    target = max(migrations)
    found = user_version(conn)
    if found > target:
        raise FutureSchemaError(found, target)
    for version in range(found + 1, target + 1):
        # IMMEDIATE takes the write lock first, so two app instances cannot both migrate.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) >= version:  # another process got there first
                conn.execute("ROLLBACK")
                continue
            migrations[version](conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: {row[1] for row in conn.execute(f"PRAGMA table_info({table!r})")} for table in tables
    }


@cache
def _expected_columns() -> dict[str, set[str]]:
    """Tables and columns of a freshly migrated store (built once, in memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        return _columns(conn)
    finally:
        conn.close()


def schema_problem(conn: sqlite3.Connection) -> str:
    """What a migrated store lacks (a dropped table or column: damage by hand or by
    another program), or "" if it has every table and column the app uses."""
    found = _columns(conn)
    for table, columns in _expected_columns().items():
        if table not in found:
            return f"its table {table!r} is missing"
        lacking = sorted(columns - found[table])
        if lacking:
            return f"its table {table!r} lacks column(s) {', '.join(lacking)}"
    return ""
