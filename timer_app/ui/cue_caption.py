"""Spoken cues inside a step, also shown large on the screen for a moment.

"Halfway", "Build to half effort", "Now maximum", the 3-2-1 countdown: a muted, deaf or
hard-of-hearing user, or one in a noisy room, reads them instead. The caption floats over the
session screen's text lines (never over the countdown digits) in a dark pill, and goes after
:data:`SHOW_MS` (the 3-2-1 numbers after :data:`COUNT_MS`, before the next one comes).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QLabel, QWidget

from timer_app.core.cues import Cue, CueKind

#: How long a caption stays, in milliseconds.
SHOW_MS = 2200
#: How long a countdown number stays: less than the second until the next one.
COUNT_MS = 850

#: Cue kinds that happen inside a step. A step's start (announce, switch) is already on the
#: screen as its phase and instruction; the end and "complete" change the screen themselves.
IN_STEP = frozenset({CueKind.HALFWAY, CueKind.COUNTDOWN, CueKind.RAMP, CueKind.REP})


def caption_text(cue: Cue) -> str:
    """What the screen shows for ``cue``: "3" for the spoken "Three.", the words without the
    final full stop otherwise; "" for a cue that is not shown."""
    if cue.kind not in IN_STEP or not cue.text:
        return ""
    if cue.kind is CueKind.COUNTDOWN:
        return str(round(cue.at))
    return cue.text.strip().rstrip(".")


class CueCaption(QLabel):
    """The caption pill; :meth:`show_cue` shows a cue, a timer hides it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cue_caption")
        self.setProperty("overlay", True)  # covers the text lines on purpose, for a moment
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet(
            "#cue_caption { color: #ffffff; background: rgba(0, 0, 0, 235);"
            " border-radius: 14px; padding: 4px 24px; }"
        )
        self._pixel_size = 40
        self._area = QRect()
        self.hide_timer = QTimer(self)
        self.hide_timer.setSingleShot(True)
        self.hide_timer.timeout.connect(self.hide)
        self.hide()

    def set_area(self, area: QRect, pixel_size: int) -> None:
        """Where the caption may go (the text lines under the countdown) and its font size."""
        self._area = QRect(area)
        self._pixel_size = pixel_size
        if self.isVisible():
            self._place()

    def show_cue(self, cue: Cue) -> None:
        text = caption_text(cue)
        if not text:
            return
        self.setText(text)
        self._place()
        self.show()
        self.raise_()
        self.hide_timer.start(COUNT_MS if cue.kind is CueKind.COUNTDOWN else SHOW_MS)

    def _place(self) -> None:
        area = self._area
        if area.isEmpty():
            parent = self.parentWidget()
            assert parent is not None
            area = parent.rect()
        # Horizontal padding 24 px each side, as in the style sheet, plus the rounding.
        room = max(40, area.width() - 56)
        font = QFont(self.font())
        font.setBold(True)
        size = self._pixel_size
        font.setPixelSize(size)
        while size > 12 and QFontMetricsF(font).horizontalAdvance(self.text()) > room:
            size -= 1
            font.setPixelSize(size)
        self.setFont(font)
        metrics = QFontMetricsF(font)
        width = min(area.width(), round(metrics.horizontalAdvance(self.text())) + 56)
        height = round(metrics.height()) + 12
        x = area.x() + (area.width() - width) // 2
        y = area.y() + max(0, (area.height() - height) // 2)
        self.setGeometry(x, y, width, height)


class CaptionPlacer(QObject):
    """Keeps the caption over the session screen's text lines as the screen is resized."""

    def __init__(self, caption: CueCaption, below: QWidget, lines: list[QWidget]) -> None:
        super().__init__(caption)
        self._caption = caption
        self._below = below
        self._lines = lines
        for widget in (below, *lines):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.place()
        return False

    def place(self) -> None:
        parent = self._caption.parentWidget()
        assert parent is not None
        top = self._below.geometry().bottom() + 1
        bottom = max([w.geometry().bottom() for w in self._lines if w.isVisible()] or [top])
        area = QRect(0, top, parent.width(), max(0, bottom - top))
        # As large as the lines' area allows, but never near the digits' size.
        fitting = round((area.height() - 14) / 1.2)  # the pill's height is ~1.2 x its font
        self._caption.set_area(area, max(16, min(fitting, parent.height() // 9)))
