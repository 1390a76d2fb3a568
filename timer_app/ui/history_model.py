"""The table behind the history window: one row per session, values in the user's unit.

Rows are computed lazily (only the rows on screen are ever formatted) and sorting is done
here, in Python, on one precomputed key per row: a ``QSortFilterProxyModel`` asked to sort
7,300 rows calls ``data()`` through the Python binding ~190,000 times (0.85 s measured),
while ``sorted()`` on a key list takes a few ms. The proxy still does the routine filter,
and forwards the view's sort requests here (:class:`HistoryProxy`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from timer_app.core import units
from timer_app.core.cues import display_duration
from timer_app.core.results import ResultEntry
from timer_app.core.routine import Side
from timer_app.core.routine_file import RoutineError
from timer_app.storage.records import SessionRecord

_Index = QModelIndex | QPersistentModelIndex

#: Item data role holding the session's routine id (the proxy filters on it).
ROUTINE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Item data role holding the session id.
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 2

STATUS_TEXT = {
    "running": "running",
    "completed": "completed",
    "stopped": "stopped early",
    "interrupted": "interrupted",
    "discarded": "discarded",
}


class Column(IntEnum):
    """Columns of the history table, in order."""

    DATE = 0
    ROUTINE = 1
    DONE = 2
    LEFT = 3
    RIGHT = 4
    ASYMMETRY = 5
    ASYMMETRY_PERCENT = 6
    PAIN = 7
    STATUS = 8
    NOTE = 9


HEADERS = {
    Column.DATE: ("Date", "When the session started (local time)"),
    Column.ROUTINE: ("Routine", ""),
    Column.DONE: ("Done", "Time exercised (pauses not counted)"),
    Column.LEFT: ("Left", "Height reached after the drill"),
    Column.RIGHT: ("Right", "Height reached after the drill"),
    Column.ASYMMETRY: ("R − L", "Asymmetry: right minus left"),
    Column.ASYMMETRY_PERCENT: (
        "R − L %",
        "Asymmetry as a percentage of the better side: (right − left) / max(left, right)",
    ),
    Column.PAIN: ("Pain", "Highest pain score given (0–10)"),
    Column.STATUS: ("Status", ""),
    Column.NOTE: ("Note", ""),
}

_NUMERIC = {
    Column.DONE,
    Column.LEFT,
    Column.RIGHT,
    Column.ASYMMETRY,
    Column.ASYMMETRY_PERCENT,
    Column.PAIN,
}


def shown_result(record: SessionRecord, side: Side) -> ResultEntry | None:
    """The result the table and chart show for ``side``: the one measured after the drill,
    or the "before" one when the routine only measures before."""
    after = None
    before = None
    for entry in record.results:
        if entry.side is side:
            if entry.when == "after":
                after = entry
            else:
                before = entry
    return after or before


def asymmetry(left_cm: float | None, right_cm: float | None) -> tuple[float, float] | None:
    """(right − left in cm, the same as % of the better side), or None if a side is missing."""
    if left_cm is None or right_cm is None:
        return None
    best = max(left_cm, right_cm)
    percent = 0.0 if best <= 0 else 100.0 * (right_cm - left_cm) / best
    return right_cm - left_cm, percent


def sides_of(record: SessionRecord) -> list[Side]:
    """The sides the session worked: from the routine it ran, else from its results."""
    try:
        return list(record.routine().main.side_order)
    except (RoutineError, KeyError, TypeError, ValueError):
        sides = {e.side for e in record.results}
        return [s for s in (Side.LEFT, Side.RIGHT) if s in sides or not sides]


def when_to_edit(record: SessionRecord) -> str:
    """Which results editing changes: "after", unless the session only has "before" ones
    and its routine does not measure after."""
    whens = {e.when for e in record.results}
    if "after" in whens or "before" not in whens:
        return "after"
    try:
        measurement = record.routine().measurement
    except (RoutineError, KeyError, TypeError, ValueError):
        measurement = None
    return "before" if measurement is None or not measurement.after else "after"


def status_text(record: SessionRecord) -> str:
    """What the Status column says, e.g. "completed" or "results pending"."""
    if record.results_pending:
        return "results pending"
    return STATUS_TEXT.get(str(record.status), str(record.status))


@dataclass
class _Row:
    """Formatted cells of one session, computed the first time the row is painted."""

    text: list[str]
    tooltips: list[str]


class HistoryTableModel(QAbstractTableModel):
    """Sessions as table rows. ``set_records`` replaces them; values follow ``unit``."""

    def __init__(self, unit: str = "blocks", block_cm: float = units.DEFAULT_BLOCK_HEIGHT_CM):
        super().__init__()
        self._records: list[SessionRecord] = []
        self._rows: list[_Row | None] = []
        self._unit = unit
        self._block_cm = block_cm
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- content ---------------------------------------------------------------------------

    def set_records(self, records: Sequence[SessionRecord]) -> None:
        """Show ``records`` in the given order (the store gives newest first)."""
        self.beginResetModel()
        self._records = list(records)
        self._rows = [None] * len(self._records)
        self.endResetModel()

    def set_unit(self, unit: str, block_cm: float) -> None:
        """Show values in another unit (or with another block thickness)."""
        self._unit, self._block_cm = unit, block_cm
        self._rows = [None] * len(self._records)
        if self._records:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._records) - 1, len(Column) - 1)
            )

    def record(self, row: int) -> SessionRecord:
        """The session shown in source row ``row``."""
        return self._records[row]

    def records(self) -> list[SessionRecord]:
        """All sessions, in the current row order."""
        return list(self._records)

    def row_of(self, session_id: int) -> int | None:
        """Source row of a session, or None."""
        for row, record in enumerate(self._records):
            if record.id == session_id:
                return row
        return None

    def format_cm(self, value_cm: float, signed: bool = False, with_unit: bool = False) -> str:
        """A height (or difference) in cm as a number in the table's unit; the unit itself
        is in the column header, so cells stay short (and show the column's decimals); with
        the unit (a tooltip) trailing zeros go."""
        if not with_unit:  # a cell: the column's decimals, whatever the value
            value = units.from_cm(value_cm, self._unit, self._block_cm)
            return units.column_number(value, signed)
        value = units.from_cm(abs(value_cm), self._unit, self._block_cm)
        text = units.format_height(value, self._unit)
        if signed and text.split()[0] != "0":
            text = ("+" if value_cm >= 0 else "−") + text
        return text

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        title, tip = HEADERS[Column(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            if section in (Column.LEFT, Column.RIGHT, Column.ASYMMETRY):
                # The unit on a line of its own: the numbers below are short, and a
                # one-line "Right (blocks)" took the width the routine's name needs.
                return f"{title}\n({units.UNIT_LABELS.get(self._unit, self._unit)})"
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row(row).text[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._row(row).tooltips[column] or None
        if role == ROUTINE_ID_ROLE:
            return self._records[row].routine_id
        if role == SESSION_ID_ROLE:
            return self._records[row].id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._records[row].results_pending:
            return self._italic
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder rows by ``column``; sessions without a value stay at the bottom."""
        if not 0 <= column < len(Column):
            return
        key = _SORT_KEYS[Column(column)]
        keyed = [(key(r), r) for r in self._records]
        present = [(k, r) for k, r in keyed if k is not None]
        missing = [r for k, r in keyed if k is None]
        # Stable sort on the key only (records are not comparable).
        present.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        new_order = [r for _k, r in present] + missing
        self.layoutAboutToBeChanged.emit()
        old_order = self._records
        old_row_of = {id(r): i for i, r in enumerate(old_order)}
        new_row_of = {id(r): i for i, r in enumerate(new_order)}
        self._rows = [self._rows[old_row_of[id(r)]] for r in new_order]
        self._records = new_order
        # Keep the selection and current row on the same sessions.
        old_persistent = self.persistentIndexList()
        moved = [
            self.index(new_row_of[id(old_order[index.row()])], index.column())
            for index in old_persistent
        ]
        self.changePersistentIndexList(old_persistent, moved)
        self.layoutChanged.emit()

    # -- formatting ------------------------------------------------------------------------

    def _row(self, row: int) -> _Row:
        cached = self._rows[row]
        if cached is None:
            cached = self._rows[row] = self._format(self._records[row])
        return cached

    def _format(self, record: SessionRecord) -> _Row:
        text = [""] * len(Column)
        tips = [""] * len(Column)
        local = record.started_at.astimezone()
        text[Column.DATE] = local.strftime("%Y-%m-%d %H:%M")
        tips[Column.DATE] = local.strftime("%A %d %B %Y, %H:%M")
        text[Column.ROUTINE] = record.routine_name
        # The full name, which a narrow column cuts off ("Hip internal rotation, lyi…").
        tips[Column.ROUTINE] = f"{record.routine_name} ({record.routine_id})"
        text[Column.DONE] = display_duration(record.done_seconds)
        tips[Column.DONE] = f"planned {display_duration(record.planned_seconds)}"
        left = shown_result(record, Side.LEFT)
        right = shown_result(record, Side.RIGHT)
        for column, entry in ((Column.LEFT, left), (Column.RIGHT, right)):
            if entry is None:
                text[column] = "…" if record.results_pending else ""
                continue
            text[column] = self.format_cm(entry.value_cm)
            tip = f"{entry.value_cm:.1f} cm"
            if entry.unit != self._unit or entry.unit == "blocks":
                tip += f" (entered as {units.format_height(entry.entered_value, entry.unit)})"
            before = record.result(entry.side, "before") if entry.when == "after" else None
            if before is not None:
                tip += (
                    f"\nbefore: {self.format_cm(before.value_cm, with_unit=True)}"
                    f" ({before.value_cm:.1f} cm)\ngain: "
                    + self.format_cm(entry.value_cm - before.value_cm, signed=True, with_unit=True)
                )
            tips[column] = tip
        asym = asymmetry(
            left.value_cm if left else None,
            right.value_cm if right else None,
        )
        if asym is not None:
            text[Column.ASYMMETRY] = self.format_cm(asym[0], signed=True)
            tips[Column.ASYMMETRY] = f"{asym[0]:+.1f} cm"
            percent = round(asym[1])
            sign = "−" if percent < 0 else "+" if percent > 0 else ""
            text[Column.ASYMMETRY_PERCENT] = f"{sign}{abs(percent)} %"
        pains = {e.side: e.pain for e in record.results if e.pain is not None}
        if pains:
            text[Column.PAIN] = str(max(pains.values()))
            tips[Column.PAIN] = ", ".join(
                f"{side.value}: {pain}" for side, pain in sorted(pains.items())
            )
        notes = list(dict.fromkeys(e.note for e in record.results if e.note))
        text[Column.NOTE] = "; ".join(notes)
        tips[Column.NOTE] = text[Column.NOTE]
        text[Column.STATUS] = status_text(record)
        return _Row(text, tips)


def _height_key(side: Side) -> Callable[[SessionRecord], float | None]:
    def key(record: SessionRecord) -> float | None:
        entry = shown_result(record, side)
        return None if entry is None else entry.value_cm

    return key


def _asym_key(percent: bool) -> Callable[[SessionRecord], float | None]:
    def key(record: SessionRecord) -> float | None:
        left, right = shown_result(record, Side.LEFT), shown_result(record, Side.RIGHT)
        asym = asymmetry(left.value_cm if left else None, right.value_cm if right else None)
        return None if asym is None else asym[1 if percent else 0]

    return key


def _pain_key(record: SessionRecord) -> int | None:
    pains = [e.pain for e in record.results if e.pain is not None]
    return max(pains) if pains else None


def _note_key(record: SessionRecord) -> str | None:
    notes = "; ".join(dict.fromkeys(e.note for e in record.results if e.note))
    return notes.casefold() or None


_SORT_KEYS: dict[Column, Callable[[SessionRecord], Any]] = {
    Column.DATE: lambda r: r.started_at,
    Column.ROUTINE: lambda r: r.routine_name.casefold(),
    Column.DONE: lambda r: r.done_seconds,
    Column.LEFT: _height_key(Side.LEFT),
    Column.RIGHT: _height_key(Side.RIGHT),
    Column.ASYMMETRY: _asym_key(percent=False),
    Column.ASYMMETRY_PERCENT: _asym_key(percent=True),
    Column.PAIN: _pain_key,
    Column.NOTE: _note_key,
    Column.STATUS: status_text,
}


class HistoryProxy(QSortFilterProxyModel):
    """Filters the sessions by routine; sort requests go to the source model (fast)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFilterRole(ROUTINE_ID_ROLE)
        self.setFilterKeyColumn(Column.ROUTINE)
        self._routine_id: str | None = None

    def set_routine(self, routine_id: str | None) -> None:
        """Show only sessions of ``routine_id`` (None: all routines)."""
        self._routine_id = routine_id
        if routine_id is None:
            self.setFilterRegularExpression(QRegularExpression())
        else:
            escaped = QRegularExpression.escape(routine_id)
            self.setFilterRegularExpression(QRegularExpression(f"^{escaped}$"))

    @property
    def routine_id(self) -> str | None:
        """The routine shown, or None for all."""
        return self._routine_id

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)
