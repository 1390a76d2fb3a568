"""The session engine on a fake clock: every command, lateness, and long-run drift."""

from __future__ import annotations

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.core.helpers import simple_routine
from timer_app.core.cues import CueKind
from timer_app.core.engine import (
    CueDue,
    EngineState,
    Finished,
    Paused,
    Resumed,
    SessionEngine,
    StepStarted,
    Stopped,
)
from timer_app.core.routine import SidesMode
from timer_app.core.timeline import build_timeline


def make(seconds: tuple[int, ...] = (10, 20, 30), **kw: object) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(build_timeline(simple_routine(seconds, **kw)), clock)  # type: ignore[arg-type]
    return engine, clock


def starts(events: list[object]) -> list[tuple[int, float]]:
    return [(e.index, e.at) for e in events if isinstance(e, StepStarted)]


def test_start_announces_first_step() -> None:
    engine, clock = make()
    events = engine.start()
    assert starts(events) == [(0, clock.now)]
    cues = [e for e in events if isinstance(e, CueDue)]
    assert [c.cue.kind for c in cues] == [CueKind.ANNOUNCE]
    assert engine.remaining() == 10
    assert engine.total_remaining() == 60


def test_remaining_follows_the_clock_not_ticks() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(3.25)
    assert engine.remaining() == pytest.approx(6.75)
    assert engine.elapsed() == pytest.approx(3.25)
    assert engine.total_remaining() == pytest.approx(56.75)


def test_steps_advance_at_their_deadlines() -> None:
    engine, clock = make()
    t0 = clock.now
    engine.start()
    clock.advance(10)
    assert starts(engine.poll()) == [(1, t0 + 10)]
    clock.advance(20)
    assert starts(engine.poll()) == [(2, t0 + 30)]
    clock.advance(30)
    events = engine.poll()
    assert any(isinstance(e, Finished) for e in events)
    assert engine.state is EngineState.FINISHED
    assert engine.remaining() == 0


def test_late_wakeup_by_2s_does_not_shift_the_schedule() -> None:
    engine, clock = make()
    t0 = clock.now
    engine.start()
    clock.advance(12)  # the timer meant to fire at 10 s fires 2 s late
    events = engine.poll()
    assert starts(events) == [(1, t0 + 10)]
    assert engine.remaining() == pytest.approx(18)  # step 1 still ends at t0 + 30
    clock.advance(18)
    assert starts(engine.poll()) == [(2, t0 + 30)]


def test_very_late_wakeup_emits_every_missed_boundary_in_order() -> None:
    engine, clock = make()
    t0 = clock.now
    engine.start()
    clock.advance(45)
    events = engine.poll()
    assert starts(events) == [(1, t0 + 10), (2, t0 + 30)]
    countdown = [e for e in events if isinstance(e, CueDue) and e.cue.kind is CueKind.COUNTDOWN]
    assert countdown and all(e.late_by > 0 for e in countdown)


def test_pause_freezes_time_and_resume_continues() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(4)
    assert [type(e) for e in engine.pause()] == [Paused]
    clock.advance(100)
    assert engine.poll() == []
    assert engine.remaining() == pytest.approx(6)
    assert engine.next_event_time() is None
    events = engine.resume()
    assert isinstance(events[0], Resumed) and events[0].paused_for == pytest.approx(100)
    assert engine.remaining() == pytest.approx(6)
    clock.advance(6)
    assert starts(engine.poll()) == [(1, clock.now)]
    assert engine.log.pauses == 1
    assert engine.log.paused_seconds == pytest.approx(100)


def test_toggle_pause() -> None:
    engine, _ = make()
    engine.start()
    engine.toggle_pause()
    assert engine.is_paused
    engine.toggle_pause()
    assert engine.is_running


def test_next_skips_and_logs() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(2)
    events = engine.next_step()
    assert starts(events) == [(1, clock.now)]
    assert engine.remaining() == 20
    assert engine.log.skipped_steps == [0]
    assert engine.active_seconds() == pytest.approx(2)


def test_next_on_last_step_finishes() -> None:
    engine, _ = make((5,))
    engine.start()
    assert any(isinstance(e, Finished) for e in engine.next_step())


