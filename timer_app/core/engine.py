"""The session state machine: which step is running, how much time is left, which cue is due.

The engine never counts ticks. It holds the clock time at which the current step started
(shifted forward by every pause) and the step's length (changed by +/- time), so remaining time
is always ``start + length - clock()``. Timers elsewhere only *wake* the engine: a wake-up that
comes late emits the overdue events at once, and the next step still starts at the previous
step's deadline, so lateness never accumulates. Time comes from an injected monotonic clock,
which makes every behaviour testable with a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from timer_app.core.cues import Cue, CueKind
from timer_app.core.session_log import QUESTION_PAUSE, START_PAUSE, SessionLog
from timer_app.core.timeline import Step, Timeline

Clock = Callable[[], float]

#: "Previous" within this many seconds of a step's start goes to the step before;
#: later it restarts the current step (as media players do).
PREVIOUS_RESTART_SECONDS = 3.0

#: Taking time off a step (the Down key) leaves at least this many seconds of it.
MIN_LEFT_AFTER_REMOVE = 1.0


class EngineState(StrEnum):
    """Where a session is in its life."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


class StateQueries:
    """``is_running``/``is_paused``/``is_over``, read from a ``state`` attribute: shared by the
    engine and by the snapshots it is read into, so both answer the same way."""

    state: EngineState

    @property
    def is_running(self) -> bool:
        return self.state is EngineState.RUNNING

    @property
    def is_paused(self) -> bool:
        return self.state is EngineState.PAUSED

    @property
    def is_over(self) -> bool:
        return self.state in (EngineState.FINISHED, EngineState.STOPPED)


@dataclass(frozen=True)
class StepStarted:
    """A step began at clock time ``at`` (its scheduled time, even if noticed late)."""

    index: int
    step: Step
    at: float


@dataclass(frozen=True)
class CueDue:
    """A cue's moment has come. ``late_by`` says how far past its due time it was noticed."""

    index: int
    cue: Cue
    due: float
    late_by: float


@dataclass(frozen=True)
class Paused:
    """The session paused at clock time ``at``; ``reason`` is "user", "suspend", ..."""

    at: float
    reason: str


@dataclass(frozen=True)
class Resumed:
    """The session resumed after being paused for ``paused_for`` seconds."""

    at: float
    paused_for: float


@dataclass(frozen=True)
class Finished:
    """The last step ended."""

    at: float


@dataclass(frozen=True)
class Stopped:
    """The user stopped the session before its end."""

    at: float


Event = StepStarted | CueDue | Paused | Resumed | Finished | Stopped


