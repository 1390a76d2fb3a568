"""A routine's overview sentence generated from its numbers, so the words on the start screen
can never describe times the routine no longer has (after *Adjust times*)."""

from __future__ import annotations

import re

from timer_app.core.cues import display_duration
from timer_app.core.routine import MeasureWhen, Routine, SidesMode

#: A description that speaks of numbers (times, rounds, repetitions) goes stale when they
#: change; one that does not ("Gentle, for a stiff morning") is the author's and stays.
_MENTIONS_NUMBERS = re.compile(
    r"\d|\b(one|two|three|four|five|six|ten|minute|second|round|rep)", re.IGNORECASE
)
_MEASURE_WORDS = {
    MeasureWhen.BEFORE: "Block-height test before.",
    MeasureWhen.AFTER: "Block-height test at the end.",
    MeasureWhen.BOTH: "Block-height test before and after.",
}


def describe_routine(routine: Routine) -> str:
    """E.g. "CARs warm-up, then per side 3 rounds of a 2:00 passive hold, a 0:20 PAIL and a
    0:15 RAIL. Block-height test at the end." """
    main = routine.main
    phases = [
        f"a {display_duration(p.seconds)} {_in_sentence(p.display_name)}" for p in main.phases
    ]
    listed = phases[0] if len(phases) == 1 else ", ".join(phases[:-1]) + " and " + phases[-1]
    rounds = f"{main.rounds} round{'s' if main.rounds != 1 else ''}"
    where = "per side" if main.sides is SidesMode.BOTH else f"{main.sides.value} side only,"
    text = f"{where} {rounds} of {listed}."
    if routine.warmup is not None:
        text = "CARs warm-up, then " + text
    else:
        text = text[0].upper() + text[1:]
    if routine.measurement is not None:
        text += " " + _MEASURE_WORDS[routine.measurement.when]
    return text


def refreshed_description(old: Routine, new: Routine) -> str:
    """``new``'s description: the old words if they still hold (no numbers changed, or they
    mention none), else a sentence generated from the new numbers."""
    same_numbers = old.main == new.main and old.warmup == new.warmup
    if same_numbers or not _MENTIONS_NUMBERS.search(old.description):
        return old.description
    return describe_routine(new)


def _in_sentence(name: str) -> str:
    """ "Passive hold" inside a sentence is "passive hold"; "PAIL" stays an acronym."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() else name[0].lower() + name[1:]
