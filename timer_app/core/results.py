"""A block-height result as the core knows it: one side, before or after the drill.

The one definition the results dialog, the session flow, the history store and the CSV code
share; units come from :class:`timer_app.core.units.Unit`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from timer_app.core.routine import Side
from timer_app.core.units import MAX_HEIGHT_CM, UNITS, Unit, format_height, from_cm

#: Longest note a result may carry, in characters.
MAX_NOTE = 2000


class When(StrEnum):
    """When a result was measured relative to the drill."""

    BEFORE = "before"
    AFTER = "after"


#: The "when" values, as plain text (error messages, CSV checks).
WHENS: tuple[str, ...] = tuple(when.value for when in When)


@dataclass(frozen=True)
class ResultEntry:
    """One measurement: how high the foot reached on one side, before or after the drill.

    ``value_cm`` is canonical; ``entered_value`` and ``unit`` are what the user typed (e.g.
    4 blocks), kept so the history shows it back as entered. Construction validates the
    fields and raises ``ValueError`` naming the bad one.
    """

    side: Side
    value_cm: float
    entered_value: float
    unit: Unit = Unit.BLOCKS
    when: When = When.AFTER
    pain: int | None = None  # 0-10, None when not given
    note: str = ""

    def __post_init__(self) -> None:
        try:
            side = Side(self.side)
        except ValueError:
            side = Side.NONE
        if side not in (Side.LEFT, Side.RIGHT):
            raise ValueError(f"side: must be 'left' or 'right', got {self.side!r}")
        object.__setattr__(self, "side", side)
        for name in ("value_cm", "entered_value"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name}: must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name}: must be 0 or more, got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.value_cm > MAX_HEIGHT_CM:
            raise ValueError(f"value_cm: must be at most {MAX_HEIGHT_CM:g}, got {self.value_cm!r}")
        if self.unit not in UNITS:
            raise ValueError(f"unit: must be one of {', '.join(UNITS)}, got {self.unit!r}")
        if self.when not in WHENS:
            raise ValueError(f"when: must be 'before' or 'after', got {self.when!r}")
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "when", When(self.when))
        if self.pain is not None and (
            isinstance(self.pain, bool)
            or not isinstance(self.pain, int)
            or not 0 <= self.pain <= 10
        ):
            raise ValueError(f"pain: must be a whole number 0-10 or empty, got {self.pain!r}")
        if not isinstance(self.note, str) or len(self.note) > MAX_NOTE:
            raise ValueError(f"note: must be text of at most {MAX_NOTE} characters")


def results_text(results: Sequence[ResultEntry], unit: str, block_height_cm: float) -> str:
    """One line for the end screen, in the user's unit: "Left: 4 blocks (+1 block)   Right: …";
    a side measured only before the drill shows "Left before: 3 blocks"."""

    def shown(cm: float) -> str:
        return format_height(from_cm(cm, unit, block_height_cm), unit)

    parts = []
    for side in (Side.LEFT, Side.RIGHT):
        before = next((r for r in results if r.side is side and r.when == When.BEFORE), None)
        after = next((r for r in results if r.side is side and r.when == When.AFTER), None)
        name = side.value.capitalize()
        if after is not None:
            text = f"{name}: {shown(after.value_cm)}"
            if before is not None:
                gain = after.value_cm - before.value_cm
                text += f" ({'+' if gain >= 0 else '−'}{shown(abs(gain))})"
            parts.append(text)
        elif before is not None:
            parts.append(f"{name} before: {shown(before.value_cm)}")
    return "   ".join(parts)