def test_next_while_paused_stays_paused_at_new_step_start() -> None:
    engine, clock = make()
    engine.start()
    engine.pause()
    engine.next_step()
    assert engine.is_paused and engine.index == 1
    clock.advance(50)
    assert engine.remaining() == 20


def test_previous_restarts_then_goes_back() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(10)
    engine.poll()
    clock.advance(5)  # 5 s into step 1: previous restarts it
    events = engine.previous_step()
    assert starts(events) == [(1, clock.now)]
    assert engine.remaining() == 20
    clock.advance(1)  # within 3 s: previous goes to step 0
    assert starts(engine.previous_step()) == [(0, clock.now)]
    assert engine.remaining() == 10


def test_previous_on_first_step_restarts_it() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(1)
    assert starts(engine.previous_step()) == [(0, clock.now)]


def test_add_and_remove_time() -> None:
    engine, clock = make()
    t0 = clock.now
    engine.start()
    clock.advance(4)
    engine.adjust(+10)
    assert engine.remaining() == pytest.approx(16)
    assert engine.total_remaining() == pytest.approx(66)
    engine.adjust(-10)
    assert engine.remaining() == pytest.approx(6)
    assert clock.now - t0 == 4
    assert [e.event for e in engine.log.entries].count("adjusted") == 2


def test_removing_time_stops_at_one_second_left_and_never_ends_the_step() -> None:
    engine, clock = make()  # steps of 10, 20, 30 s
    engine.start()
    clock.advance(3)  # 7 s left
    events = engine.adjust(-10)
    assert not [e for e in events if isinstance(e, StepStarted)]
    assert engine.index == 0 and engine.remaining() == pytest.approx(1)
    assert engine.total_remaining() == pytest.approx(1 + 20 + 30)


def test_down_twice_at_eleven_seconds_leaves_one_second_and_the_next_step_whole() -> None:
    # The report: Down twice at 0:11 ended the step and took 10 s off the next one.
    engine, clock = make((30, 20, 30))
    engine.start()
    clock.advance(19)  # 0:11 left
    for _ in range(3):  # twice, and once more for good measure
        assert not [e for e in engine.adjust(-10) if isinstance(e, StepStarted)]
    assert engine.index == 0
    assert engine.remaining() == pytest.approx(1)
    clock.advance(1)
    events = engine.poll()
    assert starts(events) == [(1, clock.now)]
    assert engine.remaining() == 20  # the next step untouched
    assert engine.log.count("adjusted") == 1  # the later presses changed nothing


def test_removing_time_with_under_a_second_left_changes_nothing() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(9.5)
    assert engine.adjust(-10) == []
    assert engine.remaining() == pytest.approx(0.5)
    assert engine.step_length == 10


def test_removing_time_while_paused_also_keeps_a_second() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(5)
    engine.pause()
    engine.adjust(-10)
    assert engine.is_paused and engine.index == 0
    assert engine.remaining() == pytest.approx(1)


def test_countdown_follows_added_time() -> None:
    engine, clock = make((10,))
    engine.start()
    clock.advance(7.5)
    fired = [e.cue.text for e in engine.poll() if isinstance(e, CueDue)]
    assert fired == ["Three."]
    engine.adjust(+10)
    clock.advance(9.6)  # now 17.1 s in; step ends at 20: "Three." due again at 17
    fired = [e.cue.text for e in engine.poll() if isinstance(e, CueDue)]
    assert fired == ["Three."]


def test_stop() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(3)
    assert [type(e) for e in engine.stop()] == [Stopped]
    assert engine.is_over and engine.next_event_time() is None
    assert engine.log.entries[-1].event == "stopped"
    assert engine.active_seconds() == pytest.approx(3)
    assert engine.stop() == []


def test_cut_short_for_pain_is_logged() -> None:
    engine, clock = make()
    engine.start()
    clock.advance(3)
    engine.cut_short("pain")
    assert engine.log.cut_short_steps == [0]
    assert engine.log.entries[-2].detail["reason"] == "pain"


def test_next_event_time_points_at_the_next_cue_or_boundary() -> None:
    engine, clock = make((10,))
    t0 = clock.now
    engine.start()
    assert engine.next_event_time() == t0 + 7  # the "Three." of the 3-2-1
    clock.advance(7)
    engine.poll()
    assert engine.next_event_time() == t0 + 8


