"""The history chart: left and right heights over time, asymmetry below, personal bests marked.

This module imports pyqtgraph (about 0.2 s), so only the history window imports it, when the
window is built; start-up never pays for it. Left and right keep the session screen's colours
(yellow and blue on a dark ground) and also differ in marker shape and line style, for
colour-blind users.
"""

from __future__ import annotations

import html
import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from timer_app.core import units
from timer_app.ui.history_series import ChartSeries
from timer_app.ui.theme import SIDE_COLOURS

BACKGROUND = "#1a1a1a"
FOREGROUND = "#e8e8e8"
LEFT_COLOUR = SIDE_COLOURS["left"][0]
RIGHT_COLOUR = SIDE_COLOURS["right"][0]
ASYMMETRY_COLOUR = "#f48fb1"
BEST_OUTLINE = "#ffffff"
#: Above this many points, markers and antialiasing are dropped so 20 years draw fast.
MAX_MARKED_POINTS = 400
TICK_POINT_SIZE = 12
LEFT_AXIS_WIDTH = 84
#: The x axis spans at least two weeks, so it always reads in days.
MIN_X_SPAN_S = 14 * 86400
#: The height axis of a chart with no results yet (0..5 blocks, or cm/in as small numbers).
EMPTY_HEIGHT_RANGE = 5
LABEL_STYLE = {"color": FOREGROUND, "font-size": "13pt"}
#: Below this chart size the title and axis labels shrink (an 800x480 screen).
COMPACT_WIDTH = 1000
COMPACT_HEIGHT = 360


