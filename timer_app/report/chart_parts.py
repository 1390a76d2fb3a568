"""The pieces both painted charts are made of: colours, round tick values, unambiguous date
ticks, a title with its legend, a value axis, and a line thinned to what a pixel can show.

QtGui only (no widgets), like the charts themselves (:mod:`timer_app.report.charts`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

#: Above this many sessions a line is drawn without markers (they would only blot it out).
MAX_MARKED_POINTS = 400

Point = tuple[float, float]


@dataclass(frozen=True)
class ChartStyle:
    """Colours (``#rrggbb``) and the base text size of a chart."""

    background: str
    text: str
    grid: str
    left: str
    right: str
    gap: str
    point_size: float = 11.0


#: On screen: the history chart's dark ground and the session screen's side colours.
SCREEN_STYLE = ChartStyle("#1a1a1a", "#e8e8e8", "#4a4a4a", "#ffd54f", "#4fc3f7", "#f48fb1")
#: On paper: white ground, side colours dark enough to read printed (contrast >= 4.5:1).
PRINT_STYLE = ChartStyle("#ffffff", "#111111", "#c8c8c8", "#8a5a00", "#0d47a1", "#ad1457", 9.0)


# -- numbers and dates -----------------------------------------------------------------------


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def value_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at or below ``low`` to at or above ``high`` (at least two), about
    ``count`` steps apart, so every value plotted lies inside the first and last tick."""
    step = nice_step(high - low, count)
    values = [round(math.floor(low / step) * step, 10)]
    while values[-1] < high - step * 1e-6:
        values.append(round(values[-1] + step, 10))
    if len(values) == 1:
        values.append(round(values[0] + step, 10))
    return values


def number_text(value: float) -> str:
    """A tick label: at most two decimals, no trailing zeros, a real minus sign."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


def date_ticks(low: float, high: float, most: int = 7) -> list[tuple[float, str]]:
    """At most ``most`` ticks between two Unix times, on local day, month or year starts,
    labelled so that none is ambiguous: "09 Oct" within a few months, "Oct 2026" within a
    few years, "2026" beyond."""
    start = datetime.fromtimestamp(low, UTC).astimezone()
    end = datetime.fromtimestamp(high, UTC).astimezone()
    days = (high - low) / 86400
    if days <= 120:
        return [(d.timestamp(), d.strftime("%d %b")) for d in _day_ticks(start, end, days, most)]
    if days <= 3 * 366:
        return [(d.timestamp(), d.strftime("%b %Y")) for d in _month_ticks(start, end, most)]
    return [(d.timestamp(), d.strftime("%Y")) for d in _year_ticks(start, end, most)]


def _day_ticks(start: datetime, end: datetime, days: float, most: int) -> list[datetime]:
    every = max(1, math.ceil(days / (most - 1)))
    ticks: list[datetime] = []
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= end:
        if day >= start:
            ticks.append(day)
        # By date, not by 86400 s, so a daylight-saving change keeps ticks at midnight.
        day = (day + timedelta(days=every, hours=2)).replace(hour=0)
    return ticks


def _month_ticks(start: datetime, end: datetime, most: int) -> list[datetime]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    every = max(1, math.ceil(months / most))
    ticks: list[datetime] = []
    year, month = start.year, start.month
    while True:
        moment = start.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
        if moment > end:
            return ticks
        if moment >= start:
            ticks.append(moment)
        month += every
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def _year_ticks(start: datetime, end: datetime, most: int) -> list[datetime]:
    every = max(1, math.ceil((end.year - start.year + 1) / most))
    ticks: list[datetime] = []
    for year in range(start.year, end.year + 1, every):
        moment = start.replace(year=year, month=1, day=1, hour=0, minute=0, second=0)
        if start <= moment <= end:
            ticks.append(moment)
    return ticks


def per_pixel(points: list[Point]) -> list[Point]:
    """A line of many points as it looks: per pixel column only the first, lowest, highest
    and last point (in order), so 20 years of sessions draw as fast as a month."""
    if len(points) <= 4 * MAX_MARKED_POINTS:
        return points
    kept: list[Point] = []
    column: list[Point] = []
    for point in points:
        if column and int(point[0]) != int(column[0][0]):
            kept.extend(_column_extremes(column))
            column = []
        column.append(point)
    kept.extend(_column_extremes(column))
    return kept


def _column_extremes(column: list[Point]) -> list[Point]:
    if len(column) <= 4:
        return column
    low = min(column, key=lambda p: p[1])
    high = max(column, key=lambda p: p[1])
    middle = sorted({low, high}, key=column.index)
    return [column[0], *middle, column[-1]]


def polyline(points: Sequence[Point]) -> QPainterPath:
    """A path through ``points`` (at least one), in order."""
    path = QPainterPath()
    path.moveTo(QPointF(*points[0]))
    for x, y in points[1:]:
        path.lineTo(QPointF(x, y))
    return path


# -- drawing ---------------------------------------------------------------------------------


def chart_font(style: ChartStyle, scale: float = 1.0, bold: bool = False) -> QFont:
    """The style's text size times ``scale``."""
    font = QFont()
    font.setPointSizeF(style.point_size * scale)
    font.setBold(bold)
    return font


def side_brush(colour: str, hatched: bool) -> QBrush:
    """Solid for the left side, hatched for the right (and the gap)."""
    pattern = Qt.BrushStyle.BDiagPattern if hatched else Qt.BrushStyle.SolidPattern
    return QBrush(QColor(colour), pattern)


def draw_swatch(painter: QPainter, box: QRectF, colour: str, hatched: bool, ground: str) -> None:
    """A rectangle in a side's colour and pattern, outlined, on ``ground``."""
    painter.setPen(QPen(QColor(colour), 1.5))
    painter.setBrush(QBrush(QColor(ground)))
    painter.drawRect(box)
    painter.setBrush(side_brush(colour, hatched))
    painter.drawRect(box)


@dataclass(frozen=True)
class Frame:
    """Where a chart's plot may go once its title and legend are drawn, and the text
    measures the rest of the drawing uses."""

    metrics: QFontMetricsF
    line: float  # text line height
    pad: float
    body_top: float  # first y under the legend


def draw_header(
    painter: QPainter,
    rect: QRectF,
    style: ChartStyle,
    title: str,
    legend: Sequence[tuple[str, str, bool]],
    note: str = "",
) -> Frame:
    """Fill ``rect``, draw the title (elided to fit), the legend swatches ``(label, colour,
    hatched)`` in a row under it, and ``note`` at the legend row's right end."""
    painter.fillRect(rect, QColor(style.background))
    body = chart_font(style)
    metrics = QFontMetricsF(body)
    line = metrics.height()
    pad = line * 0.6
    painter.setPen(QColor(style.text))
    painter.setFont(chart_font(style, 1.1, bold=True))
    title_metrics = QFontMetricsF(painter.font())
    painter.drawText(
        QPointF(rect.left() + pad, rect.top() + pad + line * 0.8),
        title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width() - 2 * pad),
    )
    painter.setFont(body)
    x, y = rect.left() + pad, rect.top() + pad + line * 1.3
    size = line * 0.8
    for label, colour, hatched in legend:
        draw_swatch(
            painter, QRectF(x, y + (line - size) / 2, size, size), colour, hatched, style.background
        )
        painter.setPen(QColor(style.text))
        painter.drawText(QPointF(x + size + 6, y + metrics.ascent()), label)
        x += size + 6 + metrics.horizontalAdvance(label) + 18
    if note:
        painter.drawText(
            QPointF(rect.right() - pad - metrics.horizontalAdvance(note), y + metrics.ascent()),
            note,
        )
    return Frame(metrics, line, pad, y + line)


@dataclass(frozen=True)
class ValueScale:
    """Values ``low``..``high`` mapped onto ``plot``'s height, bottom to top."""

    plot: QRectF
    low: float
    high: float

    def y(self, value: float) -> float:
        return self.plot.bottom() - (value - self.low) / (self.high - self.low) * self.plot.height()


def draw_value_axis(
    painter: QPainter, scale: ValueScale, ticks: Sequence[float], style: ChartStyle, frame: Frame
) -> None:
    """Grid lines across the plot at ``ticks``, their labels to its left."""
    plot = scale.plot
    for tick in ticks:
        y = scale.y(tick)
        painter.setPen(QPen(QColor(style.grid), 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(style.text))
        label = number_text(tick)
        x = plot.left() - frame.pad / 2 - frame.metrics.horizontalAdvance(label)
        painter.drawText(QPointF(x, y + frame.metrics.ascent() / 2.5), label)


def axis_width(ticks: Sequence[float], frame: Frame) -> float:
    """Room the labels of ``ticks`` need left of a plot."""
    return max(frame.metrics.horizontalAdvance(number_text(t)) for t in ticks) + frame.pad
