"""The start screen: pick a routine, see what it holds, start it with one key.

Routines are listed with their total duration; the panel beside the list shows the key
durations (passive, PAIL, RAIL, rounds) so the user knows what they are about to do. A user file
that fails to load is listed with its error instead of vanishing.

What is shown comes from :class:`~timer_app.core.listing.ListedRoutine` rows, plain text: at
start-up they may come from the start-screen cache (``show_cached``), with the routines
themselves loaded after the first paint or as soon as anything asks for one
(``selected_entry``), so this module imports nothing of the routine model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

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

from timer_app.core.durations import display_duration
from timer_app.core.listing import ListedRoutine
from timer_app.ui.enum_property import set_enum_property
from timer_app.ui.plain_text import plain_label, plain_tooltip
from timer_app.ui.voice_switch import VoiceCommandsSwitch

if TYPE_CHECKING:
    from timer_app.core.library import RoutineEntry


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


class StartScreen(QWidget):
    """Routine list + details + Start button. Enter starts the selected routine."""

    start_requested = Signal(object)  # RoutineEntry
    selection_changed = Signal(object)  # RoutineEntry | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._listing: list[ListedRoutine] = []  # what the list shows
        # The routines behind the rows; None while only the cached listing is shown, and
        # ``_load`` reads them (then calls set_routines).
        self._entries: list[RoutineEntry] | None = []
        self._load: Callable[[], object] | None = None
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
        from timer_app.core.library import listed

        listing = [listed(entry) for entry in entries]
        if self._entries is None and listing == self._listing:
            # The routines behind a cached listing, as shown: nothing on screen changes, and
            # the selection now has its routine.
            self._entries = list(entries)
            self._load = None
            self._announce(self.routine_list.currentRow())
            return
        self._entries = list(entries)
        self._load = None
        self._show(listing, selected_id)

    def show_cached(
        self, listing: list[ListedRoutine], selected_id: str, load: Callable[[], object]
    ) -> None:
        """Show ``listing`` (from the start-screen cache) before the routines are loaded;
        ``load()`` loads them and calls :meth:`set_routines`, when :meth:`load_routines` or
        anything that needs a routine asks. Until then ``selection_changed`` waits."""
        self._entries = None
        self._load = load
        self._show(listing, selected_id)

    def load_routines(self) -> None:
        """Load the routines behind a cached listing now (nothing to do once loaded)."""
        if self._entries is None and self._load is not None:
            load, self._load = self._load, None
            load()

    def _show(self, listing: list[ListedRoutine], selected_id: str) -> None:
        self._listing = listing
        self.routine_list.blockSignals(True)
        self.routine_list.clear()
        select_row = 0
        for row, item in enumerate(listing):
            if item.loads:
                mark = "  ✎" if not item.builtin else ""
                text = f"{item.name}{mark}\n{display_duration(item.total_seconds)}"
                if item.id == selected_id:
                    select_row = row
            else:
                text = f"{Path(item.path).name}\n⚠ cannot be loaded"
            list_item = QListWidgetItem(text)
            list_item.setToolTip(plain_tooltip(f"{item.description}\n{item.path}".strip()))
            self.routine_list.addItem(list_item)
        self.routine_list.blockSignals(False)
        if listing and self.routine_list.currentRow() != select_row:
            self.routine_list.setCurrentRow(select_row)  # shows its details (currentRowChanged)
        else:
            self._on_row(select_row if listing else -1)

    def set_lead_in(self, seconds: int) -> None:
        """The "Get ready" before each session: named beside the total, not added to it, so
        the total here is the one the session screen counts down."""
        if seconds != self._lead_in:
            self._lead_in = seconds
            if self._listing:
                self._on_row(self.routine_list.currentRow())

    @property
    def listing(self) -> list[ListedRoutine]:
        """What the list shows, row by row."""
        return list(self._listing)

    def selected_entry(self) -> RoutineEntry | None:
        """The selected routine (loaded first if only the cached listing was shown)."""
        self.load_routines()
        entries = self._entries or []
        row = self.routine_list.currentRow()
        return entries[row] if 0 <= row < len(entries) else None

    def selected_id(self) -> str | None:
        """The selected routine's id, without loading anything."""
        row = self.routine_list.currentRow()
        return self._listing[row].id if 0 <= row < len(self._listing) else None

    def select_routine(self, routine_id: str) -> bool:
        for row, item in enumerate(self._listing):
            if item.loads and item.id == routine_id:
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
        item = self._listing[row] if 0 <= row < len(self._listing) else None
        self.start_button.setEnabled(item is not None and item.loads)
        self.error_label.setVisible(item is not None and not item.loads)
        if item is None:
            self.name_label.setText("No routines found")
            self.description_label.setText("")
            self.total_label.setText("")
        elif not item.loads:
            self.name_label.setText(Path(item.path).name)
            self.description_label.setText("This routine file has errors:")
            self.error_label.setText(item.error or "")
            self.total_label.setText("")
        else:
            origin = "Built-in" if item.builtin else "Your routine"
            if item.overrides_builtin:
                origin = "Built-in, with your changes"
            self.name_label.setText(item.name)
            self.description_label.setText(f"{item.description}\n{origin}".strip())
            for label, value in item.rows:
                key = plain_label(label)
                key.setFont(_scaled(self, 1.15))
                val = plain_label(value)
                val.setFont(_scaled(self, 1.15, bold=True))
                val.setWordWrap(True)
                self.details.addRow(key, val)
            total = f"Total {display_duration(item.total_seconds)}"
            if self._lead_in > 0:
                total += f", after a {display_duration(self._lead_in)} get ready"
            self.total_label.setText(total)
        if self._entries is not None:  # else once the routines are loaded (set_routines)
            self._announce(row)

    def _announce(self, row: int) -> None:
        entries = self._entries or []
        self.selection_changed.emit(entries[row] if 0 <= row < len(entries) else None)