class DateAxis(pg.DateAxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A date axis whose finer ticks give way to coarser ones: pyqtgraph would print "Apr"
    (month tick) and "02" (day tick) on top of each other at a month's start."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        levels = super().tickValues(minVal, maxVal, size)
        kept: list[Any] = []
        taken: list[float] = []
        for spacing, values in levels:
            free = [v for v in values if all(abs(v - t) >= self.minSpacing for t in taken)]
            kept.append((spacing, free))
            taken.extend(free)
        return kept


class HistoryChart(QWidget):
    """Two stacked plots sharing a date axis: heights (left, right, personal bests) on top,
    right − left below. Call :meth:`show_series`; the plotted items are public attributes so
    tests can read back what is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: ChartSeries | None = None
        self._title = ""
        self._compact = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground(BACKGROUND)
        self.canvas.setObjectName("history_chart")
        layout.addWidget(self.canvas)

        self.height_plot: pg.PlotItem = self.canvas.addPlot(row=0, col=0)
        self.asym_plot: pg.PlotItem = self.canvas.addPlot(
            row=1, col=0, axisItems={"bottom": DateAxis(orientation="bottom")}
        )
        self.canvas.ci.layout.setRowStretchFactor(0, 3)
        self.canvas.ci.layout.setRowStretchFactor(1, 1)
        self.asym_plot.setXLink(self.height_plot)
        # Room above the highest point for the one-row legend.
        self.height_plot.getViewBox().setDefaultPadding(0.14)
        for plot in (self.height_plot, self.asym_plot):
            self._style(plot)
        # One date axis, under both plots (they share x): half the tick work, more room.
        self.height_plot.hideAxis("bottom")
        self.asym_plot.addLine(y=0, pen=pg.mkPen(FOREGROUND, width=1, style=Qt.PenStyle.DotLine))

        self.legend = self.height_plot.addLegend(
            # One row at the top left, over headroom kept free above the data (see below):
            # the newest points (right) are never under it.
            offset=(10, 6),
            colCount=3,
            labelTextSize="12pt",
            labelTextColor=FOREGROUND,
            brush=pg.mkBrush(26, 26, 26, 210),
            pen=pg.mkPen("#555555"),
        )
        self.left_curve = self.height_plot.plot(name="Left")
        self.right_curve = self.height_plot.plot(name="Right")
        self.left_best = pg.ScatterPlotItem()
        self.right_best = pg.ScatterPlotItem()
        for item in (self.left_best, self.right_best):
            self.height_plot.addItem(item)
        # One legend line for both sides' stars: a white star, drawn nowhere else.
        best_sample = pg.ScatterPlotItem(
            symbol="star", size=18, brush=pg.mkBrush(FOREGROUND), pen=pg.mkPen(BACKGROUND)
        )
        self.legend.addItem(best_sample, "New personal best")
        self.asym_curve = self.asym_plot.plot(name="Right − left")

    @staticmethod
    def _style(plot: pg.PlotItem) -> None:
        font = QFont()
        font.setPointSize(TICK_POINT_SIZE)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTickFont(font)
            axis.setPen(pg.mkPen(FOREGROUND))
            axis.setTextPen(pg.mkPen(FOREGROUND))
        # Plain numbers: no "(x0.001)" scale prefix on a height axis.
        plot.getAxis("left").enableAutoSIPrefix(False)
        # Same width on both plots, so a date sits at the same x in both.
        plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        plot.showGrid(x=True, y=True, alpha=0.15)
        # 7,300 points: draw only what is in view, and at most a point per pixel.
        plot.setClipToView(True)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setMenuEnabled(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # On a small screen the labels shrink, so the two plots' axis titles do not run into
        # each other and the title is not cut at the right edge.
        compact = self.width() < COMPACT_WIDTH or self.height() < COMPACT_HEIGHT
        if compact != self._compact:
            self._compact = compact
            if self.series is not None:
                self._show_labels(self.series)

    def show_series(self, series: ChartSeries, title: str) -> None:
        """Plot ``series`` (one routine's sessions) under ``title``."""
        self.series = series
        self._title = title
        self._show_labels(series)
        self._draw(series)

    def _show_labels(self, series: ChartSeries) -> None:
        # pyqtgraph titles are HTML: a routine name is escaped so it shows as written.
        title = html.escape(self._title)
        unit_label = units.UNIT_LABELS.get(series.unit, series.unit)
        count = series.sessions
        size = "11pt" if self._compact else "14pt"
        label_style = {**LABEL_STYLE, "font-size": "10pt"} if self._compact else LABEL_STYLE
        if count:
            subtitle = f"{count} session{'s' if count != 1 else ''}"
            bests = [
                f"{name} {units.format_height(best, series.unit)}"
                for name, best in (("left", series.left.best), ("right", series.right.best))
                if best is not None
            ]
            if bests and not self._compact:  # compact: the stars show the bests
                subtitle += " · best: " + ", ".join(bests)
            if self._compact:
                # No room for the legend over a short plot: the title names the colours.
                subtitle += (
                    f' · <span style="color:{LEFT_COLOUR}">● left</span>'
                    f' <span style="color:{RIGHT_COLOUR}">■ right</span> ★ best'
                )
            self.height_plot.setTitle(f"{title} · {subtitle}", color=FOREGROUND, size=size)
        else:
            self.height_plot.setTitle(
                f"{title} · no results recorded yet", color=FOREGROUND, size=size
            )
        self.legend.setVisible(not self._compact)
        if self._compact:
            self.height_plot.setLabel("left", unit_label, **label_style)
            self.asym_plot.setLabel("left", "R − L", **label_style)
        else:
            self.height_plot.setLabel("left", f"Height ({unit_label})", **label_style)
            self.asym_plot.setLabel("left", f"R − L ({unit_label})", **label_style)

    def _draw(self, series: ChartSeries) -> None:

        marked = max(len(series.left.x), len(series.right.x)) <= MAX_MARKED_POINTS
        self._draw_side(self.left_curve, series.left.x, series.left.y, LEFT_COLOUR, "o", marked)
        self._draw_side(
            self.right_curve, series.right.x, series.right.y, RIGHT_COLOUR, "s", marked, dash=True
        )
        for item, side, colour in (
            (self.left_best, series.left, LEFT_COLOUR),
            (self.right_best, series.right, RIGHT_COLOUR),
        ):
            item.setData(
                x=side.best_x,
                y=side.best_y,
                symbol="star",
                size=20,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen(BEST_OUTLINE, width=1.5),
            )
        self.asym_curve.setData(
            series.asym_x,
            series.asym_y,
            pen=pg.mkPen(ASYMMETRY_COLOUR, width=2),
            fillLevel=0,
            brush=pg.mkBrush(244, 143, 177, 70),
            symbol="d" if marked else None,
            symbolSize=7,
            symbolBrush=pg.mkBrush(ASYMMETRY_COLOUR),
            symbolPen=None,
            antialias=marked,
        )
        for plot in (self.height_plot, self.asym_plot):
            plot.enableAutoRange()
        xs = np.concatenate((series.left.x, series.right.x))
        if not len(xs):
            # Nothing to plot: pyqtgraph's default 0..1 range would label the axes
            # "00.100 … 00.900 (x0.001)". Show the last two weeks and a plain height scale.
            now = time.time()
            self.height_plot.setXRange(now - MIN_X_SPAN_S, now, padding=0)
            self.height_plot.setYRange(0, EMPTY_HEIGHT_RANGE, padding=0)
            self.asym_plot.setYRange(-1, 1, padding=0)
        elif xs.max() - xs.min() < MIN_X_SPAN_S:
            # A few sessions on one day would otherwise get an axis in hours.
            middle = (xs.max() + xs.min()) / 2
            self.height_plot.setXRange(
                middle - MIN_X_SPAN_S / 2, middle + MIN_X_SPAN_S / 2, padding=0
            )

    @staticmethod
    def _draw_side(
        curve: Any,
        x: Any,
        y: Any,
        colour: str,
        symbol: str,
        marked: bool,
        dash: bool = False,
    ) -> None:
        style = Qt.PenStyle.DashLine if dash else Qt.PenStyle.SolidLine
        curve.setData(
            x,
            y,
            pen=pg.mkPen(colour, width=3, style=style),
            symbol=symbol if marked else None,
            symbolSize=9,
            symbolBrush=pg.mkBrush(colour),
            symbolPen=pg.mkPen(BACKGROUND),
            antialias=marked,
        )
