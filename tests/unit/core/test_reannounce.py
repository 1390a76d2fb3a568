"""The phrase said when a step goes on part-way: which side, which phase, how long is left."""

from __future__ import annotations

from timer_app.core.reannounce import reannouncement, where_we_are
from timer_app.core.routine import PhaseKind, Side
from timer_app.core.timeline import Step


def step(kind: PhaseKind, name: str, side: Side = Side.LEFT, seconds: int = 30) -> Step:
    return Step(index=0, kind=kind, name=name, side=side, seconds=seconds)


def test_says_side_phase_and_the_time_left_as_the_screen_shows_it() -> None:
    pail = step(PhaseKind.PAIL, "PAIL")
    assert where_we_are(pail, 11.3) == "Left side, PAIL, twelve seconds left."
    assert where_we_are(pail, 12.0) == "Left side, PAIL, twelve seconds left."
    assert where_we_are(pail, 90.0) == "Left side, PAIL, a minute and a half left."


def test_a_step_without_a_side_says_only_the_phase() -> None:
    rest = step(PhaseKind.REST, "Rest", Side.NONE)
    assert where_we_are(rest, 20) == "Rest, twenty seconds left."


def test_after_a_crash_it_says_it_is_resuming() -> None:
    hold = step(PhaseKind.PASSIVE, "Passive hold", Side.RIGHT)
    assert where_we_are(hold, 65, after_crash=True) == (
        "Resuming. Right side, Passive hold, one minute five seconds left."
    )


def test_nothing_is_said_with_too_little_left() -> None:
    pail = step(PhaseKind.PAIL, "PAIL")
    assert reannouncement(pail, 1.5) is None
    cue = reannouncement(pail, 2.0)
    assert cue is not None and cue.text == "Left side, PAIL, two seconds left."
