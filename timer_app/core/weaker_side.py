"""Which side gets an extra round: the "give the weaker side one extra round" option.

Rule: a side is weaker when its latest block-height result is lower than the other side's
by **at least half a block**. A smaller gap is within what one measurement varies from day
to day (a foot resting half on a block), so it does not change the session. The option
only applies to routines that set ``extra_round_for_weaker_side`` and work both sides, and
only when both sides have a result.

The results come in centimetres (the history store keeps cm whatever unit was typed); the
message speaks in blocks because that is what the user stacks, e.g.
"Left is 2 blocks behind: one extra round on the left".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from timer_app.core.routine import Routine, Side, SidesMode

#: The gap, in blocks, from which a side counts as weaker.
THRESHOLD_BLOCKS = 0.5


@dataclass(frozen=True)
class WeakerSide:
    """The verdict: which side is behind, by how much, and the sentence to show."""

    side: Side
    behind_cm: float
    behind_blocks: float
    message: str


def blocks_phrase(blocks: float) -> str:
    """A gap in blocks as a person says it, to the nearest half: "half a block",
    "1 block", "1.5 blocks", "2 blocks"."""
    halves = max(1, round(blocks * 2))
    if halves == 1:
        return "half a block"
    value = halves / 2
    shown = f"{value:g}"
    return f"{shown} block" if value == 1 else f"{shown} blocks"


def find_weaker_side(latest_cm: Mapping[Side, float], block_height_cm: float) -> WeakerSide | None:
    """The side at least half a block behind the other, or None (no clear gap, a side
    without a result, or a block height that is not positive)."""
    left = latest_cm.get(Side.LEFT)
    right = latest_cm.get(Side.RIGHT)
    if left is None or right is None or block_height_cm <= 0:
        return None
    gap_cm = abs(left - right)
    gap_blocks = gap_cm / block_height_cm
    # A tiny tolerance so a gap of exactly half a block, stored as floats, still counts.
    if gap_blocks < THRESHOLD_BLOCKS - 1e-9:
        return None
    side = Side.LEFT if left < right else Side.RIGHT
    name = side.value
    message = (
        f"{name.capitalize()} is {blocks_phrase(gap_blocks)} behind: one extra round on the {name}"
    )
    return WeakerSide(side=side, behind_cm=gap_cm, behind_blocks=gap_blocks, message=message)


def extra_round_for(
    routine: Routine, latest_cm: Mapping[Side, float], block_height_cm: float
) -> WeakerSide | None:
    """The weaker side if this routine gives it an extra round, else None.

    Pass ``result.side`` as ``build_timeline(routine, extra_round_side=...)``.
    """
    if not routine.extra_round_for_weaker_side or routine.main.sides is not SidesMode.BOTH:
        return None
    return find_weaker_side(latest_cm, block_height_cm)
