"""The history window's *Which drill works* tab: the drill comparison as a table and a bar
chart, which drill helps each side most, and the button that exports the physio report.

The figures come from :mod:`timer_app.core.drill_comparison` and their text from
:mod:`timer_app.core.drill_table`, the same as ``timer-app --which-drill`` prints; the bars
are drawn by :func:`timer_app.report.charts.paint_gain_bars`, the same code as the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timer_app.core import units
from timer_app.core.drill_comparison import MIN_SESSIONS, MeasuredSession, compare_drills
from timer_app.core.drill_table import DrillRow, drill_rows, verdict
from timer_app.report.chart_parts import SCREEN_STYLE
from timer_app.report.charts import paint_gain_bars
from timer_app.ui.read_only_table import style_read_only_table

VERDICT_POINT_SIZE = 13
#: Tall enough for the bars, their labels and two lines of routine names.
BARS_MIN_HEIGHT = 220
#: The table shows this many rows at least, and at most (beyond, it scrolls).
TABLE_MIN_ROWS = 3
TABLE_MAX_ROWS = 8
#: Columns of the on-screen table: (header, tooltip). The routine id stays in the tooltip.
COLUMNS = (
    ("#", "Rank, best mean gain first"),
    ("Drill", "The routine"),
    ("Sessions", "Sessions with a height measured both before and after the drill"),
    ("Gain L", "Left: mean of after − before within a session"),
    ("Gain R", "Right: mean of after − before within a session"),
    ("4 wk L", "Left: change of the height measured before the drill over the last 4 weeks"),
    ("4 wk R", "Right: change of the height measured before the drill over the last 4 weeks"),
    ("Gap R−L", "Right − left at the latest session"),
)


class GainBars(QWidget):
    """The bar chart of mean gains per routine, left and right (a painted widget)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gain_bars")
        self.rows: list[DrillRow] = []
        self.unit = "blocks"
        self.setMinimumHeight(BARS_MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_rows(self, rows: Sequence[DrillRow], unit: str) -> None:
        self.rows = list(rows)
        self.unit = unit
        # A picture says nothing to a screen reader: say the bars in words.
        self.setAccessibleName(f"Mean gain within a session, in {units.Unit(unit).words}")
        self.setAccessibleDescription(
            "; ".join(
                f"{row.name}: left {row.gain_left}, right {row.gain_right}"
                for row in self.rows
                if row.sessions != "0"
            )
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        style = SCREEN_STYLE
        paint_gain_bars(painter, QRectF(self.rect()), self.rows, self.unit, style)
        painter.end()


class DrillComparisonTab(QWidget):
    """Shows a comparison of the sessions given to :meth:`show_sessions`. ``clock`` gives
    "now" for the 4-week window (replace it in tests). Emits ``export_requested`` when the
    user asks for the report."""

    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drill_tab")
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.rows: list[DrillRow] = []

        # Everything in one scrolling column: on a 800x480 screen the verdict and the table
        # show first and the bars are a scroll away; on a larger one nothing scrolls.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("drill_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.content.setObjectName("drill_content")
        self.scroll_area.setWidget(self.content)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(4, 6, 4, 4)
        top = QHBoxLayout()
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.verdict_label.font())
        font.setPointSize(VERDICT_POINT_SIZE)
        font.setBold(True)
        self.verdict_label.setFont(font)
        self.export_button = QPushButton("Export &report…")
        self.export_button.setObjectName("export_report")
        self.export_button.setToolTip(
            "Save a PDF report for your physiotherapist (and the chart as PNG)"
        )
        self.export_button.clicked.connect(self.export_requested)
        top.addWidget(self.verdict_label, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.table = self._build_table()
        self.notes_label = QLabel()
        self.notes_label.setObjectName("drill_notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.bars = GainBars()
        layout.addWidget(self.table)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.bars, 1)

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setObjectName("drill_table")
        style_read_only_table(table)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for column, (title, tip) in enumerate(COLUMNS):
            item = QTableWidgetItem(title)
            item.setToolTip(tip)
            table.setHorizontalHeaderItem(column, item)
            if column != 1:
                sample = "99" if column == 0 else max(title, "+0.25*", key=len)
                table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def show_sessions(
        self, sessions: Sequence[MeasuredSession], unit: str, block_cm: float
    ) -> None:
        """Compare ``sessions`` (any routines, any order) and show the result in ``unit``."""
        comparison = compare_drills(sessions, self.clock())
        self.rows = drill_rows(comparison, unit, block_cm)
        self.verdict_label.setText("\n".join(verdict(comparison, unit, block_cm)))
        self.table.setRowCount(len(self.rows))
        for row_index, row in enumerate(self.rows):
            cells = (
                row.rank,
                row.name,
                row.sessions,
                row.gain_left,
                row.gain_right,
                row.change_left,
                row.change_right,
                row.gap,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(f"{row.routine_id}: {row.caveat}" if row.caveat else row.routine_id)
                self.table.setItem(row_index, column, item)
        # One line on what the columns mean (the header tooltips say more), then the
        # figures too thin to trust, named plainly.
        notes = [
            f"Heights in {units.Unit(unit).words}. Gain: after − before within a session. "
            f"4 wk: change of the before height over {comparison.window_days} days. "
            "Gap: right − left, latest session."
        ]
        if any(row.caveat for row in self.rows):
            notes.append(f"* rests on fewer than {MIN_SESSIONS} sessions: too few to trust yet.")
            notes.extend(f"{row.name}: {row.caveat}." for row in self.rows if row.caveat)
        self.notes_label.setText("\n".join(notes))
        self.bars.set_rows(self.rows, unit)
        # Exactly as tall as its rows (at least TABLE_MIN_ROWS, at most TABLE_MAX_ROWS, then
        # it scrolls): the bars below get the rest of the height.
        shown_rows = max(TABLE_MIN_ROWS, min(len(self.rows), TABLE_MAX_ROWS))
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + shown_rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
