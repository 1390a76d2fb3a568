"""A history kept in memory (the data folder could not be written at start) goes back to its
file as soon as the folder can be written again, in the same run: the next write copies what
was kept in memory into the file, once, under the same ids, and the store stays on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.read_only import make_read_only, make_writable, permission_honouring_connect
from tests.unit.storage.conftest import WallClock
from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Routine, Side
from timer_app.core.timeline import Timeline
from timer_app.storage.history import RECOPY_AFTER, History
from timer_app.storage.records import SessionRecord

AFTER = [ResultEntry(Side.LEFT, 30.0, 4, "blocks"), ResultEntry(Side.RIGHT, 22.5, 3, "blocks")]


@pytest.fixture
def folder(db_path: Path) -> Iterator[Path]:
    """The data folder, read-only (chmod) when the store opens; writable again at the end."""
    db_path.parent.mkdir(parents=True)
    make_read_only(db_path.parent)
    yield db_path.parent
    make_writable(db_path.parent)


@pytest.fixture
def store(folder: Path, db_path: Path, wall: WallClock) -> Iterator[History]:
    history = History(db_path, now=wall, connect=permission_honouring_connect)
    yield history
    history.close()


def _in_file(db_path: Path) -> list[SessionRecord]:
    with History(db_path) as other:  # what the next start (or another copy) finds
        records = other.sessions(include_discarded=True)
        for record in records:
            _ = record.log  # read while the store is open
        return records


def test_the_next_write_after_the_fix_stores_what_memory_kept(
    store: History, folder: Path, db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    assert not store.on_disk and not store.read_ok
    done = store.start_session(routine, timeline)
    store.update_progress(done, 3, 4.0, 40.0, [{"event": "step", "t": 1.0}])
    store.end_session(done, "completed")
    store.save_results(done, AFTER)
    later = store.start_session(routine, timeline)
    store.end_session(later, "stopped")
    store.save_results(later, [], pending=True)  # "Later": to fill in from the history
    running = store.start_session(routine, timeline)
    store.update_progress(running, 2, 1.0, 20.0, [])
    assert not db_path.exists()  # still read-only: nothing reached the disk

    make_writable(folder)  # the user fixes the permissions
    store.update_progress(running, 3, 0.5, 25.0, [])  # the next write

    assert store.on_disk and store.read_ok and store.notice is None
    by_id = {r.id: r for r in _in_file(db_path)}
    assert sorted(by_id) == sorted([done, later, running])  # the same ids, each once
    assert by_id[done].status == "completed" and by_id[done].results == tuple(AFTER)
    assert by_id[done].log == [{"event": "step", "t": 1.0}]
    assert by_id[later].results_pending
    assert by_id[running].status == "running" and by_id[running].step_index == 3
    # The running session is this run's: another copy does not offer it as interrupted.
    with History(db_path) as other:
        assert other.interrupted() == []
    # It goes on in the file, under the id its recorder holds.
    store.end_session(running, "completed")
    store.save_results(running, [ResultEntry(Side.LEFT, 33.0, 33, "cm", When.BEFORE)])
    store.start_session(routine, timeline)
    records = _in_file(db_path)
    assert len(records) == 4
    assert {r.uuid for r in records} == {r.uuid for r in store.sessions()}


def test_while_the_folder_stays_read_only_writes_stay_in_memory(
    store: History, db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    for _ in range(3):
        session = store.start_session(routine, timeline)
        store.end_session(session, "completed")
    assert not store.on_disk
    assert len(store.sessions()) == 3
    assert not db_path.exists()


def test_a_session_already_in_the_file_is_not_copied_twice(
    store: History, folder: Path, db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    session = store.start_session(routine, timeline)
    store.end_session(session, "completed")
    store.save_results(session, AFTER)
    kept = store.get(session)
    make_writable(folder)
    with History(db_path) as other:  # e.g. another copy imported this run's CSV export
        other.insert_record(kept, keep_id=True)
    store.start_session(routine, timeline)  # the next write reconnects
    assert store.on_disk
    records = _in_file(db_path)
    assert [r.uuid for r in records].count(kept.uuid) == 1
    assert len(records) == 2


def test_a_copy_that_fails_half_way_leaves_memory_and_file_unchanged(
    store: History,
    folder: Path,
    db_path: Path,
    routine: Routine,
    timeline: Timeline,
    wall: WallClock,
) -> None:
    first = store.start_session(routine, timeline)
    second = store.start_session(routine, timeline)
    kept = store.get(first)
    make_writable(folder)
    squatter = SessionRecord(  # another session already holds the second one's id
        id=second,
        routine_id=kept.routine_id,
        routine_name=kept.routine_name,
        started_at=kept.started_at,
        status="completed",
        planned_seconds=kept.planned_seconds,
        snapshot=kept.snapshot,
        uuid="f" * 32,
    )
    with History(db_path) as other:
        other.insert_record(squatter, keep_id=True)

    store.update_progress(first, 1, 0.0, 5.0, [])  # tries, fails, stays in memory

    assert not store.on_disk
    assert [r.id for r in store.sessions()] == [second, first]
    assert store.get(first).step_index == 1  # the write itself still went to memory
    assert [r.uuid for r in _in_file(db_path)] == ["f" * 32]  # nothing half-copied
    with History(db_path) as other:  # the cause goes away...
        other.delete_session(second)
    store.update_progress(first, 2, 0.0, 6.0, [])
    assert not store.on_disk  # ...but the next try waits: each one checks the whole file
    wall.advance(seconds=RECOPY_AFTER + 1)
    store.update_progress(first, 3, 0.0, 7.0, [])
    assert store.on_disk
    assert {r.id for r in _in_file(db_path)} == {first, second}


def test_memory_ids_start_above_any_id_the_file_hands_out(
    store: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    """So the file can take them unchanged (ids in the file count up from 1)."""
    session = store.start_session(routine, timeline)
    assert session == int(wall.now.timestamp()) * 1000
    assert store.start_session(routine, timeline) == session + 1
