"""Small dialogs of the main window. Each has a classmethod that tests replace
(pytest-qt's advice for modal dialogs), so no test ever blocks on a modal loop."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.commands import remote_key_help
from timer_app.ui.key_help import KEY_HELP
from timer_app.ui.screen_fit import fit_to_screen


class ConfirmStop:
    """Asks before the window is closed during a session. (Esc inside the session screen asks
    with :class:`timer_app.ui.session_overlays.StopOverlay` instead.)"""

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
        keep = box.addButton("Keep going", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter or Space by habit must not end a session
        box.exec()
        return box.clickedButton() is stop


class KeysDialog(QDialog):
    """Every key, large enough to read from the floor, for F1 / ? outside a session (during
    one, the session screen shows the same list as an overlay)."""

    #: Pixel size of the key lines: about 6 mm on a 13" laptop, readable at two metres.
    PIXEL_SIZE = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys — Mobility Timer")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.rows: list[tuple[QLabel, QLabel]] = []
        for row, (keys, what) in enumerate(KEY_HELP):
            self.rows.append(self._add_row(grid, row, keys, what))
        # Remotes: media keys and headset buttons, presenter clickers.
        row = len(KEY_HELP)
        for remote, remote_rows in remote_key_help():
            heading = QLabel(remote)
            heading.setFont(self._font(heading, bold=True))
            heading.setContentsMargins(0, 16, 0, 4)
            grid.addWidget(heading, row, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
            row += 1
            for keys, what in remote_rows:
                self._add_row(grid, row, keys, what)
                row += 1
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        # The list scrolls on a small screen; the Close button stays in view.
        content = QWidget()
        content.setLayout(grid)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(content)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        layout.addWidget(buttons)
        wanted = content.sizeHint() + QSize(area.verticalScrollBar().sizeHint().width() + 24, 0)
        wanted.setHeight(wanted.height() + buttons.sizeHint().height() + 40)
        fit_to_screen(self, wanted)

    def _add_row(self, grid: QGridLayout, row: int, keys: str, what: str) -> tuple[QLabel, QLabel]:
        key_label = QLabel(keys)
        what_label = QLabel(what)
        # A narrow screen wraps both columns; nothing scrolls sideways.
        what_label.setWordWrap(True)
        key_label.setWordWrap(True)
        key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 2)
        key_label.setFont(self._font(key_label, bold=True))
        what_label.setFont(self._font(what_label, bold=False))
        grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(what_label, row, 1)
        return key_label, what_label

    def _font(self, label: QLabel, bold: bool) -> QFont:
        font = QFont(label.font())
        font.setPixelSize(self.PIXEL_SIZE)
        font.setBold(bold)
        return font

    @classmethod
    def show_keys(cls, parent: QWidget | None) -> None:
        cls(parent).exec()
