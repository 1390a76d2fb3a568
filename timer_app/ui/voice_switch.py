"""The "voice commands" switch, as the start screen and the voice settings show it: a check
box, greyed out with the reason beside it when this machine cannot listen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from timer_app.ui.plain_text import plain_label

LABEL = 'Listen for spoken &commands ("timer, pause")'


class VoiceCommandsSwitch(QWidget):
    """``toggled(bool)`` when the user turns voice commands on or off."""

    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(LABEL)
        self.check.setObjectName("voice_commands_switch")
        self.check.toggled.connect(self.toggled)
        self.reason = plain_label()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #424242;")  # 10:1 on the light window background
        self.reason.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.check)
        layout.addWidget(self.reason)

    def set_on(self, on: bool) -> None:
        """Show the saved choice (no ``toggled``)."""
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)

    def is_on(self) -> bool:
        return self.check.isChecked()

    def set_unavailable(self, reason: str) -> None:
        """ "" when voice commands can work here; else grey out and say why."""
        self.check.setEnabled(not reason)
        self.reason.setText(f"Voice commands are off: {reason}" if reason else "")
        self.reason.setVisible(bool(reason))
