"""Property-based tests over generated routines (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.clock import FakeClock
from timer_app.core.engine import CueDue, SessionEngine, StepStarted
from timer_app.core.routine import (
    MAIN_PHASE_KINDS,
    MainBlock,
    Measurement,
    MeasureWhen,
    Phase,
    PhaseKind,
    Ramp,
    Routine,
    Side,
    SidesMode,
    Warmup,
)
from timer_app.core.routine_file import parse_routine_text, routine_to_toml
from timer_app.core.timeline import build_timeline


@st.composite
def phases(draw: st.DrawFn) -> Phase:
    kind = draw(st.sampled_from(MAIN_PHASE_KINDS))
    seconds = draw(st.integers(1, 400))
    ramp = None
    if kind is PhaseKind.PAIL:
        start = draw(st.integers(0, 90))
        ramp = Ramp(start, draw(st.integers(start + 1, 100)), draw(st.integers(1, seconds)))
    return Phase(kind, seconds, instruction=draw(st.sampled_from(["", "Breathe."])), ramp=ramp)


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    warmup = draw(
        st.none()
        | st.builds(
            Warmup,
            reps=st.integers(1, 6),
            seconds_per_rep=st.integers(1, 20),
            per_side=st.booleans(),
        )
    )
    measurement = draw(
        st.none()
        | st.builds(Measurement, when=st.sampled_from(MeasureWhen), seconds=st.integers(0, 60))
    )
    main = MainBlock(
        phases=tuple(draw(st.lists(phases(), min_size=1, max_size=5))),
        rounds=draw(st.integers(1, 4)),
        sides=draw(st.sampled_from(SidesMode)),
        first_side=draw(st.sampled_from([Side.LEFT, Side.RIGHT])),
        rest_between_rounds=draw(st.integers(0, 30)),
        switch_sides_seconds=draw(st.integers(0, 30)),
    )
    return Routine(id="gen", name="Generated", main=main, warmup=warmup, measurement=measurement)


@given(routines(), st.sampled_from([None, Side.LEFT, Side.RIGHT]))
def test_total_is_sum_of_steps_and_cues_lie_inside_their_step(
    routine: Routine, extra: Side | None
) -> None:
    timeline = build_timeline(routine, extra_round_side=extra)
    assert timeline.total_seconds == sum(s.seconds for s in timeline.steps)
    assert [s.index for s in timeline.steps] == list(range(len(timeline.steps)))
    for step in timeline.steps:
        assert step.seconds > 0
        assert step.cues and step.cues[0].offset_in(step.seconds) == 0
        for cue in step.cues:
            assert 0 <= cue.offset_in(step.seconds) <= step.seconds


@settings(max_examples=60)
@given(routines(), st.lists(st.floats(0, 2.0), min_size=1, max_size=8))
def test_engine_walks_every_step_once_and_every_cue_once(
    routine: Routine, lateness: list[float]
) -> None:
    timeline = build_timeline(routine)
    clock = FakeClock()
    engine = SessionEngine(timeline, clock)
    events = engine.start()
    n = 0
    while not engine.is_over:
        wake = engine.next_event_time()
        assert wake is not None and wake >= clock.now - 1e-9
        clock.now = max(clock.now, wake + lateness[n % len(lateness)])
        n += 1
        events += engine.poll()
    started = [e.index for e in events if isinstance(e, StepStarted)]
    assert started == list(range(len(timeline.steps)))
    spoken = [(e.index, e.cue) for e in events if isinstance(e, CueDue)]
    expected = [(s.index, c) for s in timeline.steps for c in s.cues]
    assert sorted(map(repr, spoken)) == sorted(map(repr, expected))


@given(routines())
def test_routine_file_round_trip(routine: Routine) -> None:
    assert parse_routine_text(routine_to_toml(routine), "gen.toml") == routine
