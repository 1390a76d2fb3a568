"""Charts drawn with QPainter onto any paint device: a widget, a PNG image or a PDF page.

Two charts, one drawing code for screen and paper:

* :func:`paint_gain_bars`: per routine, the mean gain within a session, left and right
  side by side (the *Which drill works* tab and the report);
* :func:`paint_progress`: left and right heights over time with the right − left gap below
  (the report and its PNG).

Only QtGui: no widget, no window, so the report renders from the command line with no
display. Left and right differ in colour *and* in pattern (solid against hatched bars, round
against square markers, solid against dashed lines), for colour-blind readers and
black-and-white printers. The shared pieces are in :mod:`timer_app.report.chart_parts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen

from timer_app.core import units
from timer_app.core.drill_table import FEW_MARK, DrillRow
from timer_app.report.chart_parts import (
    MAX_MARKED_POINTS,
    ChartStyle,
    Frame,
    ValueScale,
    axis_width,
    date_ticks,
    draw_header,
    draw_swatch,
    draw_value_axis,
    per_pixel,
    polyline,
    value_ticks,
)


@dataclass(frozen=True)
class ProgressPoint:
    """One session on the progress chart: when, and each side's height in the chart's unit."""

    when: datetime
    left: float | None
    right: float | None


def _say_nothing(painter: QPainter, rect: QRectF, frame: Frame, text: str) -> None:
    painter.drawText(
        rect.adjusted(frame.pad, frame.line * 3, -frame.pad, -frame.pad),
        Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
        text,
    )


# -- bars ------------------------------------------------------------------------------------


def paint_gain_bars(
    painter: QPainter, rect: QRectF, rows: Sequence[DrillRow], unit: str, style: ChartStyle
) -> None:
    """Grouped bars: each measured routine's mean gain, left then right, zero line drawn."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    frame = draw_header(
        painter,
        rect,
        style,
        f"Mean gain within a session ({units.Unit(unit).words})",
        [("Left", style.left, False), ("Right", style.right, True)],
    )
    measured = [row for row in rows if any(v is not None for v in row.gain_values)]
    if not measured:
        _say_nothing(painter, rect, frame, "No session measured before and after yet.")
        painter.restore()
        return
    values = [v for row in measured for v in row.gain_values if v is not None]
    low, high = min(0.0, *values), max(0.0, *values)
    # Few ticks: in the report the bars are short, and their figures are printed on them.
    ticks = value_ticks(low, high if high - low > 1e-9 else low + 1.0, 3)
    left = rect.left() + frame.pad + axis_width(ticks, frame)
    # Above the plot: a value label over the top bar; below it: two lines of names.
    top = frame.body_top + frame.line * 1.5
    plot = QRectF(
        left,
        top,
        rect.right() - frame.pad - left,
        rect.bottom() - frame.pad - top - frame.line * 2.4,
    )
    if plot.height() < frame.line * 2 or plot.width() < frame.line * 4:
        painter.restore()
        return
    scale = ValueScale(plot, ticks[0], ticks[-1])
    draw_value_axis(painter, scale, ticks, style, frame)
    painter.setPen(QPen(QColor(style.text), 1.5))
    painter.drawLine(QPointF(plot.left(), scale.y(0)), QPointF(plot.right(), scale.y(0)))
    group = plot.width() / len(measured)
    bar = min(group * 0.32, frame.line * 3)
    for index, row in enumerate(measured):
        centre = plot.left() + group * (index + 0.5)
        sides = (
            (-bar, row.gain_values[0], row.gain_left, style.left, False),
            (0.0, row.gain_values[1], row.gain_right, style.right, True),
        )
        for offset, value, text, colour, hatched in sides:
            if value is not None:
                _draw_bar(
                    painter, scale, frame, style, centre + offset, bar, value, text, colour, hatched
                )
        name = row.name + (f" {FEW_MARK}" if row.caveat else "")
        name_rect = QRectF(
            centre - group / 2 + 2, plot.bottom() + frame.pad / 2, group - 4, frame.line * 2.2
        )
        painter.setPen(QColor(style.text))
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            _elide_two_lines(frame.metrics, name, group - 4),
        )
    painter.restore()


def _draw_bar(
    painter: QPainter,
    scale: ValueScale,
    frame: Frame,
    style: ChartStyle,
    x: float,
    width: float,
    value: float,
    text: str,
    colour: str,
    hatched: bool,
) -> None:
    """One bar from zero to ``value``, its figure above it (below it when negative)."""
    top, bottom = sorted((scale.y(value), scale.y(0)))
    box = QRectF(x, top, width, max(bottom - top, 1.0))
    draw_swatch(painter, box, colour, hatched, style.background)
    painter.setPen(QColor(style.text))
    ascent = frame.metrics.ascent()
    baseline = top - 3 if value >= 0 else box.bottom() + ascent
    label_rect = QRectF(box.left() - width / 2, baseline - ascent, width * 2, frame.line)
    painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)


def _elide_two_lines(metrics: QFontMetricsF, text: str, width: float) -> str:
    """``text`` as it fits two lines of ``width`` (word-wrapped), elided at the end."""
    lines: list[str] = []
    current = ""
    for word in text.split():
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


# -- progress over time ----------------------------------------------------------------------


