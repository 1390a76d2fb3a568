"""Painted widgets of the session screen, each sized to be read from two metres away.

They hold only what they were last told to show; the session view feeds them.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from timer_app.core.routine import Side
from timer_app.ui.theme import SIDE_COLOURS

#: Share of the countdown's height its digits fill.
DIGIT_FILL = 0.9


def _bold_font(pixel_size: float, family_hint: str = "") -> QFont:
    font = QFont(family_hint) if family_hint else QFont()
    font.setPixelSize(max(8, int(pixel_size)))
    font.setBold(True)
    return font


class CountdownDisplay(QWidget):
    """The huge countdown digits. The text is scaled to fill the widget's rectangle, so the
    digits grow with the window (and full screen) instead of staying at a fixed point size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = "0:00"
        self._colour = QColor("#ffffff")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 80)
        self.setAccessibleName("Time left in this step")

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setAccessibleDescription(text)
            self.update()

    def set_colour(self, colour: str) -> None:
        self._colour = QColor(colour)
        self.update()

    def digit_pixel_height(self) -> float:
        """Height of the drawn digits in pixels (tests check readability with it)."""
        return QFontMetricsF(self._font_for_rect()).tightBoundingRect("0").height()

    def text_pixel_width(self) -> float:
        """Width of the drawn text in pixels (in a narrow window it, not the height, limits
        the digits)."""
        return QFontMetricsF(self._font_for_rect()).horizontalAdvance(self._text)

    def _font_for_rect(self) -> QFont:
        # Size for the widest text of this shape ("8:88"), so the size does not jump each second.
        sample = "".join("8" if c.isdigit() else c for c in self._text)
        probe = _bold_font(100)
        probe.setFeature(QFont.Tag("tnum"), 1)  # tabular digits: "1:11" is as wide as "8:88"
        metrics = QFontMetricsF(probe)
        width = max(metrics.horizontalAdvance(sample), 1.0)
        height = max(metrics.capHeight(), 1.0)
        # The digits fill 90% of the height: they are drawn centred on their cap height (not
        # on the font's line box), so nothing above or below them needs room.
        scale = min(self.width() * 0.96 / width, self.height() * DIGIT_FILL / height)
        font = _bold_font(100 * scale)
        font.setFeature(QFont.Tag("tnum"), 1)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = self._font_for_rect()
        painter.setFont(font)
        painter.setPen(self._colour)
        metrics = QFontMetricsF(font)
        x = (self.width() - metrics.horizontalAdvance(self._text)) / 2
        baseline = (self.height() + metrics.capHeight()) / 2
        painter.drawText(QPointF(x, baseline), self._text)

    def sizeHint(self) -> QSize:
        return QSize(600, 260)


class ProgressStrip(QWidget):
    """A thick horizontal bar: how far through the current step the user is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 0.0
        self._fill = QColor("#ffffff")
        self._track = QColor(255, 255, 255, 60)
        self.setFixedHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def fraction(self) -> float:
        return self._fraction

    def set_fraction(self, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if abs(fraction - self._fraction) * self.width() >= 0.5 or fraction in (0.0, 1.0):
            self._fraction = fraction
            self.update()

    def set_colour(self, colour: str) -> None:
        self._fill = QColor(colour)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = rect.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._track)
        painter.drawRoundedRect(rect, radius, radius)
        if self._fraction > 0:
            filled = QRectF(rect)
            filled.setWidth(max(rect.height(), rect.width() * self._fraction))
            painter.setBrush(self._fill)
            painter.drawRoundedRect(filled, radius, radius)


class EffortBar(QWidget):
    """The PAIL effort ramp: a bar that climbs to the target effort, with the percentage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._percent = 0.0
        self._fill = QColor("#ffffff")
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Target effort")

    def percent(self) -> float:
        return self._percent

    def set_percent(self, percent: float) -> None:
        percent = min(max(percent, 0.0), 100.0)
        if abs(percent - self._percent) >= 0.2 or percent in (0.0, 100.0):
            self._percent = percent
            self.setAccessibleDescription(f"{round(percent)} percent")
            self.update()

    def set_colour(self, colour: str) -> None:
        self._fill = QColor(colour)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(QPen(self._fill, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 8, 8)
        inner = rect.adjusted(5, 5, -5, -5)
        inner.setWidth(inner.width() * self._percent / 100)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(inner, 5, 5)
        label = f"Effort {round(self._percent)}%"
        painter.setFont(_bold_font(rect.height() * 0.6))
        # Dark text where it lies on the fill, the fill's colour where it lies on the empty
        # part, split at the fill's edge: legible at every percentage, also while the edge
        # runs through the words (the first seconds of the ramp).
        text_rect = rect.adjusted(14, 0, -14, 0)
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        empty = QRectF(inner.right(), rect.top(), rect.right() - inner.right(), rect.height())
        for part, colour in ((inner, QColor("#111111")), (empty, self._fill)):
            painter.save()
            painter.setClipRect(part)
            painter.setPen(colour)
            painter.drawText(text_rect, flags, label)
            painter.restore()


class SideBanner(QWidget):
    """LEFT / RIGHT in a pill of its own colour with an arrow: impossible to miss."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._side = Side.NONE
        self.setMinimumHeight(48)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def side(self) -> Side:
        return self._side

    def text(self) -> str:
        if self._side is Side.LEFT:
            return "◀ LEFT"
        if self._side is Side.RIGHT:
            return "RIGHT ▶"
        return ""

    def set_side(self, side: Side) -> None:
        self._side = side
        self.setAccessibleName(f"{side.value} side" if side is not Side.NONE else "")
        self.setVisible(side is not Side.NONE)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        font = _bold_font(self.height() * 0.62 if self.height() > 0 else 30)
        width = QFontMetricsF(font).horizontalAdvance("RIGHT ▶") + 48
        return QSize(int(width), self.minimumHeight())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._side is Side.NONE:
            return
        background, foreground = SIDE_COLOURS[self._side.value]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(QColor(foreground))
        painter.setFont(_bold_font(rect.height() * 0.62))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text())
