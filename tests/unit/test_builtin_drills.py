"""The built-in drills: the ones the coach's series names, each comparable with the others.

A drill can only be compared with another on the same measure, so every drill asks the
block height before and after; each phase says what to do, because the user hears it lying
on the floor, not reading a screen.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROUTINES
from timer_app.cli import main
from timer_app.core.routine import MeasureWhen, Routine, SidesMode
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline

DRILLS = {
    "hip-ir-lying",
    "hip-er-lying",
    "quick-hip-check",
    "sleeper-hip-rotation",
    "trailing-leg-ir",
    "hip-er-weaker-side",
    "hip-hinge-day",
}


def _load(routine_id: str) -> Routine:
    return load_routine(ROUTINES / f"{routine_id}.toml")


def test_the_series_drills_are_built_in() -> None:
    shipped = {path.stem for path in ROUTINES.glob("*.toml")}
    assert shipped >= DRILLS
    assert len(shipped) >= 6


@pytest.mark.parametrize("routine_id", sorted(DRILLS))
def test_each_drill_checks_ok(routine_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(ROUTINES / f"{routine_id}.toml")
    assert main(["--check-routine", path]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: ok ({routine_id}, total ")


@pytest.mark.parametrize("routine_id", sorted(DRILLS))
def test_each_drill_measures_before_and_after_with_instructions(routine_id: str) -> None:
    routine = _load(routine_id)
    assert routine.measurement is not None
    assert routine.measurement.when is MeasureWhen.BOTH
    assert routine.main.sides is SidesMode.BOTH
    assert routine.description
    for phase in routine.main.phases:
        assert len(phase.instruction.split()) >= 6, phase
    if routine.warmup is not None:
        assert routine.warmup.instruction


def test_sleeper_works_internal_then_external_rotation() -> None:
    names = [p.display_name.lower() for p in _load("sleeper-hip-rotation").main.phases]
    assert "internal" in names[0] and "external" in " ".join(names[3:])


def test_trailing_leg_drill_is_kneeling() -> None:
    routine = _load("trailing-leg-ir")
    assert "kneeling" in routine.name.lower()
    assert "behind you" in routine.main.phases[0].instruction


def test_external_rotation_for_the_lagging_side_gives_it_an_extra_round() -> None:
    routine = _load("hip-er-weaker-side")
    assert routine.extra_round_for_weaker_side
    assert "external" in routine.name.lower()


def test_hip_hinge_day_is_short() -> None:
    total = build_timeline(_load("hip-hinge-day")).total_seconds
    assert 10 * 60 <= total <= 13 * 60


def test_drills_on_one_range_test_share_its_words() -> None:
    """The report charts together the sessions whose test instruction is the same text."""
    internal = {"hip-ir-lying", "quick-hip-check", "sleeper-hip-rotation", "trailing-leg-ir"}
    tests: dict[str, set[str]] = {}
    for routine_id in DRILLS:
        measurement = _load(routine_id).measurement
        assert measurement is not None
        tests.setdefault(measurement.instruction, set()).add(routine_id)
    assert sorted(tests.values(), key=len) == [DRILLS - internal, internal]