def test_cue_lead_emits_cues_early_but_steps_on_time() -> None:
    clock = FakeClock()
    engine = SessionEngine(build_timeline(simple_routine((10, 10))), clock, cue_lead=0.05)
    t0 = clock.now
    engine.start()
    assert engine.next_event_time() == pytest.approx(t0 + 7 - 0.05)
    clock.advance(9.96)
    events = engine.poll()
    announce = [e for e in events if isinstance(e, CueDue) and e.index == 1]
    assert len(announce) == 1 and announce[0].late_by == pytest.approx(-0.04)
    assert starts(events) == []  # the display still changes at the boundary
    clock.advance(0.04)
    events = engine.poll()
    assert starts(events) == [(1, pytest.approx(t0 + 10))]
    assert not [e for e in events if isinstance(e, CueDue) and e.cue.kind is CueKind.ANNOUNCE]


def test_suspend_pause_backdated() -> None:
    engine, clock = make()
    t0 = clock.now
    engine.start()
    clock.advance(600)  # the machine slept; we last saw real time at t0 + 5
    events = engine.pause(at=t0 + 5, reason="suspend")
    assert isinstance(events[-1], Paused) and events[-1].reason == "suspend"
    assert engine.index == 0 and engine.remaining() == pytest.approx(5)


def test_resume_saved_session_part_way() -> None:
    engine, clock = make()
    events = engine.start(at_step=1, step_elapsed=12)
    assert starts(events) == [(1, clock.now - 12)]
    kinds = [e.cue.kind for e in events if isinstance(e, CueDue)]
    assert kinds == [CueKind.ANNOUNCE]
    assert engine.remaining() == pytest.approx(8)


def test_eight_hours_end_exactly_on_time() -> None:
    """A routine repeated for 8 simulated hours, woken at irregular moments, ends exactly at
    start + planned total: zero drift."""
    routine = simple_routine((47, 13, 29, 11), rounds=20, sides=SidesMode.BOTH, switch=17)
    timeline = build_timeline(routine)
    repeats = int(8 * 3600 // timeline.total_seconds) + 1
    clock = FakeClock()
    end_times = []
    for _ in range(repeats):
        engine = SessionEngine(timeline, clock)
        t0 = clock.now
        engine.start()
        jitter = [0.013, 0.29, 0.0007, 1.7]
        n = 0
        while not engine.is_over:
            wake = engine.next_event_time()
            assert wake is not None
            clock.now = wake + jitter[n % 4]  # every wake-up is late by a different amount
            n += 1
            for event in engine.poll():
                if isinstance(event, Finished):
                    end_times.append(event.at - t0)
    assert len(end_times) == repeats
    assert all(t == pytest.approx(timeline.total_seconds, abs=1e-6) for t in end_times)
    assert repeats * timeline.total_seconds >= 8 * 3600


def test_a_held_step_is_entered_paused_and_announced_on_resume() -> None:
    engine, clock = make((10, 20, 30))
    engine.hold_at(1)
    engine.start()
    clock.advance(10)
    events = engine.poll()
    assert starts(events) == [(1, clock.now)]
    assert [type(e) for e in events][-1] is Paused
    assert not [e for e in events if isinstance(e, CueDue) and e.index == 1]  # not said yet
    assert engine.is_paused and engine.remaining() == 20
    clock.advance(300)  # the question takes as long as it takes
    assert engine.remaining() == 20
    resumed = engine.resume()
    assert next(e.cue.kind for e in resumed if isinstance(e, CueDue)) is CueKind.ANNOUNCE
    assert engine.log.pauses == 0  # not a pause of the user's


def test_skipping_into_a_held_step_also_holds_it() -> None:
    engine, _ = make((10, 20, 30))
    engine.hold_at(1)
    engine.start()
    engine.next_step()
    assert engine.index == 1 and engine.is_paused


def test_a_held_step_is_not_announced_early() -> None:
    clock = FakeClock()
    engine = SessionEngine(build_timeline(simple_routine((10, 20))), clock, cue_lead=0.5)
    engine.hold_at(1)
    engine.start()
    clock.advance(9.7)  # inside the cue lead of the next step's announcement
    assert not [e for e in engine.poll() if isinstance(e, CueDue) and e.index == 1]
