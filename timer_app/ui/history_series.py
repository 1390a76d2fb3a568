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
from timer_app.storage.records import SessionRecord

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


def _side_series(x: list[float], y: FloatArray) -> SideSeries:
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
    """Series for ``records`` (one routine's sessions, any order), oldest first.

    One pass over the results of each session: with 20 years of daily sessions this runs
    every time the window opens, so it avoids per-side lookups (see benchmarks/history_open).
    """
    factor = units.to_cm(1.0, unit, block_cm)
    dated = sorted(((r.started_at.timestamp(), r.results) for r in records), key=_first)
    left_x: list[float] = []
    left_y: list[float] = []
    right_x: list[float] = []
    right_y: list[float] = []
    both_x: list[float] = []
    both_left: list[float] = []
    both_right: list[float] = []
    for t, results in dated:
        # The "after" value wins over the "before" one (see history_model.shown_result).
        left = right = None
        left_after = right_after = False
        for entry in results:
            after = entry.when == "after"
            if entry.side is Side.LEFT and (after or not left_after):
                left, left_after = entry.value_cm, after
            elif entry.side is Side.RIGHT and (after or not right_after):
                right, right_after = entry.value_cm, after
        if left is not None:
            left_x.append(t)
            left_y.append(left)
        if right is not None:
            right_x.append(t)
            right_y.append(right)
        if left is not None and right is not None:
            both_x.append(t)
            both_left.append(left)
            both_right.append(right)
    left_cm = np.asarray(both_left, dtype=np.float64)
    right_cm = np.asarray(both_right, dtype=np.float64)
    better = np.maximum(left_cm, right_cm)
    diff = right_cm - left_cm
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(better > 0, 100.0 * diff / better, 0.0)
    return ChartSeries(
        unit=unit,
        left=_side_series(left_x, np.asarray(left_y, dtype=np.float64) / factor),
        right=_side_series(right_x, np.asarray(right_y, dtype=np.float64) / factor),
        asym_x=np.asarray(both_x, dtype=np.float64),
        asym_y=diff / factor,
        asym_percent=percent,
    )


def _first(pair: tuple[float, object]) -> float:
    return pair[0]
