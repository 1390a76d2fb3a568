"""The session snapshot: what the screen shows, rounded once, with the lead-in's follow-on."""

from __future__ import annotations

import dataclasses

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.core.helpers import simple_routine
from timer_app.core.engine import EngineState, SessionEngine
from timer_app.core.routine import PhaseKind
from timer_app.core.snapshot import shown_seconds, summarize, take_snapshot
from timer_app.core.timeline import build_timeline, lead_in_timeline


def started(seconds: tuple[int, ...] = (10, 20)) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(build_timeline(simple_routine(seconds)), clock)
    engine.start()
    return engine, clock


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(10.0, 10), (9.5, 10), (9.0000000001, 9), (0.2, 1), (0.0, 0), (-0.4, 0)],
)
def test_time_is_rounded_up_once(seconds: float, shown: int) -> None:
    assert shown_seconds(seconds) == shown


def test_a_snapshot_is_what_the_screen_shows_and_cannot_change() -> None:
    engine, clock = started()
    clock.advance(2.5)
    now = take_snapshot(engine)
    assert now.time_left == 8  # 7.5 s shown as 0:08 until the last moment
    assert now.total_left == 28
    assert now.step_progress == pytest.approx(0.25)
    assert now.step_index == 0 and now.step.kind is PhaseKind.PASSIVE
    assert now.next_step is not None and now.next_step.kind is PhaseKind.PAIL
    assert now.effort is None  # no bar outside a PAIL
    assert now.is_running and not now.is_paused and not now.is_over
    clock.advance(5)
    assert now.time_left == 8  # a value, not a view of the engine
    with pytest.raises(dataclasses.FrozenInstanceError):
        now.time_left = 1  # type: ignore[misc]


def test_effort_climbs_during_a_pail_ramp_and_the_last_step_has_no_next() -> None:
    engine, clock = started()
    engine.next_step()
    clock.advance(5)  # half of the 10 s ramp from 10 % to 100 %
    now = take_snapshot(engine)
    assert now.effort == pytest.approx(55)
    assert now.next_step is None
    engine.pause()
    assert take_snapshot(engine).state is EngineState.PAUSED


def test_the_lead_in_counts_the_routine_after_it() -> None:
    routine = build_timeline(simple_routine((10, 20)))
    clock = FakeClock()
    lead = SessionEngine(lead_in_timeline(routine, 5), clock)
    lead.start()
    now = take_snapshot(lead, then=routine)
    assert now.total_left == 35
    assert now.next_step == routine.steps[0]


def test_the_summary_tells_how_the_session_ended() -> None:
    engine, clock = started()
    clock.advance(4)
    engine.next_step()
    engine.stop()
    summary = summarize(engine)
    assert not summary.finished
    assert summary.active_seconds == pytest.approx(4)
    assert summary.planned_seconds == 30
    assert summary.skipped_steps == 1
    assert summary.stopped_during is not None and summary.stopped_during.kind is PhaseKind.PAIL
