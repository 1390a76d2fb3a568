"""What is said when a step is taken up again part-way: after a pause, or after a crash.

Someone lying on the floor who pressed Space a minute ago may have forgotten which side and
which phase they were on; the step's own announcement ("Passive hold, two minutes…") would be
wrong by now. So a short phrase says where the session is: "Left side, PAIL, twelve seconds
left." No Qt, no speech: the session controller hands it to the speaker as a cue.
"""

from __future__ import annotations

import math

from timer_app.core.cues import Cue, CueKind, spoken_duration
from timer_app.core.routine import Side
from timer_app.core.timeline import Step

#: With less than this left, nothing is re-announced: the next step's announcement is due.
MIN_SECONDS_LEFT = 2.0


def where_we_are(step: Step, remaining: float, after_crash: bool = False) -> str:
    """E.g. "Left side, PAIL, twelve seconds left." (``remaining`` rounded up, as shown)."""
    left = spoken_duration(max(1, math.ceil(remaining - 1e-6)))
    side = f"{step.side.value.capitalize()} side, " if step.side is not Side.NONE else ""
    phrase = f"{side}{step.title}, {left} left."
    return f"Resuming. {phrase}" if after_crash else phrase


def reannouncement(step: Step, remaining: float, after_crash: bool = False) -> Cue | None:
    """The cue to say when the step goes on with ``remaining`` seconds, or None if too few."""
    if remaining < MIN_SECONDS_LEFT:
        return None
    return Cue(CueKind.ANNOUNCE, where_we_are(step, remaining, after_crash), 0.0)
