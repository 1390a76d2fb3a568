"""The weaker side gets an extra round when it is at least half a block behind."""

from __future__ import annotations

import pytest

from tests.unit.core.helpers import simple_routine
from timer_app.core.routine import Side, SidesMode
from timer_app.core.timeline import build_timeline
from timer_app.core.weaker_side import blocks_phrase, extra_round_for, find_weaker_side

BLOCK = 7.5  # cm, the settings default


def test_left_two_blocks_behind_gets_the_message_from_the_brief() -> None:
    verdict = find_weaker_side({Side.LEFT: 15.0, Side.RIGHT: 30.0}, BLOCK)
    assert verdict is not None
    assert verdict.side is Side.LEFT
    assert verdict.behind_blocks == pytest.approx(2.0)
    assert verdict.message == "Left is 2 blocks behind: one extra round on the left"


def test_exactly_half_a_block_counts_and_just_under_does_not() -> None:
    at_threshold = find_weaker_side({Side.LEFT: 30.0, Side.RIGHT: 26.25}, BLOCK)
    assert at_threshold is not None
    assert at_threshold.side is Side.RIGHT
    assert at_threshold.message == "Right is half a block behind: one extra round on the right"
    assert find_weaker_side({Side.LEFT: 30.0, Side.RIGHT: 26.3}, BLOCK) is None


@pytest.mark.parametrize(
    "latest",
    [{}, {Side.LEFT: 10.0}, {Side.RIGHT: 10.0}, {Side.LEFT: 20.0, Side.RIGHT: 20.0}],
)
def test_no_verdict_without_both_results_or_without_a_gap(latest: dict[Side, float]) -> None:
    assert find_weaker_side(latest, BLOCK) is None


def test_a_nonsense_block_height_gives_no_verdict() -> None:
    assert find_weaker_side({Side.LEFT: 0.0, Side.RIGHT: 30.0}, 0.0) is None


@pytest.mark.parametrize(
    ("blocks", "phrase"),
    [
        (0.5, "half a block"),
        (0.9, "1 block"),
        (1.0, "1 block"),
        (1.6, "1.5 blocks"),
        (3, "3 blocks"),
    ],
)
def test_gap_is_said_to_the_nearest_half_block(blocks: float, phrase: str) -> None:
    assert blocks_phrase(blocks) == phrase


def test_applies_only_when_the_routine_asks_and_works_both_sides() -> None:
    latest = {Side.LEFT: 15.0, Side.RIGHT: 30.0}
    both = simple_routine(rounds=2, sides=SidesMode.BOTH)
    assert extra_round_for(both, latest, BLOCK) is None  # option off
    opted_in = both.with_changes(extra_round_for_weaker_side=True)
    verdict = extra_round_for(opted_in, latest, BLOCK)
    assert verdict is not None and verdict.side is Side.LEFT
    one_side = simple_routine(rounds=2, sides=SidesMode.RIGHT).with_changes(
        extra_round_for_weaker_side=True
    )
    assert extra_round_for(one_side, latest, BLOCK) is None


def test_the_verdict_gives_the_weaker_side_one_more_round_in_the_timeline() -> None:
    routine = simple_routine(rounds=2, sides=SidesMode.BOTH).with_changes(
        extra_round_for_weaker_side=True
    )
    verdict = extra_round_for(routine, {Side.LEFT: 30.0, Side.RIGHT: 15.0}, BLOCK)
    assert verdict is not None
    steps = build_timeline(routine, extra_round_side=verdict.side).steps
    rounds = {
        side: max(s.round for s in steps if s.side is side) for side in Side if side.value != "none"
    }
    assert rounds == {Side.LEFT: 2, Side.RIGHT: 3}
