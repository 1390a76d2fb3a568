"""What the history chart plots, computed without Qt: per side, height over time, the
asymmetry (right − left) and the sessions that set a new personal best.

Kept apart from the drawing so tests can check the numbers, and so the chart widget only
hands arrays to pyqtgraph. numpy is imported here because the chart needs it anyway (it
comes with pyqtgraph, which is loaded only when the history window opens).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from timer_app.core import units
from timer_app.core.routine import Side
from timer_app.storage.history import SessionRecord
from timer_app.ui.history_model import shown_result

FloatArray = npt.NDArray[np.float64]


def _empty() -> FloatArray:
    return np.zeros(0, dtype=np.float64)


@dataclass
class SideSeries:
    """One side's heights over time: x in Unix seconds, y in the display unit."""

    x: FloatArray = field(default_factory=_empty)
    y: FloatArray = field(default_factory=_empty)
    #: The sessions that beat every earlier one (the first measurement is not counted).
    best_x: FloatArray = field(default_factory=_empty)
    best_y: FloatArray = field(default_factory=_empty)

    @property
    def best(self) -> float | None:
        """The personal best in the display unit, or None with no data."""
        return float(self.y.max()) if len(self.y) else None


@dataclass
class ChartSeries:
    """Everything one routine's chart shows, in the user's unit."""

    unit: str
    left: SideSeries
    right: SideSeries
    #: Sessions with both sides measured: x, right − left (display unit) and as % of the
    #: better side.
    asym_x: FloatArray = field(default_factory=_empty)
    asym_y: FloatArray = field(default_factory=_empty)
    asym_percent: FloatArray = field(default_factory=_empty)

    @property
    def sessions(self) -> int:
        """How many sessions have at least one side plotted."""
        return len(np.union1d(self.left.x, self.right.x))


def _side_series(x: list[float], y: list[float]) -> SideSeries:
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if len(ys) < 2:
        return SideSeries(xs, ys)
    # A new best beats the maximum of everything before it (strictly).
    previous_max = np.maximum.accumulate(ys)[:-1]
    is_best = np.concatenate(([False], ys[1:] > previous_max))
    return SideSeries(xs, ys, xs[is_best], ys[is_best])


def chart_series(
    records: Iterable[SessionRecord],
    unit: str,
    block_cm: float = units.DEFAULT_BLOCK_HEIGHT_CM,
) -> ChartSeries:
    """Series for ``records`` (one routine's sessions, any order), oldest first."""
    factor = units.to_cm(1.0, unit, block_cm)
    points: dict[Side, tuple[list[float], list[float]]] = {
        Side.LEFT: ([], []),
        Side.RIGHT: ([], []),
    }
    asym_x: list[float] = []
    left_both: list[float] = []
    right_both: list[float] = []
    for record in sorted(records, key=lambda r: r.started_at):
        t = record.started_at.timestamp()
        values: dict[Side, float] = {}
        for side in (Side.LEFT, Side.RIGHT):
            entry = shown_result(record, side)
            if entry is not None:
                values[side] = entry.value_cm
                points[side][0].append(t)
                points[side][1].append(entry.value_cm)
        if len(values) == 2:
            asym_x.append(t)
            left_both.append(values[Side.LEFT])
            right_both.append(values[Side.RIGHT])
    left_cm = np.asarray(left_both, dtype=np.float64)
    right_cm = np.asarray(right_both, dtype=np.float64)
    better = np.maximum(left_cm, right_cm)
    diff = right_cm - left_cm
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(better > 0, 100.0 * diff / better, 0.0)
    left_x, left_y = points[Side.LEFT]
    right_x, right_y = points[Side.RIGHT]
    return ChartSeries(
        unit=unit,
        left=_side_series(left_x, [v / factor for v in left_y]),
        right=_side_series(right_x, [v / factor for v in right_y]),
        asym_x=np.asarray(asym_x, dtype=np.float64),
        asym_y=diff / factor,
        asym_percent=percent,
    )
