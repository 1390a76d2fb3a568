"""Which spoken cue is heard when cues collide or come late: pure rules, no Qt, no audio.

The rules (issue 4): a phrase is never cut mid-word; when a cue arrives while another phrase is
still being spoken, the more urgent one (``Cue.priority``) wins and the other is dropped, never
queued to be said late. A more urgent cue takes over at the next pause between words of the
phrase being spoken (or at its end); so does a new step's announcement over the last one's.
Speech noticed hopelessly late is dropped, except the cues
a user must not miss (a step's announcement, switch sides, session complete).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from timer_app.core.cues import Cue, CueKind

#: Speech noticed later than this is dropped (a "halfway" 3 s late is worse than none).
MAX_LATE_SECONDS = 1.5
#: Cues said however late they are noticed: without them the user is lost.
NEVER_DROPPED_WHEN_LATE = frozenset({CueKind.ANNOUNCE, CueKind.SWITCH, CueKind.COMPLETE})
#: A phrase this close to its end counts as finished: the next one starts right after it.
TAIL_SECONDS = 0.2


class Action(StrEnum):
    """What to do with a cue's speech."""

    PLAY = "play"  # start now
    TAKE_OVER = "take_over"  # stop the current phrase at ``at`` and start this one then
    DROP = "drop"


@dataclass(frozen=True)
class Speaking:
    """The phrase being heard: when its sound began, how long its speech lasts, and the
    offsets (seconds into the clip) of the pauses between its words."""

    cue: Cue
    started: float
    duration: float
    word_gaps: tuple[float, ...] = ()

    @property
    def ends(self) -> float:
        return self.started + self.duration


@dataclass(frozen=True)
class Decision:
    """The verdict for one cue, with a reason for the log."""

    action: Action
    at: float = 0.0  # clock time to start (TAKE_OVER)
    reason: str = ""


def decide(
    cue: Cue,
    late_by: float,
    now: float,
    speaking: Speaking | None,
    pending: Cue | None = None,
) -> Decision:
    """Decide what happens to ``cue``'s speech, noticed ``late_by`` seconds after its moment.

    ``speaking`` is the phrase being heard (None if silent); ``pending`` is a cue already
    waiting to take over from it (it too must be beaten on priority).
    """
    if not cue.text:
        return Decision(Action.DROP, reason="no words")
    if late_by > MAX_LATE_SECONDS and cue.kind not in NEVER_DROPPED_WHEN_LATE:
        return Decision(Action.DROP, reason=f"{late_by:.2f} s late")
    if pending is not None and cue.priority <= pending.priority:
        return Decision(Action.DROP, reason=f"a more urgent cue is waiting: {pending.text!r}")
    if speaking is None or now >= speaking.ends:
        return Decision(Action.PLAY)
    if speaking.ends - now <= TAIL_SECONDS:
        # Its last syllable: start right after it rather than lose this cue.
        return Decision(Action.TAKE_OVER, at=speaking.ends, reason="after the last word")
    # A new step's announcement also beats the previous step's one (equal priority): the old
    # step is over, so its words are stale.
    supersedes = cue.priority == speaking.cue.priority and cue.kind in NEVER_DROPPED_WHEN_LATE
    if cue.priority < speaking.cue.priority or (
        cue.priority == speaking.cue.priority and not supersedes
    ):
        return Decision(Action.DROP, reason=f"collides with {speaking.cue.text!r}")
    into = now - speaking.started
    gap = next((g for g in speaking.word_gaps if g >= into), None)
    at = speaking.started + gap if gap is not None else speaking.ends
    return Decision(Action.TAKE_OVER, at=at, reason=f"more urgent than {speaking.cue.text!r}")
