"""Collision and lateness rules for spoken cues (pure, no Qt)."""

from __future__ import annotations

import pytest

from timer_app.core.cues import Anchor, Cue, CueKind, Tone
from timer_app.speech.policy import MAX_LATE_SECONDS, Action, Speaking, decide

ANNOUNCE = Cue(CueKind.ANNOUNCE, "Left side. Passive hold, two minutes.", 0.0)
NEXT_ANNOUNCE = Cue(CueKind.ANNOUNCE, "Right side. PAIL, twenty seconds.", 0.0)
HALFWAY = Cue(CueKind.HALFWAY, "Halfway. One minute left.", 60.0)
RAMP = Cue(CueKind.RAMP, "Build to half effort.", 5.0)
THREE = Cue(CueKind.COUNTDOWN, "Three.", 3, Anchor.END, Tone.TICK)
COMPLETE = Cue(CueKind.COMPLETE, "Session complete. Well done.", 0, Anchor.END, Tone.COMPLETE)
END_TONE = Cue(CueKind.END, "", 0.0, Anchor.END, Tone.END)


def speaking(cue: Cue, started: float = 100.0) -> Speaking:
    # A 3-second phrase with pauses between words at 0.5, 1.2 and 2.0 s.
    return Speaking(cue, started, 3.0, (0.5, 1.2, 2.0))


def test_a_cue_plays_at_once_when_nothing_is_being_said() -> None:
    assert decide(RAMP, 0.0, 100.0, None).action is Action.PLAY


def test_a_cue_plays_once_the_previous_phrase_has_ended() -> None:
    assert decide(RAMP, 0.0, 103.5, speaking(HALFWAY)).action is Action.PLAY


def test_a_less_urgent_cue_is_dropped_not_queued() -> None:
    decision = decide(HALFWAY, 0.0, 101.0, speaking(RAMP))
    assert decision.action is Action.DROP
    assert "collides" in decision.reason


def test_an_equally_urgent_cue_does_not_interrupt() -> None:
    assert decide(RAMP, 0.0, 101.0, speaking(RAMP)).action is Action.DROP


def test_a_more_urgent_cue_takes_over_at_the_next_pause_between_words() -> None:
    decision = decide(THREE, 0.0, 100.7, speaking(RAMP))
    assert decision.action is Action.TAKE_OVER
    assert decision.at == pytest.approx(101.2)  # the gap after 0.7 s is at 1.2 s, not mid-word


def test_a_more_urgent_cue_waits_for_the_end_when_no_pause_is_left() -> None:
    decision = decide(COMPLETE, 0.0, 102.5, speaking(RAMP))
    assert decision == decide(COMPLETE, 0.0, 102.5, speaking(RAMP))
    assert decision.action is Action.TAKE_OVER
    assert decision.at == pytest.approx(103.0)


def test_a_new_steps_announcement_supersedes_the_last_ones() -> None:
    decision = decide(NEXT_ANNOUNCE, 0.0, 100.1, speaking(ANNOUNCE))
    assert decision.action is Action.TAKE_OVER
    assert decision.at == pytest.approx(100.5)


def test_the_last_syllable_is_let_finish_then_the_cue_plays() -> None:
    decision = decide(HALFWAY, 0.0, 102.9, speaking(RAMP))
    assert decision.action is Action.TAKE_OVER
    assert decision.at == pytest.approx(103.0)


def test_a_waiting_urgent_cue_beats_a_newer_less_urgent_one() -> None:
    decision = decide(RAMP, 0.0, 100.8, speaking(HALFWAY), pending=THREE)
    assert decision.action is Action.DROP


@pytest.mark.parametrize("cue", [HALFWAY, RAMP, THREE])
def test_hopelessly_late_speech_is_dropped(cue: Cue) -> None:
    assert decide(cue, MAX_LATE_SECONDS + 0.1, 100.0, None).action is Action.DROP
    assert decide(cue, MAX_LATE_SECONDS - 0.1, 100.0, None).action is Action.PLAY


@pytest.mark.parametrize("kind", [CueKind.ANNOUNCE, CueKind.SWITCH, CueKind.COMPLETE])
def test_cues_the_user_must_hear_are_said_however_late(kind: CueKind) -> None:
    cue = Cue(kind, "Switch sides. Right side next.", 0.0)
    assert decide(cue, 5.0, 100.0, None).action is Action.PLAY


def test_a_tone_only_cue_has_no_speech() -> None:
    assert decide(END_TONE, 0.0, 100.0, None).action is Action.DROP
