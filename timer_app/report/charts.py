"""Charts drawn with QPainter onto any paint device: a widget, a PNG image or a PDF page.

Two charts, one drawing code for screen and paper:

* :func:`paint_gain_bars`: per routine, the mean gain within a session, left and right
  side by side (the *Which drill works* tab and the report);
* :func:`paint_progress`: left and right heights over time with the right − left gap below
  (the report and its PNG).

Only QtGui: no widget, no window, so the report renders from the command line with no
display. Left and right differ in colour *and* in pattern (solid against hatched bars, round
against square markers, solid against dashed lines), for colour-blind readers and
black-and-white printers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from timer_app.core import units
from timer_app.core.drill_table import FEW_MARK, DrillRow

#: Above this many sessions a line is drawn without markers (they would only blot it out).
MAX_MARKED_POINTS = 400


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


@dataclass(frozen=True)
class ProgressPoint:
    """One session on the progress chart: when, and each side's height in the chart's unit."""

    when: datetime
    left: float | None
    right: float | None


def _per_pixel(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A line of many points as it looks: per pixel column only the first, lowest, highest
    and last point (in order), so 20 years of sessions draw as fast as a month."""
    if len(points) <= 4 * MAX_MARKED_POINTS:
        return points
    kept: list[tuple[float, float]] = []
    column: list[tuple[float, float]] = []
    for point in points:
        if column and int(point[0]) != int(column[0][0]):
            kept.extend(_column_extremes(column))
            column = []
        column.append(point)
    kept.extend(_column_extremes(column))
    return kept


