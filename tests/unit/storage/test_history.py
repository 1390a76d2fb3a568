"""The history store as the app uses it: a session's life, results, undo, reading back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.clock import FakeClock
from timer_app.core.engine import SessionEngine
from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.core.routine_file import routine_to_dict, save_routine
from timer_app.core.timeline import Timeline, build_timeline
from timer_app.storage.history import History
from timer_app.storage.records import HistoryError, SessionRecord, SessionStatus

from .conftest import WallClock
from .dead_run import dead_run

LEFT_3_BLOCKS = ResultEntry(Side.LEFT, 22.5, 3, "blocks")
RIGHT_30_CM = ResultEntry(Side.RIGHT, 30.0, 30, "cm", pain=2, note="a bit tight")


def test_a_started_session_is_on_disk_before_start_returns(
    history: History, routine: Routine, timeline: Timeline, db_path: Path
) -> None:
    session_id = history.start_session(routine, timeline)

    # A second connection (as after a crash) sees it: it was committed.
    other = sqlite3.connect(db_path)
    status, planned = other.execute(
        "SELECT status, planned_seconds FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    other.close()
    assert status == "running"
    assert planned == timeline.total_seconds


def test_progress_from_a_real_engine_reads_back(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    clock = FakeClock()
    engine = SessionEngine(timeline, clock)
    session_id = history.start_session(routine, timeline)
    engine.start()
    clock.advance(45)
    engine.poll()
    engine.pause()
    history.update_progress(
        session_id, engine.index, engine.elapsed(), engine.active_seconds(), engine.log.to_list()
    )

    record = history.get(session_id)
    assert record.step_index == engine.index
    assert record.step_elapsed == pytest.approx(engine.elapsed())
    assert record.done_seconds == pytest.approx(45)
    assert record.log == engine.log.to_list()
    assert record.status == SessionStatus.RUNNING


def test_end_and_results_show_in_the_list(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    session_id = history.start_session(routine, timeline)
    wall.advance(minutes=20)
    history.end_session(session_id, "completed", 1200.0, [])
    history.save_results(session_id, [LEFT_3_BLOCKS, RIGHT_30_CM])

    [record] = history.sessions()
    assert record.status == "completed"
    assert record.started_at == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    assert record.ended_at == datetime(2026, 3, 1, 7, 50, tzinfo=UTC)
    assert record.done_seconds == 1200
    assert record.result(Side.LEFT) == LEFT_3_BLOCKS
    assert record.result(Side.RIGHT) == RIGHT_30_CM
    assert record.result(Side.RIGHT, "before") is None
    assert not record.results_pending


def test_the_snapshot_rebuilds_the_routine_even_after_the_file_changed(
    history: History, routine: Routine, timeline: Timeline, tmp_path: Path
) -> None:
    session_id = history.start_session(routine, timeline)
    save_routine(routine.with_changes(name="Edited later"), tmp_path / "r.toml")

    rebuilt = history.get(session_id).routine()
    assert rebuilt == routine
    assert history.get(session_id).snapshot == routine_to_dict(routine)


def test_save_results_replaces_all_results_at_once(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    history.save_results(session_id, [LEFT_3_BLOCKS, RIGHT_30_CM])
    history.save_results(session_id, [ResultEntry(Side.LEFT, 30, 4, "blocks")])

    assert history.get(session_id).results == (ResultEntry(Side.LEFT, 30, 4, "blocks"),)


def test_two_results_for_the_same_side_are_refused_and_nothing_changes(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    history.save_results(session_id, [LEFT_3_BLOCKS])

    with pytest.raises(ValueError, match="two results for left after"):
        history.save_results(session_id, [RIGHT_30_CM, LEFT_3_BLOCKS, LEFT_3_BLOCKS])
    assert history.get(session_id).results == (LEFT_3_BLOCKS,)


def test_later_marks_results_pending_until_filled_in(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    history.end_session(session_id, "completed", 1200.0, [])
    history.save_results(session_id, [], pending=True)
    assert [r.id for r in history.pending()] == [session_id]

    history.save_results(session_id, [LEFT_3_BLOCKS, RIGHT_30_CM])
    assert history.pending() == []


def test_interrupted_lists_sessions_a_dead_run_left_running_but_not_our_own(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    orphan = dead_run(
        db_path,
        """
        history = History(db_path)
        sid = history.start_session(routine, timeline)
        history.update_progress(sid, 7, 12.5, 300.0, [{"t": 0, "event": "started"}])
        """,
    )

    with History(db_path) as next_run:
        live = next_run.start_session(routine, timeline)
        found = next_run.interrupted()
        assert [r.id for r in found] == [orphan]
        assert (found[0].step_index, found[0].step_elapsed, found[0].done_seconds) == (7, 12.5, 300)
        assert live not in [r.id for r in found]


def test_a_second_copy_of_the_app_is_not_offered_the_first_ones_live_session(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    with History(db_path) as first:
        live = first.start_session(routine, timeline)
        with History(db_path) as second:
            assert second.interrupted() == []
        first.end_session(live, "completed")
    with History(db_path) as later:
        assert later.interrupted() == []
        assert later.get(live).status == "completed"


def test_resume_continues_the_same_row(db_path: Path, routine: Routine, timeline: Timeline) -> None:
    orphan = dead_run(
        db_path,
        """
        history = History(db_path)
        sid = history.start_session(routine, timeline, extra_round_side=Side.RIGHT)
        """,
    )

    with History(db_path) as next_run:
        record = next_run.resume_session(orphan)
        assert record.extra_round_side is Side.RIGHT
        assert build_timeline(record.routine(), record.extra_round_side) == build_timeline(
            record.routine(), Side.RIGHT
        )
        assert next_run.interrupted() == []  # now it is this run's live session
        next_run.end_session(orphan, "completed", 1300.0, [])
        assert next_run.get(orphan).status == "completed"
        with pytest.raises(ValueError, match="completed, not resumable"):
            next_run.resume_session(orphan)


def test_recording_results_of_an_interrupted_session_keeps_when_it_died(
    db_path: Path, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    orphan = dead_run(
        db_path,
        """
        wall = WallClock()  # the same start as this test's wall clock
        history = History(db_path, now=wall)
        sid = history.start_session(routine, timeline)
        wall.advance(minutes=5)
        history.update_progress(sid, 4, 3.0, 300.0, [])
        """,
    )
    wall.advance(minutes=5, days=1)

    with History(db_path, now=wall) as next_run:
        next_run.end_session(orphan, "interrupted")
        next_run.save_results(orphan, [LEFT_3_BLOCKS])
        record = next_run.get(orphan)
    assert record.status == "interrupted"
    assert record.ended_at == datetime(2026, 3, 1, 7, 35, tzinfo=UTC)
    assert record.done_seconds == 300


def test_discard_hides_a_session_but_keeps_it_in_the_file(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    history.discard(session_id)

    assert history.sessions() == []
    assert history.interrupted() == []
    assert [r.status for r in history.sessions(include_discarded=True)] == ["discarded"]


def test_delete_can_be_undone_with_the_same_id_and_results(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    first = history.start_session(routine, timeline)
    second = history.start_session(routine, timeline)
    history.update_progress(second, 3, 1.0, 100.0, [{"t": 1.0, "event": "paused"}])
    history.save_results(second, [LEFT_3_BLOCKS, RIGHT_30_CM], pending=True)
    before = history.get(second)

    removed = history.delete_session(second)
    assert [r.id for r in history.sessions()] == [first]

    assert history.restore_session(removed) == second
    after = history.get(second)
    assert after == before
    assert after.log == before.log
    assert after.snapshot == before.snapshot


def test_newest_first_and_filter_by_routine(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    other = routine.with_changes(id="hip-er-lying", name="Hip external rotation")
    a = history.start_session(routine, timeline)
    wall.advance(days=1)
    b = history.start_session(other, build_timeline(other))
    wall.advance(days=1)
    c = history.start_session(routine, timeline)

    assert [r.id for r in history.sessions()] == [c, b, a]
    assert [r.id for r in history.sessions("hip-ir-lying")] == [c, a]
    assert history.routine_ids() == [
        ("hip-er-lying", "Hip external rotation"),
        ("hip-ir-lying", "Hip internal rotation, lying"),
    ]


def test_latest_results_and_personal_bests_per_side(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    def session(left: float, right: float | None, before_left: float | None = None) -> int:
        sid = history.start_session(routine, timeline)
        entries = [ResultEntry(Side.LEFT, left, left, "cm")]
        if right is not None:
            entries.append(ResultEntry(Side.RIGHT, right, right, "cm"))
        if before_left is not None:
            entries.append(ResultEntry(Side.LEFT, before_left, before_left, "cm", "before"))
        history.save_results(sid, entries)
        wall.advance(days=1)
        return sid

    session(20, 35)
    session(26, 31, before_left=18)
    discarded = session(40, 40)
    history.discard(discarded)
    session(24, None)

    assert history.latest_results("hip-ir-lying") == {Side.LEFT: 24, Side.RIGHT: 31}
    assert history.personal_bests("hip-ir-lying") == {Side.LEFT: 26, Side.RIGHT: 35}
    assert history.latest_results("nothing-yet") == {}
    assert history.personal_bests("nothing-yet") == {}


def test_a_record_built_in_code_equals_the_one_read_back(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    record = SessionRecord(
        id=41,
        routine_id="x",
        routine_name="X",
        started_at=wall.now,
        status="stopped",
        planned_seconds=60,
        snapshot=routine_to_dict(routine),
        done_seconds=30,
        results=(LEFT_3_BLOCKS,),
        uuid="abc",
    )
    history.restore_session(record)
    assert history.get(41) == record
    assert hash(history.get(41)) == hash(record)


def test_restoring_over_an_existing_id_is_refused(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    with pytest.raises(ValueError, match="cannot be inserted"):
        history.restore_session(history.get(session_id))
    assert len(history.sessions()) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"side": Side.NONE}, "side: must be 'left' or 'right'"),
        ({"side": "middle"}, "side: must be 'left' or 'right'"),
        ({"value_cm": -1.0}, "value_cm: must be 0 or more"),
        ({"value_cm": float("nan")}, "value_cm: must be 0 or more"),
        ({"value_cm": 250.0}, "value_cm: must be at most 200"),
        ({"entered_value": "3"}, "entered_value: must be a number"),
        ({"unit": "ft"}, "unit: must be one of blocks, cm, in"),
        ({"when": "during"}, "when: must be 'before' or 'after'"),
        ({"pain": 11}, "pain: must be a whole number 0-10"),
        ({"pain": True}, "pain: must be a whole number 0-10"),
    ],
)
def test_a_bad_result_is_refused_naming_the_field(kwargs: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"side": Side.LEFT, "value_cm": 22.5, "entered_value": 3.0}
    values.update(kwargs)
    with pytest.raises(ValueError, match=message):
        ResultEntry(**values)  # type: ignore[arg-type]


def test_a_side_given_as_text_becomes_a_side() -> None:
    assert ResultEntry("left", 10, 10, "cm").side is Side.LEFT  # type: ignore[arg-type]


def test_unknown_session_ids_raise_key_error(history: History) -> None:
    for call in (
        lambda: history.get(99),
        lambda: history.update_progress(99, 0, 0, 0, []),
        lambda: history.end_session(99, "stopped"),
        lambda: history.save_results(99, []),
        lambda: history.discard(99),
        lambda: history.delete_session(99),
    ):
        with pytest.raises(KeyError, match="no session 99"):
            call()


def test_late_progress_after_the_end_does_not_reopen_the_session(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    history.end_session(session_id, "stopped", 10.0, [])
    history.update_progress(session_id, 9, 1.0, 999.0, [])

    record = history.get(session_id)
    assert (record.status, record.done_seconds) == ("stopped", 10)


def test_end_session_refuses_a_status_that_is_not_an_end(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    session_id = history.start_session(routine, timeline)
    with pytest.raises(ValueError, match="status: must be one of"):
        history.end_session(session_id, "running")


def test_a_failed_write_raises_history_error_naming_the_file(
    db_path: Path, routine: Routine, timeline: Timeline
) -> None:
    with History(db_path, busy_timeout=0) as history:
        session_id = history.start_session(routine, timeline)
        # Another process holds the write lock beyond the busy timeout.
        blocker = sqlite3.connect(db_path, isolation_level=None, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(HistoryError, match=r"history\.sqlite3: cannot write"):
                history.save_results(session_id, [LEFT_3_BLOCKS])
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert history.get(session_id).results == ()


def test_batch_is_all_or_nothing(history: History, routine: Routine, timeline: Timeline) -> None:
    with pytest.raises(RuntimeError, match="boom"), history.batch():
        history.start_session(routine, timeline)
        history.start_session(routine, timeline)
        raise RuntimeError("boom")
    assert history.sessions() == []


def test_naive_times_are_refused(history: History, routine: Routine, timeline: Timeline) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        history.start_session(routine, timeline, started_at=datetime(2026, 1, 1, 8, 0))


def test_each_listed_session_reads_its_own_log_and_snapshot(
    history: History, routine: Routine, timeline: Timeline
) -> None:
    other = routine.with_changes(id="other", name="Other")
    ids = []
    for n, r in enumerate((routine, other, routine)):
        sid = history.start_session(r, build_timeline(r))
        history.update_progress(sid, n, 0.0, 1.0, [{"t": float(n), "event": "step", "step": n}])
        ids.append(sid)

    listed = {record.id: record for record in history.sessions()}
    for n, sid in enumerate(ids):
        assert listed[sid].log == [{"t": float(n), "event": "step", "step": n}]
    assert listed[ids[1]].routine() == other
    assert listed[ids[0]].routine() == listed[ids[2]].routine() == routine