@dataclass(frozen=True)
class _TimeScale:
    """Unix times ``low``..``high`` mapped onto ``left``..``left + width``."""

    left: float
    width: float
    low: float
    high: float

    def x(self, moment: datetime) -> float:
        return self.left + (moment.timestamp() - self.low) / (self.high - self.low) * self.width

    @classmethod
    def around(cls, times: Sequence[float], left: float, width: float) -> _TimeScale:
        """A scale over ``times`` with a 3 % margin, at least a day wide."""
        low, high = min(times), max(times)
        if high - low < 86400:
            low, high = low - 43200, high + 43200
        margin = (high - low) * 0.03
        return cls(left, width, low - margin, high + margin)


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
    frame = draw_header(
        painter,
        rect,
        style,
        title,
        [
            ("Left", style.left, False),
            ("Right", style.right, False),
            ("Right − left", style.gap, True),
        ],
        note=f"heights in {units.Unit(unit).words}",
    )
    sided = [p for p in points if p.left is not None or p.right is not None]
    if not sided:
        _say_nothing(painter, rect, frame, "No heights recorded in this period.")
        painter.restore()
        return
    heights = [v for p in sided for v in (p.left, p.right) if v is not None]
    gaps = [(p.when, p.right - p.left) for p in sided if p.left is not None and p.right is not None]
    # A little room above and below the heights, so no marker sits on the frame.
    span = max(max(heights) - min(heights), 1.0)
    height_ticks = value_ticks(min(heights) - span * 0.05, max(heights) + span * 0.05)
    gap_values = [gap for _, gap in gaps] or [-1.0, 1.0]
    low, high = min(0.0, *gap_values), max(0.0, *gap_values)
    # The gap plot is a third of the height: three ticks keep their labels apart.
    gap_ticks = value_ticks(low, high if high - low > 1e-9 else low + 1.0, 2)

    left = rect.left() + frame.pad + axis_width([*height_ticks, *gap_ticks], frame)
    width = rect.right() - frame.pad - left
    top = frame.body_top + frame.line * 0.5
    area = rect.bottom() - frame.pad - frame.line * 1.6 - top
    height_plot = QRectF(left, top, width, area * 0.68)
    gap_plot = QRectF(
        left, height_plot.bottom() + frame.line * 0.8, width, area * 0.32 - frame.line * 0.8
    )
    if gap_plot.height() < frame.line or width < frame.line * 4:
        painter.restore()
        return
    heights_scale = ValueScale(height_plot, height_ticks[0], height_ticks[-1])
    gap_scale = ValueScale(gap_plot, gap_ticks[0], gap_ticks[-1])
    time_scale = _TimeScale.around([p.when.timestamp() for p in sided], left, width)

    for scale, ticks in ((heights_scale, height_ticks), (gap_scale, gap_ticks)):
        draw_value_axis(painter, scale, ticks, style, frame)
        painter.setPen(QPen(QColor(style.text), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(scale.plot)
    _draw_dates(painter, time_scale, height_plot.top(), gap_plot.bottom(), style, frame)
    for side, colour, dashed in (("left", style.left, False), ("right", style.right, True)):
        series = [(p.when, v) for p in sided if (v := getattr(p, side)) is not None]
        if series:
            _draw_side(painter, time_scale, heights_scale, series, colour, dashed, style, frame)
    painter.setPen(QPen(QColor(style.text), 1.5))
    zero = gap_scale.y(0.0)
    painter.drawLine(QPointF(gap_plot.left(), zero), QPointF(gap_plot.right(), zero))
    if gaps:
        _draw_gap(painter, time_scale, gap_scale, gaps, style)
    painter.restore()


def _draw_dates(
    painter: QPainter,
    scale: _TimeScale,
    top: float,
    bottom: float,
    style: ChartStyle,
    frame: Frame,
) -> None:
    """Vertical grid lines from ``top`` to ``bottom`` at date ticks, labelled under them."""
    for tick_time, label in date_ticks(scale.low, scale.high):
        x = scale.left + (tick_time - scale.low) / (scale.high - scale.low) * scale.width
        painter.setPen(QPen(QColor(style.grid), 1))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setPen(QColor(style.text))
        label_x = x - frame.metrics.horizontalAdvance(label) / 2
        painter.drawText(QPointF(label_x, bottom + frame.line), label)


def _draw_side(
    painter: QPainter,
    x_scale: _TimeScale,
    y_scale: ValueScale,
    series: Sequence[tuple[datetime, float]],
    colour: str,
    dashed: bool,
    style: ChartStyle,
    frame: Frame,
) -> None:
    """One side's line (dashed for the right) and its markers (squares for the right)."""
    points = [(x_scale.x(moment), y_scale.y(value)) for moment, value in series]
    pen_style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    painter.setPen(QPen(QColor(colour), 2.5, pen_style))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(polyline(per_pixel(points)))
    if len(points) > MAX_MARKED_POINTS:
        return  # markers would only blot the line out
    painter.setPen(QPen(QColor(style.background), 1))
    painter.setBrush(QBrush(QColor(colour)))
    radius = max(3.0, frame.line * 0.25)
    for x, y in points:
        if dashed:
            painter.drawRect(QRectF(x - radius, y - radius, 2 * radius, 2 * radius))
        else:
            painter.drawEllipse(QPointF(x, y), radius, radius)


def _draw_gap(
    painter: QPainter,
    x_scale: _TimeScale,
    y_scale: ValueScale,
    gaps: Sequence[tuple[datetime, float]],
    style: ChartStyle,
) -> None:
    """Right − left as a hatched area from zero, outlined."""
    points = per_pixel([(x_scale.x(moment), y_scale.y(gap)) for moment, gap in gaps])
    zero = y_scale.y(0.0)
    area = polyline([(points[0][0], zero), *points, (points[-1][0], zero)])
    area.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(style.gap), Qt.BrushStyle.BDiagPattern))
    painter.drawPath(area)
    painter.setPen(QPen(QColor(style.gap), 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(polyline(points))
