"""Small dialogs of the main window. Each has a classmethod that tests replace
(pytest-qt's advice for modal dialogs), so no test ever blocks on a modal loop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from timer_app.ui.session_view import CONTROLS, HELP_TEXT


class ConfirmStop:
    """Asks before a session is stopped (Esc) or the window closed during one."""

    @classmethod
    def ask(cls, parent: QWidget | None, quitting: bool = False) -> bool:
        text = "Stop the session and quit?" if quitting else "Stop this session?"
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Mobility Timer")
        box.setText(text)
        box.setInformativeText("Time done so far is kept in your history.")
        stop = box.addButton(
            "Stop" if not quitting else "Stop and quit", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton("Keep going", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stop)
        box.exec()
        return box.clickedButton() is stop


class KeysDialog(QDialog):
    """The one-key controls, large, for F1 / ?."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys — Mobility Timer")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for row, control in enumerate(CONTROLS):
            key = QLabel(" or ".join(_key_name(k) for k in control.keys))
            what = QLabel(HELP_TEXT[control.name])
            for label, bold in ((key, True), (what, False)):
                font = QFont(label.font())
                font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.4)
                font.setBold(bold)
                label.setFont(font)
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(what, row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    @classmethod
    def show_keys(cls, parent: QWidget | None) -> None:
        cls(parent).exec()


def _key_name(key: str) -> str:
    return {"Escape": "Esc", "Left": "←", "Right": "→", "Up": "↑", "Down": "↓"}.get(key, key)
