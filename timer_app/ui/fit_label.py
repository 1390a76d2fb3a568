"""A label whose text always fits: never clipped, never elided.

The session screen's lines (instruction, next step, notices) are read from two metres away,
and on an 800x480 screen there is room for one or two lines of each. Rather than cut a long
instruction, the label takes the largest font, up to the size asked for, at which the text
fits in its width within ``max_lines`` lines.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: Smallest pixel size the fitting goes down to; a text needing less wraps to more lines.
MIN_PIXEL_SIZE = 10


class FitLabel(QLabel):
    """A centred, word-wrapped label that shrinks its font to fit ``max_lines`` lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixel_size = 20
        self._bold = False
        self._max_lines = 2
        # Plain text always: the lines show routine files' words exactly (see plain_text).
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_fit(self, pixel_size: int, max_lines: int, bold: bool = False) -> None:
        """The largest font to use and the most lines the text may take."""
        self._pixel_size = max(MIN_PIXEL_SIZE, pixel_size)
        self._max_lines = max(1, max_lines)
        self._bold = bold
        self._refit()

    def max_lines(self) -> int:
        return self._max_lines

    def setText(self, text: str) -> None:
        super().setText(text)
        self._refit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._refit()

    def _font(self, pixel_size: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(pixel_size)
        font.setBold(self._bold)
        return font

    def _text_size(self, font: QFont, width: float) -> QSize:
        metrics = QFontMetricsF(font)
        flags = int(Qt.TextFlag.TextWordWrap)
        rect = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, self.text())
        return QSize(int(rect.width() + 0.999), int(rect.height() + 0.999))

    def _refit(self) -> None:
        margins = self.contentsMargins()
        width = max(1, self.width() - margins.left() - margins.right() - 2 * self.margin())
        size = self._pixel_size
        font = self._font(size)
        text = self.text()
        while text and size > MIN_PIXEL_SIZE:
            needed = self._text_size(font, width)
            lines_high = QFontMetricsF(font).lineSpacing() * self._max_lines + 1
            if needed.height() <= lines_high and needed.width() <= width:
                break
            size -= 1
            font = self._font(size)
        self.setFont(font)
        needed = self._text_size(font, width) if text else QSize(0, 0)
        height = needed.height() if text else 0
        extra = margins.top() + margins.bottom() + 2 * self.margin()
        self.setFixedHeight(height + extra if text else 0)
