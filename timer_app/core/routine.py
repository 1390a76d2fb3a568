"""The routine model: what a coach writes in a routine file, as immutable data.

A routine has an optional CARs warm-up done once, a main block of phases repeated for a
number of rounds on each side, and optional block-height measurements before and/or after.
Loading and validation live in :mod:`timer_app.core.routine_file`; expansion into timed
steps lives in :mod:`timer_app.core.timeline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from timer_app.core.units import Unit


class PhaseKind(StrEnum):
    """Kinds of timed step. Each has its own colour on screen and its own voice cues."""

    CARS = "cars"
    PASSIVE = "passive"
    PAIL = "pail"
    RAIL = "rail"
    REST = "rest"
    SWITCH = "switch"
    MEASURE = "measure"


#: Kinds a coach may put in the main block's phase list.
MAIN_PHASE_KINDS = (PhaseKind.PASSIVE, PhaseKind.PAIL, PhaseKind.RAIL, PhaseKind.REST)

DEFAULT_PHASE_NAMES: dict[PhaseKind, str] = {
    PhaseKind.CARS: "CARs",
    PhaseKind.PASSIVE: "Passive hold",
    PhaseKind.PAIL: "PAIL",
    PhaseKind.RAIL: "RAIL",
    PhaseKind.REST: "Rest",
    PhaseKind.SWITCH: "Switch sides",
    PhaseKind.MEASURE: "Block-height test",
}


class Side(StrEnum):
    """A body side. ``NONE`` is for steps that belong to no side (a whole-body rest)."""

    LEFT = "left"
    RIGHT = "right"
    NONE = "none"

    @property
    def other(self) -> Side:
        if self is Side.LEFT:
            return Side.RIGHT
        if self is Side.RIGHT:
            return Side.LEFT
        return Side.NONE


class SidesMode(StrEnum):
    """Which sides a routine works."""

    BOTH = "both"
    LEFT = "left"
    RIGHT = "right"


class MeasureWhen(StrEnum):
    """When a routine measures the range: before the drill, after it, or both (a schedule;
    each recorded result is one :class:`timer_app.core.results.When`)."""

    BEFORE = "before"
    AFTER = "after"
    BOTH = "both"


#: The unit a measurement is asked in: the core's one :class:`~timer_app.core.units.Unit`.
MeasureUnit = Unit


@dataclass(frozen=True)
class Ramp:
    """A PAIL effort ramp: effort climbs from ``start_percent`` to ``end_percent`` over
    ``seconds``, then is held at ``end_percent`` to the end of the phase."""

    start_percent: int = 10
    end_percent: int = 100
    seconds: int = 15

    def effort_at(self, elapsed: float) -> float:
        """Target effort in percent, ``elapsed`` seconds into the phase."""
        if self.seconds <= 0 or elapsed >= self.seconds:
            return float(self.end_percent)
        elapsed = max(0.0, elapsed)
        span = self.end_percent - self.start_percent
        return self.start_percent + span * elapsed / self.seconds

    def time_of_effort(self, percent: float) -> float | None:
        """Seconds into the phase at which the ramp reaches ``percent``, or None if never."""
        low, high = sorted((self.start_percent, self.end_percent))
        if not low <= percent <= high or self.start_percent == self.end_percent:
            return None
        return (
            self.seconds * (percent - self.start_percent) / (self.end_percent - self.start_percent)
        )


@dataclass(frozen=True)
class Phase:
    """One phase of the main block, e.g. a 2-minute passive hold."""

    kind: PhaseKind
    seconds: int
    name: str = ""
    instruction: str = ""
    ramp: Ramp | None = None

    @property
    def display_name(self) -> str:
        return self.name or DEFAULT_PHASE_NAMES[self.kind]


@dataclass(frozen=True)
class Warmup:
    """The CARs warm-up, done once before the main block: ``reps`` slow circles of
    ``seconds_per_rep`` in each direction, on each side when ``per_side``."""

    reps: int = 3
    seconds_per_rep: int = 10
    directions: tuple[str, ...] = ("clockwise", "counter-clockwise")
    per_side: bool = True
    name: str = "Hip CARs"
    instruction: str = "Slow, controlled circles. Make each one as big as you can."

    @property
    def seconds_per_direction(self) -> int:
        return self.reps * self.seconds_per_rep


@dataclass(frozen=True)
class MainBlock:
    """The phases repeated for ``rounds`` rounds on each side."""

    phases: tuple[Phase, ...]
    rounds: int = 3
    sides: SidesMode = SidesMode.BOTH
    first_side: Side = Side.LEFT
    rest_between_rounds: int = 0
    switch_sides_seconds: int = 15

    @property
    def side_order(self) -> tuple[Side, ...]:
        if self.sides is SidesMode.LEFT:
            return (Side.LEFT,)
        if self.sides is SidesMode.RIGHT:
            return (Side.RIGHT,)
        return (self.first_side, self.first_side.other)


@dataclass(frozen=True)
class Measurement:
    """A range test: what to ask, in which unit, when, and how long the timed test step is."""

    when: MeasureWhen = MeasureWhen.AFTER
    prompt: str = "How high a stack of blocks did your foot reach?"
    unit: MeasureUnit = MeasureUnit.BLOCKS
    seconds: int = 0
    instruction: str = "Test your range: raise your foot onto the highest stack you can."

    @property
    def before(self) -> bool:
        return self.when in (MeasureWhen.BEFORE, MeasureWhen.BOTH)

    @property
    def after(self) -> bool:
        return self.when in (MeasureWhen.AFTER, MeasureWhen.BOTH)


SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Routine:
    """A complete routine as a coach wrote it. Immutable: edits make a new one."""

    id: str
    name: str
    main: MainBlock
    description: str = ""
    warmup: Warmup | None = None
    measurement: Measurement | None = None
    schema: int = SCHEMA_VERSION
    extra_round_for_weaker_side: bool = False
    #: Where it was loaded from (not part of the file's content).
    source: str = field(default="", compare=False)

    def with_changes(self, **changes: object) -> Routine:
        """A copy with some fields replaced (dataclasses.replace, typed loosely)."""
        return replace(self, **changes)  # type: ignore[arg-type]
