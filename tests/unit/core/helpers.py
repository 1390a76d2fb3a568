"""Small routine builders for core tests."""

from __future__ import annotations

from timer_app.core.routine import MainBlock, Phase, PhaseKind, Ramp, Routine, SidesMode


def simple_routine(
    seconds: tuple[int, ...] = (10, 10),
    rounds: int = 1,
    sides: SidesMode = SidesMode.LEFT,
    switch: int = 0,
) -> Routine:
    kinds = [PhaseKind.PASSIVE, PhaseKind.PAIL, PhaseKind.RAIL, PhaseKind.REST]
    phases = tuple(
        Phase(
            kinds[i % 4],
            s,
            ramp=Ramp(10, 100, max(1, s // 2)) if kinds[i % 4] is PhaseKind.PAIL else None,
        )
        for i, s in enumerate(seconds)
    )
    return Routine(
        id="t",
        name="Test",
        main=MainBlock(phases, rounds=rounds, sides=sides, switch_sides_seconds=switch),
    )
