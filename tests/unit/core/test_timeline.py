"""Timeline expansion and the cue schedule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from timer_app.core.cues import CueKind, display_duration, spoken_duration
from timer_app.core.routine import PhaseKind, Side
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline, planned_seconds


def hip_ir():
    return build_timeline(load_routine(ROUTINES / "hip-ir-lying.toml"))


def test_each_side_gets_its_full_time() -> None:
    timeline = hip_ir()
    for side in (Side.LEFT, Side.RIGHT):
        passive = [s for s in timeline.steps if s.kind is PhaseKind.PASSIVE and s.side is side]
        assert [s.seconds for s in passive] == [120, 120, 120]
        assert [s.round for s in passive] == [1, 2, 3]


def test_order_test_warmup_then_left_rounds_switch_right_rounds_then_test() -> None:
    steps = hip_ir().steps
    kinds = [s.kind for s in steps]
    # The test before the drill (left, right), so the session shows its gain.
    assert kinds[:2] == [PhaseKind.MEASURE, PhaseKind.MEASURE]
    assert [s.side for s in steps[:2]] == [Side.LEFT, Side.RIGHT]
    assert kinds[2:6] == [PhaseKind.CARS] * 4
    first_switch = kinds.index(PhaseKind.SWITCH)
    assert all(s.side is Side.LEFT for s in steps[6:first_switch])
    assert steps[first_switch].side is Side.RIGHT
    assert all(s.side is Side.RIGHT for s in steps[first_switch + 1 : -2])
    assert kinds[-2:] == [PhaseKind.MEASURE, PhaseKind.MEASURE]
    assert [s.side for s in steps[-2:]] == [Side.LEFT, Side.RIGHT]


def test_total_is_sum_of_steps() -> None:
    timeline = hip_ir()
    # tests 2 x 30, warm-up 4 x 30, per side 3 x (120+20+15) + 2 rests of 20, switch 20,
    # tests 2 x 30
    assert timeline.total_seconds == 2 * 30 + 4 * 30 + 2 * (3 * 155 + 2 * 20) + 20 + 2 * 30
    assert timeline.starts[1] == 30


@pytest.mark.parametrize("path", sorted(ROUTINES.glob("*.toml")), ids=lambda p: p.stem)
def test_the_start_screens_total_is_the_sessions(path: Path) -> None:
    routine = load_routine(path)
    assert planned_seconds(routine) == build_timeline(routine).total_seconds


def test_announcement_reads_naturally() -> None:
    timeline = hip_ir()
    passive = next(s for s in timeline.steps if s.kind is PhaseKind.PASSIVE)
    assert passive.cues[0].text.startswith(
        "Left side, round one of three. Passive hold, two minutes. Let your knee fall inward"
    )
    assert "120" not in " ".join(c.text for s in timeline.steps for c in s.cues)


def test_cue_kinds_present() -> None:
    timeline = hip_ir()
    passive = next(s for s in timeline.steps if s.kind is PhaseKind.PASSIVE)
    texts = {c.kind: c.text for c in passive.cues}
    assert texts[CueKind.HALFWAY] == "Halfway. One minute left."
    assert [c.text for c in passive.cues if c.kind is CueKind.COUNTDOWN] == [
        "Three.",
        "Two.",
        "One.",
    ]
    pail = next(s for s in timeline.steps if s.kind is PhaseKind.PAIL)
    ramp = [(c.offset_in(pail.seconds), c.text) for c in pail.cues if c.kind is CueKind.RAMP]
    assert ramp == [
        (pytest.approx(6.667, abs=1e-3), "Build to half effort."),
        (15.0, "Now maximum. Hold it."),
    ]
    switch = next(s for s in timeline.steps if s.kind is PhaseKind.SWITCH)
    assert switch.cues[0].kind is CueKind.SWITCH
    assert switch.cues[0].text.startswith("Switch sides. Right side next.")
    last = timeline.steps[-1]
    assert last.cues[-1].kind is CueKind.COMPLETE
    assert last.cues[-1].offset_in(last.seconds) == last.seconds


def test_extra_round_for_weaker_side() -> None:
    routine = load_routine(ROUTINES / "hip-ir-lying.toml")
    plain = build_timeline(routine)
    extra = build_timeline(routine, extra_round_side=Side.RIGHT)
    right_passive = [s for s in extra.steps if s.kind is PhaseKind.PASSIVE and s.side is Side.RIGHT]
    assert len(right_passive) == 4
    assert extra.total_seconds == plain.total_seconds + 155 + 20


def test_durations_spoken_and_shown() -> None:
    assert spoken_duration(120) == "two minutes"
    assert spoken_duration(90) == "a minute and a half"
    assert spoken_duration(150) == "two and a half minutes"
    assert spoken_duration(75) == "one minute fifteen seconds"
    assert spoken_duration(1) == "one second"
    assert spoken_duration(45) == "forty-five seconds"
    assert display_duration(125) == "2:05"
    assert display_duration(3725) == "1:02:05"
    assert display_duration(-3) == "0:00"


def test_phrases_are_distinct_and_complete() -> None:
    timeline = hip_ir()
    phrases = timeline.phrases()
    assert len(phrases) == len(set(phrases))
    assert "Session complete. Well done." in phrases


def test_lead_in_gets_ready_for_the_first_step() -> None:
    from timer_app.core.timeline import lead_in_timeline

    lead = lead_in_timeline(hip_ir(), 10)
    (step,) = lead.steps
    assert (step.name, step.seconds, step.side) == ("Get ready", 10, Side.LEFT)
    texts = [c.text for c in step.cues]
    assert texts == [
        "Get ready. First: left side, Block-height test (before).",
        "Three.",
        "Two.",
        "One.",
    ]
    assert [c.text for c in lead_in_timeline(hip_ir(), 5).steps[0].cues] == [texts[0]]
