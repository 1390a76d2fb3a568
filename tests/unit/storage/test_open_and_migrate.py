"""Opening the store never fails the app: bad files are set aside; schemas migrate safely."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.core.timeline import Timeline
from timer_app.storage import migrations
from timer_app.storage.history import History
from timer_app.storage.migrations import FutureSchemaError, migrate


def _aside(db_path: Path, label: str) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.{label}-*"))


def test_a_new_store_creates_its_folders_with_wal_and_foreign_keys(db_path: Path) -> None:
    opened: list[sqlite3.Connection] = []

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(sqlite3.connect(*args, **kwargs))
        return opened[-1]

    with History(db_path, connect=connect) as history:
        assert history.notice is None
        [conn] = opened  # the store's own connection, as it runs
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert db_path.is_file()


def test_a_file_that_is_not_a_database_is_set_aside_with_a_notice(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite, it is a shopping list\n" * 200)

    with History(db_path) as history:
        assert history.notice is not None
        assert "could not be read" in history.notice
        [kept] = _aside(db_path, "corrupt")
        assert kept.name in history.notice
        assert kept.read_bytes().startswith(b"this is not sqlite")
        # The new store works.
        history.start_session(routine, timeline)
        assert len(history.sessions()) == 1


def test_a_damaged_page_is_caught_and_set_aside(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    with History(db_path) as history, history.batch():
        for _ in range(200):
            sid = history.start_session(routine, timeline)
            history.save_results(sid, [ResultEntry(Side.LEFT, 20, 20, "cm")])
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(3 * page, min(len(data), 12 * page), 7):  # scribble over b-tree pages
        data[offset] = 0xA5
    db_path.write_bytes(bytes(data))

    with History(db_path) as history:
        assert history.notice is not None
        assert len(_aside(db_path, "corrupt")) == 1
        assert history.sessions() == []


def test_a_file_from_a_newer_app_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE sessions_v9 (id INTEGER PRIMARY KEY, future TEXT)")
    conn.execute("INSERT INTO sessions_v9 (future) VALUES ('keep me')")
    conn.execute("PRAGMA user_version = 9")
    conn.commit()
    conn.close()
    original = db_path.read_bytes()

    with History(db_path) as history:
        assert history.notice is not None
        assert "newer version" in history.notice
        assert "schema version 9" in history.notice
        [kept] = _aside(db_path, "newer")
    assert kept.read_bytes() == original
    check = sqlite3.connect(kept)
    assert check.execute("SELECT future FROM sessions_v9").fetchall() == [("keep me",)]
    assert check.execute("PRAGMA user_version").fetchone()[0] == 9
    check.close()


def test_migrate_refuses_a_future_version_without_writing() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA user_version = 5")
    with pytest.raises(FutureSchemaError, match="schema version 5; this app knows up to 1"):
        migrate(conn)
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_an_empty_v0_database_migrates_to_the_current_schema() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn) == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "results", "snapshots"} <= tables
    assert migrate(conn) == migrations.SCHEMA_VERSION  # a second run does nothing


def test_a_later_migration_keeps_existing_rows(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    with History(db_path) as history:
        sid = history.start_session(routine, timeline)
        history.save_results(sid, [ResultEntry(Side.LEFT, 22.5, 3, "blocks")])

    def v2(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE results ADD COLUMN felt TEXT NOT NULL DEFAULT ''")
        conn.execute("UPDATE results SET felt = 'ok'")

    conn = sqlite3.connect(db_path, isolation_level=None)
    assert migrate(conn, {**migrations.MIGRATIONS, 2: v2}) == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT value_cm, felt FROM results").fetchall() == [(22.5, "ok")]
    conn.close()


def test_a_failing_migration_leaves_the_previous_version(db_path: Path) -> None:
    History(db_path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE results ADD COLUMN half_done TEXT")
        raise RuntimeError("crash in the middle")

    conn = sqlite3.connect(db_path, isolation_level=None)
    with pytest.raises(RuntimeError, match="crash in the middle"):
        migrate(conn, {**migrations.MIGRATIONS, 2: broken})
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [r[1] for r in conn.execute("PRAGMA table_info(results)")]
    assert "half_done" not in columns
    conn.close()


def test_a_store_that_cannot_be_written_at_all_still_opens_in_memory(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    with History(blocker / "history.sqlite3") as history:  # its folder cannot be created
        assert history.notice is not None
        assert "kept only until the app quits" in history.notice
        history.start_session(routine, timeline)  # the session still runs
        assert len(history.sessions()) == 1


def test_a_store_locked_by_another_copy_is_not_set_aside(db_path: Path) -> None:
    History(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")  # leave WAL so an exclusive lock blocks readers
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with History(db_path, busy_timeout=0.05) as history:
            assert history.notice is not None
            assert "in use by another copy" in history.notice
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _aside(db_path, "corrupt") == []


def test_an_io_error_at_open_leaves_a_healthy_file_in_place(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    with History(db_path) as history:
        history.start_session(routine, timeline)

    def failing_connect(path: Path | str, **kwargs: Any) -> sqlite3.Connection:
        if path == db_path:
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorname = "SQLITE_IOERR"
            raise error
        return sqlite3.connect(path, **kwargs)

    with History(db_path, connect=failing_connect) as history:
        assert history.notice is not None
        assert "disk I/O error" in history.notice
        assert "kept only until the app quits" in history.notice

    assert _aside(db_path, "corrupt") == []
    with History(db_path) as history:  # the cause is gone: everything is back
        assert history.notice is None
        assert len(history.sessions()) == 1
