"""The start screen: pick a routine, see what it holds, start it with one key.

Routines are listed with their total duration; the panel beside the list shows the key
durations (passive, PAIL, RAIL, rounds) so the user knows what they are about to do. A user file
that fails to load is listed with its error instead of vanishing.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.cues import display_duration
from timer_app.core.library import RoutineEntry
from timer_app.core.routine import PhaseKind, Routine, SidesMode
from timer_app.core.timeline import planned_seconds
from timer_app.ui.enum_property import set_enum_property
from timer_app.ui.plain_text import plain_label, plain_tooltip
from timer_app.ui.voice_switch import VoiceCommandsSwitch


def _scaled(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def _scrolling(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def routine_summary(routine: Routine) -> list[tuple[str, str]]:
    """The key facts of a routine as (label, value) rows for the details panel."""
    rows: list[tuple[str, str]] = []
    if routine.warmup is not None:
        w = routine.warmup
        where = "each side" if w.per_side else "once"
        rows.append(("Warm-up", f"CARs {w.reps} × {w.seconds_per_rep} s, each direction, {where}"))
    for phase in routine.main.phases:
        value = display_duration(phase.seconds)
        if phase.kind is PhaseKind.PAIL and phase.ramp is not None:
            r = phase.ramp
            value += f"  (effort {r.start_percent}→{r.end_percent}% over {r.seconds} s)"
        rows.append((phase.display_name, value))
    main = routine.main
    if main.rest_between_rounds:
        rows.append(("Rest between rounds", display_duration(main.rest_between_rounds)))
    if main.sides is SidesMode.BOTH:
        sides = f"{main.first_side.value.capitalize()} first, then {main.first_side.other.value}"
    else:
        sides = f"{main.sides.value.capitalize()} only"
    rows.append(("Rounds", f"{main.rounds} per side"))
    rows.append(("Sides", sides))
    if routine.measurement is not None:
        rows.append(("Measure", f"{routine.measurement.when.value} ({routine.measurement.unit})"))
    return rows


class StartScreen(QWidget):
    """Routine list + details + Start button. Enter starts the selected routine."""

    start_requested = Signal(object)  # RoutineEntry
    selection_changed = Signal(object)  # RoutineEntry | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[RoutineEntry] = []
        self._totals: list[int] = []
        self._lead_in = 0

        title = plain_label("Choose a routine")
        title.setFont(_scaled(self, 1.8, bold=True))
        self.routine_list = QListWidget()
        self.routine_list.setFont(_scaled(self, 1.35))
        self.routine_list.setSpacing(4)
        self.routine_list.setWordWrap(True)
        self.routine_list.setAccessibleName("Routines")
        self.routine_list.currentRowChanged.connect(self._on_row)
        self.routine_list.itemActivated.connect(lambda _item: self.request_start())

        self.name_label = plain_label()
        self.name_label.setFont(_scaled(self, 1.7, bold=True))
        self.name_label.setWordWrap(True)
        self.description_label = plain_label()
        self.description_label.setWordWrap(True)
        self.description_label.setFont(_scaled(self, 1.15))
        self.details = QFormLayout()
        self.details.setHorizontalSpacing(18)
        self.details.setVerticalSpacing(6)
        self.total_label = plain_label()
        self.total_label.setFont(_scaled(self, 1.6, bold=True))
        self.note_label = plain_label()
        self.note_label.setWordWrap(True)
        self.note_label.setFont(_scaled(self, 1.2, bold=True))
        self.note_label.setStyleSheet(
            "color: #1a1a1a; background: #ffd54f; border-radius: 6px; padding: 6px;"
        )
        self.note_label.hide()
        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        # Not Qt.TextInteractionFlag: the Qt namespace waits for the first paint.
        set_enum_property(self.error_label, "textInteractionFlags", "TextSelectableByMouse")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        self.start_button = QPushButton("Start   (Enter)")
        self.start_button.setFont(_scaled(self, 2.0, bold=True))
        self.start_button.setMinimumHeight(72)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button.setStyleSheet(
            "QPushButton { background: #0b3d7a; color: white; border-radius: 10px; }"
            "QPushButton:disabled { background: #9e9e9e; color: #f5f5f5; }"
        )
        self.start_button.clicked.connect(self.request_start)

        # Overview and quick adjustments share one tabbed area that scrolls, so a small
        # window (800x480) squeezes nothing: the Start button always stays in view.
        overview = QWidget()
        overview_box = QVBoxLayout(overview)
        overview_box.addWidget(self.description_label)
        overview_box.addSpacing(6)
        overview_box.addLayout(self.details)
        overview_box.addWidget(self.error_label)
        overview_box.addStretch(1)
        adjust = QWidget()
        self.side_panel = QVBoxLayout(adjust)  # the quick-adjust panel goes here
        self.tabs = QTabWidget()
        self.tabs.setFont(_scaled(self, 1.1))
        self.tabs.addTab(_scrolling(overview), "Overview")
        self.tabs.addTab(_scrolling(adjust), "Adjust times")

        details_box = QVBoxLayout()
        details_box.addWidget(self.name_label)
        details_box.addWidget(self.tabs, 1)
        details_box.addWidget(self.total_label)
        details_box.addWidget(self.note_label)
        self.voice_switch = VoiceCommandsSwitch()
        self.voice_switch.check.setFont(_scaled(self, 1.1))
        details_box.addWidget(self.voice_switch)
        details_box.addWidget(self.start_button)

        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(self.routine_list, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(24)
        layout.addLayout(left, 5)
        layout.addLayout(details_box, 6)

    # ---------------------------------------------------------------- content
    def set_routines(self, entries: list[RoutineEntry], selected_id: str = "") -> None:
        """Fill the list; select ``selected_id`` if present, else the first routine."""
        self._entries = list(entries)
        # One total per routine: the list and the details panel both show it.
        self._totals = [
            planned_seconds(e.routine) if e.routine is not None else 0 for e in self._entries
        ]
        self.routine_list.blockSignals(True)
        self.routine_list.clear()
        select_row = 0
        for row, entry in enumerate(self._entries):
            if entry.routine is not None:
                total = self._totals[row]
                mark = "  ✎" if not entry.builtin else ""
                text = f"{entry.routine.name}{mark}\n{display_duration(total)}"
                if entry.id == selected_id:
                    select_row = row
            else:
                text = f"{entry.path.name}\n⚠ cannot be loaded"
            item = QListWidgetItem(text)
            description = entry.routine.description if entry.routine is not None else ""
            item.setToolTip(plain_tooltip(f"{description}\n{entry.path}".strip()))
            self.routine_list.addItem(item)
        self.routine_list.blockSignals(False)
        if self._entries and self.routine_list.currentRow() != select_row:
            self.routine_list.setCurrentRow(select_row)  # shows its details (currentRowChanged)
        else:
            self._on_row(select_row if self._entries else -1)

    def set_lead_in(self, seconds: int) -> None:
        """The "Get ready" before each session: named beside the total, not added to it, so
        the total here is the one the session screen counts down."""
        if seconds != self._lead_in:
            self._lead_in = seconds
            if self._entries:
                self._on_row(self.routine_list.currentRow())

    def selected_entry(self) -> RoutineEntry | None:
        row = self.routine_list.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def select_routine(self, routine_id: str) -> bool:
        for row, entry in enumerate(self._entries):
            if entry.routine is not None and entry.id == routine_id:
                self.routine_list.setCurrentRow(row)
                return True
        return False

    def set_note(self, text: str) -> None:
        """A line about the selected routine, e.g. the weaker side's extra round."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def request_start(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.routine is not None:
            self.start_requested.emit(entry)

    def focus_list(self) -> None:
        self.routine_list.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self.request_start()
            return
        super().keyPressEvent(event)

    # ---------------------------------------------------------------- details
    def _on_row(self, row: int) -> None:
        while self.details.rowCount():
            self.details.removeRow(0)
        entry = self._entries[row] if 0 <= row < len(self._entries) else None
        routine = entry.routine if entry is not None else None
        self.start_button.setEnabled(routine is not None)
        self.error_label.setVisible(entry is not None and entry.error is not None)
        if entry is None:
            self.name_label.setText("No routines found")
            self.description_label.setText("")
            self.total_label.setText("")
        elif routine is None:
            self.name_label.setText(entry.path.name)
            self.description_label.setText("This routine file has errors:")
            self.error_label.setText(str(entry.error))
            self.total_label.setText("")
        else:
            origin = "Built-in" if entry.builtin else "Your routine"
            if entry.overrides_builtin:
                origin = "Built-in, with your changes"
            self.name_label.setText(routine.name)
            self.description_label.setText(f"{routine.description}\n{origin}".strip())
            for label, value in routine_summary(routine):
                key = plain_label(label)
                key.setFont(_scaled(self, 1.15))
                val = plain_label(value)
                val.setFont(_scaled(self, 1.15, bold=True))
                val.setWordWrap(True)
                self.details.addRow(key, val)
            total = f"Total {display_duration(self._totals[row])}"
            if self._lead_in > 0:
                total += f", after a {display_duration(self._lead_in)} get ready"
            self.total_label.setText(total)
        self.selection_changed.emit(entry)
