"""Overview words that follow the numbers (Adjust times)."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import ROUTINES
from timer_app.core.describe import describe_routine, refreshed_description
from timer_app.core.routine_file import load_routine


def test_generated_words_name_the_current_numbers() -> None:
    routine = load_routine(ROUTINES / "quick-hip-check.toml")
    assert describe_routine(routine).startswith(
        "Per side 1 round of a 1:00 passive hold, a 0:15 PAIL and a 0:10 RAIL."
    )


def test_words_with_numbers_are_rewritten_only_when_the_numbers_change() -> None:
    routine = load_routine(ROUTINES / "hip-ir-lying.toml")
    assert refreshed_description(routine, routine) == routine.description
    longer = routine.with_changes(main=replace(routine.main, rounds=2))
    words = refreshed_description(routine, longer)
    assert "three rounds" not in words and "per side 2 rounds of a 2:00 passive hold" in words


def test_words_without_numbers_are_the_authors_and_stay() -> None:
    routine = load_routine(ROUTINES / "hip-ir-lying.toml").with_changes(
        description="Gentle, for a stiff morning."
    )
    longer = routine.with_changes(main=replace(routine.main, rounds=2))
    assert refreshed_description(routine, longer) == "Gentle, for a stiff morning."
