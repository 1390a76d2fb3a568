"""What the screen shows of a session, as immutable values: a snapshot now, a summary at the end.

The session controller takes a :class:`SessionSnapshot` from the engine at every refresh, step
change and state change and pushes it to the views; the views render it and never ask the
engine anything. Time left is rounded here, once, so every view shows the same second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from timer_app.core.engine import EngineState, SessionEngine, StateQueries
from timer_app.core.outcome import SessionOutcome
from timer_app.core.routine import PhaseKind
from timer_app.core.timeline import Step, Timeline

# Float noise (9.0000000001 s) must not show as an extra second.
_EPSILON = 1e-6


def shown_seconds(seconds: float) -> int:
    """Whole seconds as a countdown shows them: rounded up, so "0:01" shows until the very
    end of the last second and "0:00" only at the end."""
    return max(0, math.ceil(seconds - _EPSILON))


@dataclass(frozen=True)
class SessionSnapshot(StateQueries):
    """One moment of a session, as the screen (and the media widget) shows it."""

    state: EngineState
    step_index: int
    step: Step
    #: The step after this one: in this timeline, or the first of the one that follows
    #: (the routine after its "Get ready"); None at the last step.
    next_step: Step | None
    #: Seconds left in this step, rounded up once (what the countdown shows).
    time_left: int
    #: Seconds left in the whole session, including a timeline that follows; rounded up.
    total_left: int
    #: During a "Get ready": the whole routine's length that follows it (the screen names the
    #: lead-in rather than counting it, as the start screen showed the total); else None.
    then_total: int | None
    #: 0.0 at the step's start to 1.0 at its end.
    step_progress: float
    #: Effort in percent during a PAIL ramp, else None (no effort bar).
    effort: float | None
    #: Seconds into this step (the media widget's position).
    elapsed: float
    #: Length of this step in seconds, adjustments included.
    step_length: float
    #: Seconds of exercise so far (pauses not counted).
    active_seconds: float
    routine_name: str


def take_snapshot(engine: SessionEngine, then: Timeline | None = None) -> SessionSnapshot:
    """The engine's session now. ``then`` is the timeline that follows this one, if any."""
    step = engine.step
    steps = engine.timeline.steps
    index = engine.index
    if index + 1 < len(steps):
        next_step: Step | None = steps[index + 1]
    elif then is not None and then.steps:
        next_step = then.steps[0]
    else:
        next_step = None
    total = engine.total_remaining() + (then.total_seconds if then is not None else 0)
    elapsed = engine.elapsed()
    effort = None
    if step.kind is PhaseKind.PAIL and step.ramp is not None:
        effort = step.ramp.effort_at(elapsed)
    return SessionSnapshot(
        state=engine.state,
        step_index=index,
        step=step,
        next_step=next_step,
        time_left=shown_seconds(engine.remaining()),
        total_left=shown_seconds(total),
        then_total=shown_seconds(then.total_seconds) if then is not None else None,
        step_progress=engine.step_progress(),
        effort=effort,
        elapsed=elapsed,
        step_length=engine.step_length,
        active_seconds=engine.active_seconds(),
        routine_name=engine.timeline.routine_name,
    )


@dataclass(frozen=True)
class SessionSummary:
    """How a session ended, for the end screen and the history."""

    finished: bool
    active_seconds: float
    planned_seconds: float
    skipped_steps: int
    cut_short_steps: int
    pauses: int
    paused_seconds: float
    #: The step the session was stopped in (None when it finished).
    stopped_during: Step | None
    #: What was done, in words ("Session complete. Well done!", "Session ended. 2 of 31…").
    outcome: SessionOutcome


def summarize(engine: SessionEngine) -> SessionSummary:
    """The engine's session as it ended (or now, if it has not)."""
    log = engine.log
    finished = engine.state is EngineState.FINISHED
    return SessionSummary(
        finished=finished,
        active_seconds=engine.active_seconds(),
        planned_seconds=engine.timeline.total_seconds,
        skipped_steps=len(log.skipped_steps),
        cut_short_steps=len(log.cut_short_steps),
        pauses=log.pauses,
        paused_seconds=log.paused_seconds,
        stopped_during=None if finished else engine.step,
        outcome=SessionOutcome.of(
            log, len(engine.timeline.steps), engine.active_seconds(), finished
        ),
    )
