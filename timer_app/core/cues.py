"""The voice-cue schedule as data: what to say (and which tone to play) at which moment of a step.

Cues are computed once, when a routine is expanded, so the speech layer knows every phrase in
advance (it renders them to audio before the session starts) and the engine knows every cue's
due time. A cue is anchored to the start of its step or to its end; end-anchored cues (the
3-2-1 countdown, "session complete") follow the end when the user adds or removes time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

# Here too, where most callers look for it; it lives with the other duration formats.
from timer_app.core.durations import display_duration as display_duration


class CueKind(StrEnum):
    """Why a cue exists; the speech layer uses it for tones and the screen for flashes."""

    ANNOUNCE = "announce"
    SWITCH = "switch"
    HALFWAY = "halfway"
    COUNTDOWN = "countdown"
    RAMP = "ramp"
    REP = "rep"
    END = "end"
    COMPLETE = "complete"


class Priority(IntEnum):
    """When two cues would overlap, the higher priority wins and the other is dropped."""

    HALFWAY = 30
    REP = 40
    END = 50
    RAMP = 60
    COUNTDOWN = 70
    ANNOUNCE = 80
    SWITCH = 90
    COMPLETE = 100


class Anchor(StrEnum):
    """What a cue's ``at`` is measured from."""

    START = "start"
    END = "end"


class Tone(StrEnum):
    """Short sounds in ``assets/sounds``, usable even when speech is muted."""

    TICK = "tick"
    END = "end"
    COMPLETE = "complete"


@dataclass(frozen=True)
class Cue:
    """One thing to say and/or play at a moment of a step."""

    kind: CueKind
    text: str
    at: float
    anchor: Anchor = Anchor.START
    tone: Tone | None = None

    @property
    def priority(self) -> int:
        return int(Priority[self.kind.name])

    def offset_in(self, step_seconds: float) -> float:
        """Seconds from the step's start at which the cue is due, for a step of that length.

        Clamped into the step, so a step shortened below a cue's offset still gets it at once
        rather than never (a countdown "3" on a 2-second step is due at its start).
        """
        offset = self.at if self.anchor is Anchor.START else step_seconds - self.at
        return min(max(offset, 0.0), step_seconds)


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """English words for 0..999, so every speech engine reads durations the same way."""
    if n < 0 or n > 999:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")


def spoken_duration(seconds: int) -> str:
    """A duration as a person says it: "two minutes", "a minute and a half", "twenty seconds"."""
    minutes, secs = divmod(int(seconds), 60)
    if minutes == 0:
        return f"{number_words(secs)} second{'s' if secs != 1 else ''}"
    if secs == 30:
        return (
            "a minute and a half" if minutes == 1 else f"{number_words(minutes)} and a half minutes"
        )
    head = "one minute" if minutes == 1 else f"{number_words(minutes)} minutes"
    if secs == 0:
        return head
    return f"{head} {number_words(secs)} second{'s' if secs != 1 else ''}"