class SessionEngine(StateQueries):
    """Walks a :class:`Timeline` against a monotonic clock.

    Commands (``start``, ``pause``, ``next_step`` ...) and :meth:`poll` return the events they
    caused, in order; the caller (the Qt controller, or a test) forwards them to the screen and
    the speaker and then sleeps until :meth:`next_event_time`.
    """

    def __init__(self, timeline: Timeline, clock: Clock, cue_lead: float = 0.0) -> None:
        if not timeline.steps:
            raise ValueError("a session needs at least one step")
        self.timeline = timeline
        self._clock = clock
        self.state = EngineState.IDLE
        self.index = 0
        self._step_start = 0.0
        self._step_length = float(timeline.steps[0].seconds)
        self._paused_at: float | None = None
        self._fired: set[int] = set()
        self._prefired_next: set[int] = set()
        #: Cues are emitted this many seconds before they are due, so that a player with a
        #: known start-up latency is heard on time (``CueDue.late_by`` is then negative).
        self.cue_lead = cue_lead
        self._spent_before = 0.0  # running seconds spent in steps already left
        self.log = SessionLog()
        self._holds: set[int] = set()  # steps entered paused (a question comes first)

    # ----------------------------------------------------------------- queries
    @property
    def step(self) -> Step:
        return self.timeline.steps[self.index]

    @property
    def step_length(self) -> float:
        """The current step's length in seconds, including time added or removed."""
        return self._step_length

    def _reference_now(self, now: float | None = None) -> float:
        if self._paused_at is not None:
            return self._paused_at
        return self._clock() if now is None else now

    def elapsed(self, now: float | None = None) -> float:
        """Seconds done in the current step (pauses excluded)."""
        if self.state is EngineState.IDLE:
            return 0.0
        if self.is_over:
            return self._step_length if self.state is EngineState.FINISHED else 0.0
        return min(max(self._reference_now(now) - self._step_start, 0.0), self._step_length)

    def remaining(self, now: float | None = None) -> float:
        """Seconds left in the current step."""
        if self.is_over:
            return 0.0
        return max(self._step_length - self.elapsed(now), 0.0)

    def total_remaining(self, now: float | None = None) -> float:
        """Seconds left in the whole session (current step plus every later one)."""
        if self.is_over:
            return 0.0
        later = sum(s.seconds for s in self.timeline.steps[self.index + 1 :])
        return self.remaining(now) + later

    def active_seconds(self, now: float | None = None) -> float:
        """Seconds the session has actually run (pauses excluded)."""
        current = 0.0 if self.is_over else self.elapsed(now)
        return self._spent_before + current

    def progress(self, now: float | None = None) -> float:
        """Overall progress 0..1: where the session stands in its (adjusted) plan."""
        if self.state is EngineState.FINISHED:
            return 1.0
        done = sum(s.seconds for s in self.timeline.steps[: self.index]) + self.elapsed(now)
        total = done + self.total_remaining(now)
        return done / total if total > 0 else 1.0

    def step_progress(self, now: float | None = None) -> float:
        """Progress 0..1 through the current step."""
        return self.elapsed(now) / self._step_length if self._step_length > 0 else 1.0

    def deadline(self) -> float:
        """Clock time at which the current step ends (meaningful while running)."""
        return self._step_start + self._step_length

    def cue_due_time(self, cue_index: int) -> float:
        return self._step_start + self.step.cues[cue_index].offset_in(self._step_length)

    def next_event_time(self) -> float | None:
        """Clock time of the next cue or step end, or None when nothing will happen
        by itself (paused, idle, over). A GUI timer sleeps exactly until then."""
        if self.state is not EngineState.RUNNING:
            return None
        times = [
            self.cue_due_time(i) - self.cue_lead
            for i in range(len(self.step.cues))
            if i not in self._fired
        ]
        times.append(self.deadline())
        times.extend(due - self.cue_lead for _, due, _ in self._next_step_cues())
        return min(times)

    def _next_step_cues(self) -> list[tuple[int, float, Cue]]:
        """The next step's cues not yet emitted early: (cue index, due time if on schedule, cue)."""
        if self.index + 1 >= len(self.timeline.steps) or self.index + 1 in self._holds:
            return []  # a held step says nothing before the question is answered
        nxt = self.timeline.steps[self.index + 1]
        start = self.deadline()
        return [
            (i, start + cue.offset_in(nxt.seconds), cue)
            for i, cue in enumerate(nxt.cues)
            if i not in self._prefired_next
        ]

    # ---------------------------------------------------------------- commands
    def restore(self, log: list[dict[str, Any]], active_seconds: float) -> None:
        """Carry on a session saved earlier (after a crash): its log (steps done, skipped, cut
        short, pauses) and the time it had run. Call before :meth:`start`."""
        if self.state is not EngineState.IDLE:
            raise RuntimeError("restore before start")
        self.log = SessionLog.from_list(log)
        self._spent_before = max(0.0, float(active_seconds))

    def start(
        self, at_step: int = 0, step_elapsed: float = 0.0, paused: bool = False
    ) -> list[Event]:
        """Begin the session (or resume a saved one at ``at_step``, ``step_elapsed`` in).
        ``paused``: enter the step but wait for :meth:`resume` (nothing is said before)."""
        if self.state is not EngineState.IDLE:
            return []
        if not 0 <= at_step < len(self.timeline.steps):
            raise ValueError(f"no step {at_step} in a timeline of {len(self.timeline.steps)}")
        now = self._clock()
        self.state = EngineState.RUNNING
        self.log.add(self._spent_before, "started", at_step, {"step_elapsed": step_elapsed})
        events = self._enter_step(at_step, now - step_elapsed)
        if paused:
            self._paused_at = now
            self.state = EngineState.PAUSED
            self.log.add(self.active_seconds(), "paused", self.index, {"reason": START_PAUSE})
            return [*events, Paused(now, START_PAUSE)]
        # When resuming part-way through a step, its earlier cues are history: keep only the
        # announcement, so the user hears what they are doing.
        for i, cue in enumerate(self.step.cues):
            if cue.kind is not CueKind.ANNOUNCE and self.cue_due_time(i) < now:
                self._fired.add(i)
        return events + self.poll(now)

    def poll(self, now: float | None = None) -> list[Event]:
        """Emit every cue and step boundary due up to ``now`` (default: the clock)."""
        if self.state is not EngineState.RUNNING:
            return []
        now = self._clock() if now is None else now
        events: list[Event] = []
        horizon = now + self.cue_lead
        while self.state is EngineState.RUNNING:
            step = self.step
            due_cues = sorted(
                (self.cue_due_time(i), i)
                for i in range(len(step.cues))
                if i not in self._fired and self.cue_due_time(i) <= horizon
            )
            for due, i in due_cues:
                self._fired.add(i)
                events.append(CueDue(self.index, step.cues[i], due, now - due))
            deadline = self.deadline()
            if now < deadline:
                # The next step's first cue may fall inside the lead window already.
                for i, due, cue in self._next_step_cues():
                    if due <= horizon:
                        self._prefired_next.add(i)
                        events.append(CueDue(self.index + 1, cue, due, now - due))
                break
            self.log.add(self._spent_before + self._step_length, "completed", self.index)
            events.extend(self._advance(deadline, spent=self._step_length, on_schedule=True))
        return events

    def pause(self, at: float | None = None, reason: str = "user") -> list[Event]:
        """Pause. ``at`` may lie in the past (a suspend noticed late): boundaries up to then
        are processed first and the session freezes at that moment."""
        if self.state is not EngineState.RUNNING:
            return []
        now = self._clock()
        at = now if at is None else min(at, now)
        events = self.poll(at)
        if self.state is not EngineState.RUNNING:
            return events
        self._paused_at = at
        self.state = EngineState.PAUSED
        self.log.add(self.active_seconds(), "paused", self.index, {"reason": reason})
        return [*events, Paused(at, reason)]

    def resume(self) -> list[Event]:
        if self.state is not EngineState.PAUSED or self._paused_at is None:
            return []
        now = self._clock()
        paused_for = now - self._paused_at
        self._step_start += paused_for
        self._paused_at = None
        self.state = EngineState.RUNNING
        self.log.add(self.active_seconds(now), "resumed", self.index, {"paused_for": paused_for})
        return [Resumed(now, paused_for), *self.poll(now)]

    def toggle_pause(self) -> list[Event]:
        return self.resume() if self.is_paused else self.pause()

    def next_step(self) -> list[Event]:
        """Skip the rest of the current step."""
        return self._leave_early("skipped", {})

    def cut_short(self, reason: str = "pain") -> list[Event]:
        """End the current step now because of ``reason`` (pain); logged as such."""
        return self._leave_early("cut_short", {"reason": reason})

    def previous_step(self) -> list[Event]:
        """Restart the current step, or go to the previous one if it has only just begun."""
        if self.state not in (EngineState.RUNNING, EngineState.PAUSED):
            return []
        now = self._clock()
        elapsed = self.elapsed(now)
        target = self.index
        if elapsed < PREVIOUS_RESTART_SECONDS and self.index > 0:
            target = self.index - 1
        self.log.add(self.active_seconds(now), "back", self.index, {"to": target})
        self._spent_before += elapsed
        if self.is_paused:
            self._paused_at = now
        events = self._enter_step(target, now)
        return events + (self.poll(now) if self.is_running else [])

    def adjust(self, delta: float) -> list[Event]:
        """Add (positive) or remove (negative) seconds from the current step. Removing more
        than is left stops at :data:`MIN_LEFT_AFTER_REMOVE` seconds left: taking time off
        never ends the step (that is what Next is for) and so never reaches into the next
        one, however often the key is pressed."""
        if self.state not in (EngineState.RUNNING, EngineState.PAUSED):
            return []
        now = self._reference_now()
        elapsed = self.elapsed()
        if delta < 0:
            floor = min(elapsed + MIN_LEFT_AFTER_REMOVE, self._step_length)
            new_length = max(self._step_length + delta, floor)
        else:
            new_length = self._step_length + delta
        applied = new_length - self._step_length
        if applied == 0:
            return []
        self._step_length = new_length
        # A cue that moved back into the future (the 3-2-1 after +10 s) must sound again.
        self._fired = {i for i in self._fired if self.cue_due_time(i) <= now + self.cue_lead}
        self._prefired_next = set()
        self.log.add(self.active_seconds(), "adjusted", self.index, {"delta": applied})
        return self.poll() if self.is_running else []

    def stop(self) -> list[Event]:
        """End the session now. Also before it began (stopped while its voice was prepared):
        then nothing was done."""
        if self.state not in (EngineState.RUNNING, EngineState.PAUSED, EngineState.IDLE):
            return []
        now = self._clock()
        self.log.add(
            self.active_seconds(now), "stopped", self.index, {"step_elapsed": self.elapsed(now)}
        )
        self._spent_before += self.elapsed(now)
        self.state = EngineState.STOPPED
        self._paused_at = None
        return [Stopped(now)]

    # ---------------------------------------------------------------- internals
    def _leave_early(self, what: str, detail: dict[str, object]) -> list[Event]:
        if self.state not in (EngineState.RUNNING, EngineState.PAUSED):
            return []
        now = self._clock()
        elapsed = self.elapsed(now)
        self.log.add(
            self.active_seconds(now),
            what,
            self.index,
            {"elapsed": round(elapsed, 3), "planned": self._step_length, **detail},
        )
        if self.is_paused:
            self._paused_at = now
        events = self._advance(now, spent=elapsed)
        return events + (self.poll(now) if self.is_running else [])

    def _advance(self, at: float, spent: float, on_schedule: bool = False) -> list[Event]:
        """Move to the next step, starting at ``at`` (the old deadline when on schedule)."""
        self._spent_before += spent
        carried = self._prefired_next if on_schedule else set()
        if self.index + 1 >= len(self.timeline.steps):
            self.state = EngineState.FINISHED
            self._paused_at = None
            self.log.add(self._spent_before, "finished", self.index)
            return [Finished(at)]
        events = self._enter_step(self.index + 1, at)
        self._fired = set(carried)
        if self.index in self._holds:
            # Enter it paused: the question (the before heights, after their test) is answered
            # with the clock stopped, and the step's announcement comes on resume.
            self._holds.discard(self.index)
            self._paused_at = at
            self.state = EngineState.PAUSED
            self.log.add(self._spent_before, "paused", self.index, {"reason": QUESTION_PAUSE})
            events.append(Paused(at, QUESTION_PAUSE))
        return events

    def hold_at(self, index: int) -> None:
        """Enter step ``index`` paused when the session gets there (once)."""
        if not 0 <= index < len(self.timeline.steps):
            raise ValueError(f"no step {index} in a timeline of {len(self.timeline.steps)}")
        self._holds.add(index)

    def _enter_step(self, index: int, at: float) -> list[Event]:
        self.index = index
        self._step_start = at
        self._step_length = float(self.timeline.steps[index].seconds)
        self._fired = set()
        self._prefired_next = set()
        self.log.add(self._spent_before, "step", index)
        return [StepStarted(index, self.step, at)]
