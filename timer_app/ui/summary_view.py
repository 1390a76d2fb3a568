"""The end screen: what the session did (time, skipped steps, pain stops, pauses)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from timer_app.core.cues import display_duration
from timer_app.core.snapshot import SessionSummary
from timer_app.ui.plain_text import plain_label


class SummaryView(QWidget):
    """Shows the outcome of a finished or stopped session. Enter goes back to the routines."""

    done = Signal()
    results_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = plain_label()
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)
        self.facts_label = plain_label()
        self.facts_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.facts_label.setWordWrap(True)
        self.results_label = plain_label()
        self.results_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results_label.setWordWrap(True)
        # Where the results went, when not into the history file (it could not be opened):
        # the end screen is where a person checks that their heights were kept.
        self.storage_label = plain_label()
        self.storage_label.setObjectName("storage_note")
        self.storage_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.storage_label.setWordWrap(True)
        self.storage_label.setStyleSheet(
            "color: #ffffff; background: #b00020; border-radius: 6px; padding: 6px;"
        )
        self.storage_label.hide()
        self.results_button = QPushButton("Record results")
        self.results_button.clicked.connect(self.results_requested)
        self.results_button.hide()
        self.back_button = QPushButton("Back to routines   (Enter)")
        self.back_button.clicked.connect(self.done)
        for label, factor, bold in (
            (self.title_label, 3.0, True),
            (self.facts_label, 1.6, False),
            (self.results_label, 1.6, True),
            (self.storage_label, 1.2, True),
            (self.results_button, 1.5, True),
            (self.back_button, 1.5, True),
        ):
            font = QFont(label.font())
            font.setPointSizeF(max(font.pointSizeF(), 10.0) * factor)
            font.setBold(bold)
            label.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addSpacing(16)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.results_label)
        layout.addSpacing(8)
        layout.addWidget(self.storage_label)
        layout.addStretch(1)
        layout.addWidget(self.results_button)
        layout.addWidget(self.back_button)

    def show_session(self, summary: SessionSummary, routine_name: str) -> None:
        self.title_label.setText(summary.outcome.title())
        facts = [
            routine_name,
            f"Time done: {display_duration(summary.active_seconds)} "
            f"of {display_duration(summary.planned_seconds)} planned",
            f"Steps skipped: {summary.skipped_steps}",
            f"Stopped early for pain: {summary.cut_short_steps}",
            f"Pauses: {summary.pauses}"
            + (f" ({display_duration(summary.paused_seconds)})" if summary.pauses else ""),
        ]
        if summary.stopped_during is not None:
            facts.append(f"Stopped during: {summary.stopped_during.describe_short()}")
        self.facts_label.setText("\n".join(facts))
        self.results_label.setText("")

    def set_results_text(self, text: str) -> None:
        self.results_label.setText(text)

    def set_storage_note(self, text: str) -> None:
        """A warning under the results ("" for none): they are not in the history file."""
        self.storage_label.setText(f"⚠ {text}" if text else "")
        self.storage_label.setVisible(bool(text))

    def set_results_button(self, visible: bool, text: str = "Record results") -> None:
        self.results_button.setText(text)
        self.results_button.setVisible(visible)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.done.emit()
            return
        super().keyPressEvent(event)
