"""The drill comparison as text in the user's unit: one row per routine, and a verdict.

One formatter for every place the comparison is shown (``timer-app --which-drill``, the
history window's *Which drill works* tab, the PDF report), so they always agree. Imports no
Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from timer_app.core import units
from timer_app.core.drill_comparison import (
    MIN_SESSIONS,
    DrillComparison,
    DrillFigures,
    SideFigures,
)
from timer_app.core.routine import Side

#: Shown for a figure that cannot be computed (no sessions measured before and after).
NO_FIGURE = "–"
#: Appended to a figure resting on fewer than MIN_SESSIONS sessions.
FEW_MARK = "*"
HEADERS = (
    "#",
    "id",
    "drill",
    "sessions",
    "gain L",
    "gain R",
    "4 wk L",
    "4 wk R",
    "gap R−L",
)


def signed(value_cm: float, unit: str, block_cm: float) -> str:
    """A difference in cm as a signed number in ``unit`` with the column's decimals:
    "+0.75", "−1.50", "0.00" in blocks."""
    return units.column_number(units.from_cm(value_cm, unit, block_cm), signed=True)


@dataclass(frozen=True)
class DrillRow:
    """One routine's figures as text (numbers in the unit, without it)."""

    rank: str
    routine_id: str
    name: str
    sessions: str
    gain_left: str
    gain_right: str
    change_left: str
    change_right: str
    gap: str
    #: A plain sentence when a figure rests on too few sessions, else "".
    caveat: str
    #: Mean gains in the unit, for bar charts (None when not measured).
    gain_values: tuple[float | None, float | None]

    @property
    def cells(self) -> tuple[str, ...]:
        """The row's cells, in the order of :data:`HEADERS`."""
        return (
            self.rank,
            self.routine_id,
            self.name,
            self.sessions,
            self.gain_left,
            self.gain_right,
            self.change_left,
            self.change_right,
            self.gap,
        )


def _figure(value_cm: float | None, reliable: bool, unit: str, block_cm: float) -> str:
    if value_cm is None:
        return NO_FIGURE
    return signed(value_cm, unit, block_cm) + ("" if reliable else FEW_MARK)


def _in_unit(value_cm: float | None, unit: str, block_cm: float) -> float | None:
    if value_cm is None:
        return None
    return value_cm / units.to_cm(1.0, unit, block_cm)


def caveat(drill: DrillFigures) -> str:
    """The plain warning for a routine whose figures rest on too few sessions, or ""."""
    if not drill.sessions:
        return "no session measured both before and after yet"
    if drill.is_reliable and drill.left.gain_is_reliable and drill.right.gain_is_reliable:
        return ""
    left, right = drill.left.paired_sessions, drill.right.paired_sessions
    if left == right:
        return (
            f"the gain rests on {_sessions(left)}: fewer than {MIN_SESSIONS}, too few to trust yet"
        )
    # One side measured more often than the other: name only the side that is short.
    parts = [
        f"the {name} side was never measured before and after"
        if count == 0
        else f"the {name} gain rests on {_sessions(count)}, too few to trust yet"
        for name, count in (("left", left), ("right", right))
        if count < MIN_SESSIONS
    ]
    return "; ".join(parts)


def _sessions(count: int) -> str:
    return f"{count} session" + ("" if count == 1 else "s")


def drill_rows(comparison: DrillComparison, unit: str, block_cm: float) -> list[DrillRow]:
    """The comparison's rows, best first, numbers in ``unit``."""
    rows = []
    for number, drill in enumerate(comparison.drills, start=1):
        left, right = drill.left, drill.right
        rows.append(
            DrillRow(
                rank=str(number) if drill.sessions else "",
                routine_id=drill.routine_id,
                name=drill.name,
                sessions=str(drill.sessions),
                gain_left=_figure(left.mean_gain_cm, left.gain_is_reliable, unit, block_cm),
                gain_right=_figure(right.mean_gain_cm, right.gain_is_reliable, unit, block_cm),
                change_left=_change(left, unit, block_cm),
                change_right=_change(right, unit, block_cm),
                gap=NO_FIGURE if drill.gap_cm is None else signed(drill.gap_cm, unit, block_cm),
                caveat=caveat(drill),
                gain_values=(
                    _in_unit(left.mean_gain_cm, unit, block_cm),
                    _in_unit(right.mean_gain_cm, unit, block_cm),
                ),
            )
        )
    return rows


def _change(side: SideFigures, unit: str, block_cm: float) -> str:
    return _figure(side.before_change_cm, side.change_is_reliable, unit, block_cm)


def verdict(comparison: DrillComparison, unit: str, block_cm: float) -> list[str]:
    """One sentence per side: which drill helps it most, and how sure that is."""
    if not comparison.measured:
        return [
            "No session is measured both before and after yet: choose a routine that tests "
            "before and after (every built-in drill does) and record both heights."
        ]
    lines = []
    for side in (Side.LEFT, Side.RIGHT):
        best = comparison.best_for(side)
        label = side.value.capitalize()
        if best is None:
            lines.append(f"{label} side: no session measured before and after.")
            continue
        figures = best.side(side)
        gain_cm = figures.mean_gain_cm or 0.0
        gain = units.format_height(units.from_cm(abs(gain_cm), unit, block_cm), unit)
        sign = "+" if gain_cm >= 0 else "−"
        text = (
            f"{label} side: {best.name} helps most, {sign}{gain} a session on average "
            f"({_sessions(figures.paired_sessions)})"
        )
        if not figures.gain_is_reliable:
            text += f"; fewer than {MIN_SESSIONS} sessions, too few to be sure"
        lines.append(text + ".")
    return lines


def legend(window_days: int) -> list[str]:
    """What the columns mean, one line each."""
    return [
        "gain: after − before within one session, mean over the sessions (L left, R right).",
        f"4 wk: change of the height measured before the drill over the last {window_days} "
        "days: progress that lasted.",
        "gap: right − left at the latest session.",
    ]


def format_table(comparison: DrillComparison, unit: str, block_cm: float) -> str:
    """The comparison as fixed-width text: a title, the table, notes and the verdict."""
    rows = drill_rows(comparison, unit, block_cm)
    unit_words = units.Unit(unit).words
    lines = [
        "Which drill works: mean gain within a session (after − before), best first; "
        f"heights in {unit_words}.",
    ]
    if not rows:
        lines.append("No sessions recorded yet.")
        return "\n".join(lines) + "\n"
    table = [HEADERS, *(row.cells for row in rows)]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(HEADERS))]
    numeric = {0, 3, 4, 5, 6, 7, 8}
    for cells in table:
        padded = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        lines.append("  ".join(padded).rstrip())
    lines.append("")
    lines.extend(legend(comparison.window_days))
    if any(FEW_MARK in cell for row in rows for cell in row.cells):
        lines.append(
            f"{FEW_MARK} rests on fewer than {MIN_SESSIONS} sessions: too few to trust yet."
        )
    lines.extend(f"{row.routine_id}: {row.caveat}." for row in rows if row.caveat)
    lines.append("")
    lines.extend(verdict(comparison, unit, block_cm))
    return "\n".join(lines) + "\n"
