"""The one Qt adapter between the session engine and the screen, the voice and the store.

A single single-shot ``Qt.PreciseTimer`` is aimed at the engine's next event (next cue or step
end); a second, coarse timer refreshes the display only while it is visible, once per displayed
second (10 times a second during a PAIL ramp, whose bar moves continuously). Nothing polls.
Every refresh, step change and state change pushes an immutable
:class:`~timer_app.core.snapshot.SessionSnapshot` (``snapshot_changed``); widgets render it and
never reach into the engine or compute time themselves.

At every wake-up the controller first asks the suspend detector whether the machine slept; if
it did, the session is paused at the last moment time was known to be real, instead of counting
the sleep as exercise.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from timer_app.core.clock import monotonic
from timer_app.core.cues import Cue, CueKind
from timer_app.core.engine import (
    CueDue,
    EngineState,
    Event,
    Finished,
    Paused,
    Resumed,
    SessionEngine,
    StepStarted,
    Stopped,
)
from timer_app.core.outcome import SessionOutcome
from timer_app.core.reannounce import reannouncement
from timer_app.core.routine import PhaseKind
from timer_app.core.snapshot import SessionSnapshot, SessionSummary, summarize, take_snapshot
from timer_app.core.suspend import SuspendDetector
from timer_app.core.timeline import Timeline

if TYPE_CHECKING:
    from timer_app.speech.speaker import Speaker
    from timer_app.ui.wake_lock import WakeLock

log = logging.getLogger(__name__)

#: Seconds added or removed by the Up / Down keys.
ADJUST_STEP_SECONDS = 10
#: Display refresh while the PAIL effort bar climbs (5 Hz: smooth enough for a bar seen from
#: the floor, half the repaints of 10 Hz). Otherwise the display refreshes once per second.
FAST_REFRESH_MS = 200
#: The event timer is aimed this early, and the last moment is waited out with a precise
#: sleep: Qt rounds timer intervals up to whole milliseconds and its event loop adds more, so
#: a timer aimed exactly at a boundary wakes 1-2 ms after it (measured in benchmarks/).
EARLY_WAKE_SECONDS = 0.003


class SessionController(QObject):
    """Runs one session: owns the engine, its timers, and the side effects of its events."""

    step_started = Signal(int)
    cue_due = Signal(object)  # CueDue
    state_changed = Signal(str)  # EngineState value
    finished = Signal()
    stopped = Signal()
    refresh = Signal()  # redraw the countdown / bars (a snapshot_changed follows)
    snapshot_changed = Signal(object)  # SessionSnapshot: what the screen shows now
    #: A cue the user will not hear (muted, or no sound): the screen flashes instead.
    unheard_cue = Signal(object)  # CueDue
    suspended = Signal(float)  # seconds the machine was away
    notice = Signal(str)  # short user-facing message ("" clears it)
    step_notice = Signal(str)  # a message about the step just left; shown until the next one
    progress_saved = Signal()  # the store should record progress now (step change, pause...)

    def __init__(
        self,
        timeline: Timeline,
        speaker: Speaker,
        wake_lock: WakeLock,
        clock: Callable[[], float] = monotonic,
        suspend_detector: SuspendDetector | None = None,
        parent: QObject | None = None,
        then: Timeline | None = None,
    ) -> None:
        """``then`` is the timeline that follows this one (the routine after its "Get
        ready"): snapshots count its time in the total and name its first step as next."""
        super().__init__(parent)
        self.timeline = timeline
        self.then = then
        self.speaker = speaker
        self.wake_lock = wake_lock
        self.clock = clock
        self.engine = SessionEngine(timeline, clock, cue_lead=speaker.lead_seconds())
        self.detector = suspend_detector or SuspendDetector(monotonic=clock)
        self._expected_wake: float | None = None
        self._display_active = True

        self._event_timer = QTimer(self)
        self._event_timer.setSingleShot(True)
        self._event_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._event_timer.timeout.connect(self.wake)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._refresh_timer.timeout.connect(self._on_refresh)

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> EngineState:
        return self.engine.state

    @property
    def is_running(self) -> bool:
        return self.engine.is_running

    @property
    def is_paused(self) -> bool:
        return self.engine.is_paused

    @property
    def is_over(self) -> bool:
        """Finished or stopped: commands do nothing any more."""
        return self.engine.is_over

    def snapshot(self) -> SessionSnapshot:
        """What the screen shows now (the same value ``snapshot_changed`` carries)."""
        return take_snapshot(self.engine, self.then)

    def summary(self) -> SessionSummary:
        """How the session went (for the end screen)."""
        return summarize(self.engine)

    def log_entries(self) -> list[dict[str, Any]]:
        """The session log as stored in the history."""
        return self.engine.log.to_list()

    # --------------------------------------------------------------- commands
    def start(self, at_step: int = 0, step_elapsed: float = 0.0, paused: bool = False) -> None:
        """Start (``paused``: shown at the step, waiting for Space)."""
        self.detector.reset()
        events = self.engine.start(at_step, step_elapsed, paused=paused)
        if step_elapsed > 0:
            left = self.engine.step_length - step_elapsed
            events = [self._where_we_are_instead(event, left) for event in events]
        self._dispatch(events)
        if self.engine.is_running:
            self._take_wake_lock()
        self.state_changed.emit(self.engine.state.value)
        self.progress_saved.emit()

    def toggle_pause(self) -> None:
        if self.engine.is_running:
            self.pause()
        elif self.engine.is_paused:
            self.resume()

    def pause(self, reason: str = "user") -> None:
        self._dispatch(self.engine.pause(reason=reason))

    def resume(self) -> None:
        self.detector.reset()
        self._dispatch(self.engine.resume())

    def next_step(self) -> None:
        self.speaker.silence()
        self._dispatch(self.engine.next_step())

    def previous_step(self) -> None:
        self.speaker.silence()
        self._dispatch(self.engine.previous_step())

    def cut_short(self) -> None:
        """End the current step because it hurts; the log records the reason."""
        self.speaker.silence()
        step = self.engine.step
        events = self.engine.cut_short("pain")
        self._dispatch(events)
        if events:
            self.step_notice.emit(f"{step.name} stopped early because of pain: logged. Go gently.")

    def add_time(self, seconds: float = ADJUST_STEP_SECONDS) -> None:
        self._dispatch(self.engine.adjust(seconds))
        self._prepare_reannouncement()
        self._publish()

    def remove_time(self, seconds: float = ADJUST_STEP_SECONDS) -> None:
        self._dispatch(self.engine.adjust(-seconds))
        self._prepare_reannouncement()
        self._publish()

    def stop(self) -> None:
        self.speaker.silence()
        self._dispatch(self.engine.stop())

    def end_words(self) -> str:
        """What the voice says when this session is stopped now ("Session stopped after
        fifty-one seconds. 2 of 31 steps done."): the end screen's headline, in words."""
        return self.summary().outcome.spoken()

    def prepare_end_words(self) -> None:
        """The stop question shows: render the end words now, so a stop says them at once."""
        self.speaker.prefetch([self.end_words()], soon=True)

    def say_end_words(self) -> None:
        """Say the end words through the one speech path: the session's mute silences them,
        and quitting cuts them, as any cue."""
        self.speaker.play(Cue(CueKind.COMPLETE, self.end_words(), 0.0), 0.0)

    def set_display_active(self, active: bool) -> None:
        """The view tells whether it is visible; a hidden window is not redrawn."""
        self._display_active = active
        self._schedule_refresh()

    def shutdown(self) -> None:
        """Stop timers and give back the wake lock (window closing)."""
        self._event_timer.stop()
        self._refresh_timer.stop()
        self.wake_lock.release()

    # ----------------------------------------------------------------- timing
    def wake(self) -> None:
        """Process everything due now. Called by the event timer, and by tests on a fake clock."""
        if not self.engine.is_running:
            return
        if self._paused_for_suspend(self._expected_wake):
            return
        expected = self._expected_wake
        if expected is not None:
            ahead = expected - self.clock()
            if 0 < ahead <= EARLY_WAKE_SECONDS:
                time.sleep(ahead)  # at most 3 ms, a few times a minute: cheaper than a spin
        self._dispatch(self.engine.poll())

    def _paused_for_suspend(self, expected_wake: float | None) -> bool:
        """If the machine slept (or the process froze) since the last check, pause the session
        at the last moment time was known to be real, say so, and return True."""
        lost = self.detector.check(expected_wake)
        if lost <= 0:
            return False
        last_good = self.detector.last_good
        log.info("machine away for %.1f s; pausing at %.3f", lost, last_good)
        events = self.engine.pause(at=last_good, reason="suspend")
        self.detector.reset()
        self._dispatch(events)
        self.suspended.emit(lost)
        self.notice.emit(
            f"Paused: the computer was asleep or busy for {round(lost)} s. Press Space to continue."
        )
        return True

    def _schedule_next_event(self) -> None:
        when = self.engine.next_event_time()
        self._expected_wake = when
        self.speaker.expect_cue_at(when)
        if when is None:
            self._event_timer.stop()
            return
        delay_ms = max(0, math.floor((when - self.clock() - EARLY_WAKE_SECONDS) * 1000))
        self._event_timer.start(delay_ms)

    def _schedule_refresh(self) -> None:
        if not (self._display_active and self.engine.is_running):
            self._refresh_timer.stop()
            return
        step = self.engine.step
        ramp = step.ramp if step.kind is PhaseKind.PAIL else None
        if ramp is not None and self.engine.elapsed() < ramp.seconds:
            self._refresh_timer.start(FAST_REFRESH_MS)
            return
        # Wake just after the displayed (ceil) second changes.
        remaining = self.engine.remaining()
        fraction = remaining - math.floor(remaining)
        delay = fraction if fraction > 0.001 else 1.0
        self._refresh_timer.start(max(10, math.ceil(delay * 1000) + 5))

    def refresh_now(self) -> None:
        """Redraw now and aim the refresh timer at the next visible change. Each refresh also
        checks for a suspend, so a sleep is noticed to within a second of when it began."""
        if self.engine.is_running and self._paused_for_suspend(None):
            return
        self._publish()
        self._schedule_refresh()

    _on_refresh = refresh_now

    # ----------------------------------------------------------------- events
    def _dispatch(self, events: list[Event]) -> None:
        new_state = False
        for event in events:
            if isinstance(event, CueDue):
                self.speaker.play(self._honest(event), event.late_by)
                self.cue_due.emit(event)
                if self.speaker.is_muted() or not self.speaker.has_sound():
                    self.unheard_cue.emit(event)
            elif isinstance(event, StepStarted):
                self.step_started.emit(event.index)
                self.progress_saved.emit()
            elif isinstance(event, Paused):
                self.speaker.silence()
                self.wake_lock.release()
                new_state = True
                self.progress_saved.emit()
                self._prepare_reannouncement()
            elif isinstance(event, Resumed):
                self._take_wake_lock()
                self.notice.emit("")
                new_state = True
                self._reannounce()
            elif isinstance(event, Finished):
                self.wake_lock.release()
                new_state = True
                self.finished.emit()
            elif isinstance(event, Stopped):
                self.wake_lock.release()
                new_state = True
                self.stopped.emit()
        if new_state:
            self.state_changed.emit(self.engine.state.value)
        self._schedule_next_event()
        self._schedule_refresh()
        if events:
            self._publish()

    def _publish(self) -> None:
        self.refresh.emit()
        self.snapshot_changed.emit(self.snapshot())

    def _honest(self, event: CueDue) -> Cue:
        """The cue to say: "Session complete. Well done." only if the session ran through;
        after skipped steps, what was done ("Session ended. 2 of 31 steps done.")."""
        cue = event.cue
        if cue.kind is not CueKind.COMPLETE or self.engine.log.ran_through:
            return cue
        outcome = SessionOutcome.of(
            self.engine.log,
            len(self.timeline.steps),
            self.engine.active_seconds(),
            finished=True,
            also_done=event.index,
        )
        return replace(cue, text=outcome.spoken())

    # ------------------------------------------------------- where we are
    def _where_we_are_instead(self, event: Event, remaining: float) -> Event:
        """After a crash, the resumed step's own announcement ("…two minutes") is wrong by
        now: say where the session is instead."""
        if not (
            isinstance(event, CueDue)
            and event.index == self.engine.index
            and event.cue.kind is CueKind.ANNOUNCE
        ):
            return event
        cue = reannouncement(self.engine.step, remaining, after_crash=True)
        return replace(event, cue=cue, late_by=0.0) if cue is not None else event

    def _prepare_reannouncement(self) -> None:
        """While paused, the time left is known: render the phrase now, so resuming says it
        at once."""
        if self.engine.is_paused and not self._step_not_begun():
            cue = reannouncement(self.engine.step, self.engine.remaining())
            if cue is not None:
                self.speaker.prefetch([cue.text], soon=True)

    def _reannounce(self) -> None:
        """Resumed: say briefly which step this is and how long is left."""
        if self._step_not_begun():
            return
        self._say_where()

    def _say_where(self) -> None:
        cue = reannouncement(self.engine.step, self.engine.remaining())
        if cue is not None:
            now = self.clock()
            self.speaker.play(cue, 0.0)
            self.cue_due.emit(CueDue(self.engine.index, cue, now, 0.0))

    def _step_not_begun(self) -> bool:
        """Paused before the step's first moment (a session that starts paused): resuming
        says the step's own announcement, not a "where we are" on top of it."""
        return self.engine.elapsed() <= 0.0

    def repeat_step(self) -> None:
        """Say again which step this is and how long is left ("timer repeat"), even at the
        step's very start."""
        if self.engine.is_running or self.engine.is_paused:
            self._say_where()

    def note(self, event: str, detail: dict[str, Any]) -> None:
        """Add ``event`` to the session log at the current step (a voice command heard)."""
        self.engine.log.add(self.engine.active_seconds(), event, self.engine.index, detail)

    def _take_wake_lock(self) -> None:
        problem = self.wake_lock.acquire()
        if problem:
            self.notice.emit(problem)