def _column_extremes(column: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(column) <= 4:
        return column
    low = min(column, key=lambda p: p[1])
    high = max(column, key=lambda p: p[1])
    middle = sorted({low, high}, key=column.index)
    return [column[0], *middle, column[-1]]


def date_ticks(low: float, high: float, most: int = 7) -> list[tuple[float, str]]:
    """At most ``most`` ticks between two Unix times, on local day, month or year starts,
    labelled so that none is ambiguous: "09 Oct" within a few months, "Oct 2026" within a
    few years, "2026" beyond."""
    start = datetime.fromtimestamp(low, UTC).astimezone()
    end = datetime.fromtimestamp(high, UTC).astimezone()
    days = (high - low) / 86400
    ticks: list[datetime] = []
    if days <= 120:
        every = max(1, math.ceil(days / (most - 1)))
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while day <= end:
            if day >= start:
                ticks.append(day)
            # By date, not by 86400 s, so a daylight-saving change keeps ticks at midnight.
            day = (day + timedelta(days=every, hours=2)).replace(hour=0)
        return [(d.timestamp(), d.strftime("%d %b")) for d in ticks]
    if days <= 3 * 366:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        every = max(1, math.ceil(months / most))
        year, month = start.year, start.month
        while True:
            moment = start.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
            if moment > end:
                break
            if moment >= start:
                ticks.append(moment)
            month += every
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return [(d.timestamp(), d.strftime("%b %Y")) for d in ticks]
    years = end.year - start.year + 1
    every = max(1, math.ceil(years / most))
    for year in range(start.year, end.year + 1, every):
        moment = start.replace(year=year, month=1, day=1, hour=0, minute=0, second=0)
        if start <= moment <= end:
            ticks.append(moment)
    return [(d.timestamp(), d.strftime("%Y")) for d in ticks]


def _font(style: ChartStyle, scale: float = 1.0, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(style.point_size * scale)
    font.setBold(bold)
    return font


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


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = nice_step(high - low, count)
    first = math.floor(low / step) * step
    values = [round(first, 10)]
    # Up to the first tick at or above ``high``, so every value lies inside the ticks.
    while values[-1] < high - step * 1e-6:
        values.append(round(values[-1] + step, 10))
    if len(values) == 1:
        values.append(round(values[0] + step, 10))
    return values


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


def _side_brush(colour: str, hatched: bool) -> QBrush:
    return QBrush(
        QColor(colour), Qt.BrushStyle.BDiagPattern if hatched else Qt.BrushStyle.SolidPattern
    )


def _legend(
    painter: QPainter,
    x: float,
    y: float,
    style: ChartStyle,
    entries: Sequence[tuple[str, str, bool]],
) -> None:
    """Draw ``(label, colour, hatched)`` swatches in a row from (x, y) (top left)."""
    painter.setFont(_font(style))
    metrics = QFontMetricsF(painter.font())
    size = metrics.height() * 0.8
    for label, colour, hatched in entries:
        box = QRectF(x, y + (metrics.height() - size) / 2, size, size)
        painter.setPen(QPen(QColor(colour), 1.5))
        painter.setBrush(QBrush(QColor(style.background)))
        painter.drawRect(box)
        painter.setBrush(_side_brush(colour, hatched))
        painter.drawRect(box)
        painter.setPen(QColor(style.text))
        painter.drawText(QPointF(x + size + 6, y + metrics.ascent()), label)
        x += size + 6 + metrics.horizontalAdvance(label) + 18


def paint_gain_bars(
    painter: QPainter, rect: QRectF, rows: Sequence[DrillRow], unit: str, style: ChartStyle
) -> None:
    """Grouped bars: each measured routine's mean gain, left then right, zero line drawn."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, QColor(style.background))
    measured = [row for row in rows if any(v is not None for v in row.gain_values)]
    painter.setFont(_font(style))
    metrics = QFontMetricsF(painter.font())
    line = metrics.height()
    pad = line * 0.6
    title = f"Mean gain within a session ({units.Unit(unit).words})"
    painter.setPen(QColor(style.text))
    painter.setFont(_font(style, 1.1, bold=True))
    painter.drawText(QPointF(rect.left() + pad, rect.top() + pad + line * 0.8), title)
    _legend(
        painter,
        rect.left() + pad,
        rect.top() + pad + line * 1.3,
        style,
        [("Left", style.left, False), ("Right", style.right, True)],
    )
    painter.setFont(_font(style))
    if not measured:
        painter.drawText(
            rect.adjusted(pad, line * 3, -pad, -pad),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            "No session measured before and after yet.",
        )
        painter.restore()
        return
    values = [v for row in measured for v in row.gain_values if v is not None]
    low, high = min(0.0, *values), max(0.0, *values)
    if high - low < 1e-9:
        high = low + 1.0
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    axis_width = max(metrics.horizontalAdvance(_number(t)) for t in ticks) + pad
    # Routine names under the bars take up to two lines.
    # Room above the plot for the title, the legend and a value label over the top bar.
    plot = QRectF(
        rect.left() + pad + axis_width,
        rect.top() + pad + line * 3.8,
        rect.width() - 2 * pad - axis_width,
        rect.height() - 2 * pad - line * 3.8 - line * 2.4,
    )
    if plot.height() < line * 2 or plot.width() < line * 4:
        painter.restore()
        return

    def y_of(value: float) -> float:
        return plot.bottom() - (value - low) / (high - low) * plot.height()

    for tick in ticks:
        y = y_of(tick)
        painter.setPen(QPen(QColor(style.grid), 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(style.text))
        label = _number(tick)
        painter.drawText(
            QPointF(
                plot.left() - pad / 2 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2.5
            ),
            label,
        )
    painter.setPen(QPen(QColor(style.text), 1.5))
    painter.drawLine(QPointF(plot.left(), y_of(0)), QPointF(plot.right(), y_of(0)))

    group = plot.width() / len(measured)
    bar = min(group * 0.32, line * 3)
    for index, row in enumerate(measured):
        centre = plot.left() + group * (index + 0.5)
        for offset, value, text, colour, hatched in (
            (-bar, row.gain_values[0], row.gain_left, style.left, False),
            (0.0, row.gain_values[1], row.gain_right, style.right, True),
        ):
            if value is None:
                continue
            top, bottom = sorted((y_of(value), y_of(0)))
            box = QRectF(centre + offset, top, bar, max(bottom - top, 1.0))
            painter.setPen(QPen(QColor(colour), 1.5))
            painter.setBrush(QBrush(QColor(style.background)))
            painter.drawRect(box)
            painter.setBrush(_side_brush(colour, hatched))
            painter.drawRect(box)
            painter.setPen(QColor(style.text))
            label_y = top - 3 if value >= 0 else box.bottom() + metrics.ascent()
            label_rect = QRectF(box.left() - bar / 2, label_y - metrics.ascent(), bar * 2, line)
            painter.drawText(
                label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text
            )
        name = row.name + (f" {FEW_MARK}" if row.caveat else "")
        name_rect = QRectF(centre - group / 2 + 2, plot.bottom() + pad / 2, group - 4, line * 2.2)
        painter.setPen(QColor(style.text))
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            _elide_two_lines(metrics, name, group - 4),
        )
    painter.restore()


def _elide_two_lines(metrics: QFontMetricsF, text: str, width: float) -> str:
    """``text`` as it fits two lines of ``width`` (word-wrapped), elided at the end."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return "\n".join(metrics.elidedText(part, Qt.TextElideMode.ElideRight, width) for part in lines)


def paint_progress(
    painter: QPainter,
    rect: QRectF,
    points: Sequence[ProgressPoint],
    unit: str,
    style: ChartStyle,
    title: str,
) -> None:
    """Heights over time (left solid with round markers, right dashed with squares) above,
    the right − left gap below, sharing the date axis."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, QColor(style.background))
    painter.setFont(_font(style))
    metrics = QFontMetricsF(painter.font())
    line = metrics.height()
    pad = line * 0.6
    painter.setPen(QColor(style.text))
    painter.setFont(_font(style, 1.1, bold=True))
    title_metrics = QFontMetricsF(painter.font())
    painter.drawText(
        QPointF(rect.left() + pad, rect.top() + pad + line * 0.8),
        title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width() - 2 * pad),
    )
    _legend(
        painter,
        rect.left() + pad,
        rect.top() + pad + line * 1.3,
        style,
        [
            ("Left", style.left, False),
            ("Right", style.right, False),
            ("Right − left", style.gap, True),
        ],
    )
    painter.setFont(_font(style))
    # The unit at the legend's right end, out of the way of the data.
    painter.setPen(QColor(style.text))
    unit_text = f"heights in {units.Unit(unit).words}"
    painter.drawText(
        QPointF(
            rect.right() - pad - metrics.horizontalAdvance(unit_text),
            rect.top() + pad + line * 1.3 + metrics.ascent(),
        ),
        unit_text,
    )
    sided = [p for p in points if p.left is not None or p.right is not None]
    if not sided:
        painter.drawText(
            rect.adjusted(pad, line * 3, -pad, -pad),
            Qt.AlignmentFlag.AlignCenter,
            "No heights recorded in this period.",
        )
        painter.restore()
        return
    heights = [v for p in sided for v in (p.left, p.right) if v is not None]
    gaps = [p.right - p.left for p in sided if p.left is not None and p.right is not None]
    # A little room above and below, so no marker sits on the frame.
    h_span = max(max(heights) - min(heights), 1.0)
    h_ticks = _ticks(min(heights) - h_span * 0.05, max(heights) + h_span * 0.05)
    g_low, g_high = min(0.0, *gaps) if gaps else -1.0, max(0.0, *gaps) if gaps else 1.0
    if g_high - g_low < 1e-9:
        g_low, g_high = -1.0, 1.0
    # The gap plot is a third of the height: three ticks keep their labels apart.
    g_ticks = _ticks(g_low, g_high, 2)
    labels = [_number(t) for t in (*h_ticks, *g_ticks)]
    axis_width = max(metrics.horizontalAdvance(t) for t in labels) + pad
    top = rect.top() + pad + line * 2.8
    bottom_axis = line * 1.6
    area_height = rect.bottom() - pad - bottom_axis - top
    height_plot = QRectF(
        rect.left() + pad + axis_width, top, rect.width() - 2 * pad - axis_width, area_height * 0.68
    )
    gap_plot = QRectF(
        height_plot.left(),
        height_plot.bottom() + line * 0.8,
        height_plot.width(),
        area_height * 0.32 - line * 0.8,
    )
    if gap_plot.height() < line or height_plot.width() < line * 4:
        painter.restore()
        return
    times = [p.when.timestamp() for p in sided]
    t_low, t_high = min(times), max(times)
    if t_high - t_low < 86400:
        t_low, t_high = t_low - 43200, t_high + 43200
    margin = (t_high - t_low) * 0.03
    t_low, t_high = t_low - margin, t_high + margin

    def x_of(moment: datetime) -> float:
        return (
            height_plot.left()
            + (moment.timestamp() - t_low) / (t_high - t_low) * height_plot.width()
        )

    def y_in(plot: QRectF, ticks: list[float], value: float) -> float:
        low, high = ticks[0], ticks[-1]
        return plot.bottom() - (value - low) / (high - low) * plot.height()

    for plot, ticks in ((height_plot, h_ticks), (gap_plot, g_ticks)):
        for tick in ticks:
            y = y_in(plot, ticks, tick)
            painter.setPen(QPen(QColor(style.grid), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(style.text))
            label = _number(tick)
            painter.drawText(
                QPointF(
                    plot.left() - pad / 2 - metrics.horizontalAdvance(label),
                    y + metrics.ascent() / 2.5,
                ),
                label,
            )
        painter.setPen(QPen(QColor(style.text), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)
    painter.setPen(QPen(QColor(style.text), 1.5))
    zero = y_in(gap_plot, g_ticks, 0.0)
    painter.drawLine(QPointF(gap_plot.left(), zero), QPointF(gap_plot.right(), zero))

    for tick_time, label in date_ticks(t_low, t_high):
        x = height_plot.left() + (tick_time - t_low) / (t_high - t_low) * height_plot.width()
        painter.setPen(QPen(QColor(style.grid), 1))
        painter.drawLine(QPointF(x, height_plot.top()), QPointF(x, gap_plot.bottom()))
        painter.setPen(QColor(style.text))
        painter.drawText(
            QPointF(x - metrics.horizontalAdvance(label) / 2, gap_plot.bottom() + line), label
        )

    for attr, colour, dash, square in (
        ("left", style.left, False, False),
        ("right", style.right, True, True),
    ):
        series = [(p.when, getattr(p, attr)) for p in sided if getattr(p, attr) is not None]
        if not series:
            continue
        points_xy = _per_pixel(
            [(x_of(moment), y_in(height_plot, h_ticks, value)) for moment, value in series]
        )
        path = QPainterPath()
        path.moveTo(QPointF(*points_xy[0]))
        for x, y in points_xy[1:]:
            path.lineTo(QPointF(x, y))
        pen = QPen(QColor(colour), 2.5, Qt.PenStyle.DashLine if dash else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if len(series) > MAX_MARKED_POINTS:
            continue  # markers would only blot the line out
        painter.setPen(QPen(QColor(style.background), 1))
        painter.setBrush(QBrush(QColor(colour)))
        radius = max(3.0, line * 0.25)
        for moment, value in series:
            centre = QPointF(x_of(moment), y_in(height_plot, h_ticks, value))
            if square:
                painter.drawRect(
                    QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
                )
            else:
                painter.drawEllipse(centre, radius, radius)

    both = [(p.when, p.right - p.left) for p in sided if p.left is not None and p.right is not None]
    if both:
        gap_xy = _per_pixel([(x_of(moment), y_in(gap_plot, g_ticks, gap)) for moment, gap in both])
        area = QPainterPath()
        area.moveTo(QPointF(gap_xy[0][0], zero))
        for x, y in gap_xy:
            area.lineTo(QPointF(x, y))
        area.lineTo(QPointF(x_of(both[-1][0]), zero))
        area.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(style.gap), Qt.BrushStyle.BDiagPattern))
        painter.drawPath(area)
        outline = QPainterPath()
        outline.moveTo(QPointF(*gap_xy[0]))
        for x, y in gap_xy[1:]:
            outline.lineTo(QPointF(x, y))
        painter.setPen(QPen(QColor(style.gap), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(outline)
    painter.restore()
