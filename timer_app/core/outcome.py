"""What a session did, in the words the end screen and the voice use.

"Session complete. Well done!" is only true of a session that ran through; after skipping 29
of 31 steps in 51 s the honest words are "Session ended: 2 of 31 steps, 0:51". A session
stopped with S is said too ("Session stopped after fifty-one seconds. 2 of 31 steps done."):
the person is on the floor, not looking at the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from timer_app.core.cues import display_duration, spoken_duration
from timer_app.core.session_log import SessionLog

COMPLETE_TITLE = "Session complete. Well done!"


@dataclass(frozen=True)
class SessionOutcome:
    """How a session ended: steps done out of planned, active time, and whether it finished."""

    steps_done: int
    steps_planned: int
    active_seconds: float
    finished: bool
    ran_through: bool

    @classmethod
    def of(
        cls,
        log: SessionLog,
        steps_planned: int,
        active_seconds: float,
        finished: bool,
        also_done: int | None = None,
    ) -> SessionOutcome:
        """``also_done``: a step being done right now that the log has not closed yet (the
        final cue is due a moment before the last step's end is logged)."""
        done = set(log.done_steps)
        if also_done is not None:
            done.add(also_done)
        return cls(
            steps_done=len(done),
            steps_planned=steps_planned,
            active_seconds=active_seconds,
            finished=finished,
            ran_through=finished and log.ran_through,
        )

    def title(self) -> str:
        """The end screen's headline."""
        if self.ran_through:
            return COMPLETE_TITLE
        verb = "ended" if self.finished else "stopped"
        return (
            f"Session {verb}: {self.steps_done} of {self.steps_planned} steps, "
            f"{display_duration(self.active_seconds)}"
        )

    def spoken(self) -> str:
        """What the voice says at the end of a session that did not run through: the end
        screen's headline, with the time in words (a voice reads "0:51" badly)."""
        done = f"{self.steps_done} of {self.steps_planned} steps done."
        if self.finished:
            return f"Session ended. {done}"
        seconds = round(self.active_seconds)
        after = f" after {spoken_duration(seconds)}" if seconds > 0 else ""
        return f"Session stopped{after}. {done}"
