"""Small state badges of the session screen: a state the user chose must be seen from the
floor, not only read from a button label."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


class MutedBadge(QLabel):
    """ "MUTED · M" in a bold pill, shown while the voice is muted for this session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("MUTED · M", parent)
        self.setObjectName("muted_badge")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName("Voice muted for this session; press M to unmute")
        # Near-black on amber (12:1), the colours of the notices: stands out on every phase.
        self.setStyleSheet(
            "#muted_badge { color: #1a1a1a; background: #ffd54f;"
            " border-radius: 8px; padding: 2px 14px; }"
        )
        self.hide()

    def scale_to(self, unit: float) -> None:
        """Use the session screen's type unit (as big as the round and total lines)."""
        font = QFont(self.font())
        font.setPixelSize(max(12, round(unit * 2.0)))
        font.setBold(True)
        self.setFont(font)


class MicrophoneBadge(QLabel):
    """The microphone state while voice commands are on: "MIC · Listening", then what was
    heard ('MIC · Heard "pause"'), or why it stopped listening. Hidden when voice commands
    are off. (Text, not an emoji: many desktops have no emoji font and show a box.)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mic_badge")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # White on dark teal (8:1): reads as a state, not a warning like the amber badge.
        self.setStyleSheet(
            "#mic_badge { color: #ffffff; background: #00695c;"
            " border-radius: 8px; padding: 2px 14px; }"
        )
        self.hide()

    def show_status(self, text: str) -> None:
        """Show ``text`` after "MIC ·"; "" hides the badge."""
        self.setText(f"MIC \N{MIDDLE DOT} {text}" if text else "")
        self.setAccessibleName(f"Voice commands: {text}" if text else "")
        self.setVisible(bool(text))

    def scale_to(self, unit: float) -> None:
        """Use the session screen's type unit, as the muted badge does."""
        font = QFont(self.font())
        font.setPixelSize(max(12, round(unit * 2.0)))
        font.setBold(True)
        self.setFont(font)
