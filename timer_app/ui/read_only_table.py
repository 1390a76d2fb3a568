"""The look shared by the app's read-only tables (history, drill comparison): large type, whole
rows selected, no editing, no row numbers, rows as tall as the font."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView

#: Table text size in points: readable from a mat on the floor beside the laptop.
TABLE_POINT_SIZE = 12


def style_read_only_table(table: QTableView) -> None:
    """Give ``table`` the read-only tables' look (its columns are left to the caller)."""
    font = QFont(table.font())
    font.setPointSize(TABLE_POINT_SIZE)
    table.setFont(font)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setHighlightSections(False)
