"""The report for a physiotherapist: one to three A4 pages of PDF, and the chart as PNG.

Page one: the period, the left/right chart over time with the gap, the drill comparison and
which drill helps each side most. Then the sessions, oldest first, with each side's height
before and after, pain scores and notes. When the sessions would need more than three pages,
the oldest are left out and the report says how many (the CSV export has them all).

Drawn with QPainter on a :class:`QPdfWriter` (QtGui, in PySide6-Essentials), so every word is
real, selectable text, and no window is needed: :func:`write_report` makes an off-screen
QGuiApplication when none exists, which is how ``timer-app --report`` works with no display.
Files are written to a temporary name beside the target and moved into place, so a failed
export never leaves half a PDF.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from timer_app import APP_NAME
from timer_app.core import units
from timer_app.core.drill_comparison import DrillComparison, compare_drills
from timer_app.core.drill_table import drill_rows, legend, verdict
from timer_app.core.results import When
from timer_app.core.routine import Side
from timer_app.report.chart_parts import PRINT_STYLE
from timer_app.report.charts import ProgressPoint, paint_gain_bars, paint_progress
from timer_app.storage.records import SessionRecord

#: Device units per inch: at 96 the page is laid out like a screen (A4 ≈ 794 x 1123).
RESOLUTION = 96
MAX_PAGES = 3
BODY_PT = 9.0
#: The sessions table is the longest part: a smaller size keeps most rows to one line.
SESSIONS_PT = 8.0
#: The PNG of the chart: logical size and pixel ratio (so 1600 x 900 pixels).
PNG_SIZE = (800, 450)
PNG_RATIO = 2.0

_APP: QGuiApplication | None = None


class ReportError(RuntimeError):
    """The report could not be written; the message names the file and the reason."""


@dataclass(frozen=True)
class WrittenReport:
    """What :func:`write_report` wrote."""

    pdf: Path
    chart_png: Path
    pages: int
    sessions_shown: int
    sessions_left_out: int


def ensure_gui(offscreen: bool = False) -> None:
    """A QGuiApplication for fonts and painting; off-screen when asked or with no display."""
    global _APP
    if QGuiApplication.instance() is not None:
        return
    headless = offscreen or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    args = ["timer-app", *(["-platform", "offscreen"] if headless else [])]
    _APP = QGuiApplication(args)


# -- what the report shows ---------------------------------------------------------------------


def _shown(record: SessionRecord, side: Side) -> float | None:
    """The height shown for a side: after the drill when measured, else before (cm)."""
    after = before = None
    for entry in record.results:
        if entry.side is side:
            if entry.when is When.AFTER:
                after = entry.value_cm
            else:
                before = entry.value_cm
    return after if after is not None else before


def _test_of(record: SessionRecord) -> str:
    """What test a session's heights come from: sessions with the same range-test
    instruction measure the same thing, so they may share one chart."""
    measurement = record.snapshot.get("measurement") if isinstance(record.snapshot, dict) else None
    if isinstance(measurement, dict) and isinstance(measurement.get("instruction"), str):
        return str(measurement["instruction"])
    return record.routine_id


def progress_points(
    records: Sequence[SessionRecord], unit: str, block_cm: float
) -> tuple[list[ProgressPoint], list[str]]:
    """The sessions of the most used range test, oldest first, in ``unit``; and the names
    of the routines they come from (most sessions first)."""
    measured = [r for r in records if r.results]
    if not measured:
        return [], []
    groups: dict[str, list[SessionRecord]] = {}
    for record in measured:
        groups.setdefault(_test_of(record), []).append(record)
    chosen = max(groups.values(), key=len)
    factor = units.to_cm(1.0, unit, block_cm)
    points = [
        ProgressPoint(
            r.started_at,
            None if (left := _shown(r, Side.LEFT)) is None else left / factor,
            None if (right := _shown(r, Side.RIGHT)) is None else right / factor,
        )
        for r in sorted(chosen, key=lambda r: r.started_at)
    ]
    counts: dict[str, int] = {}
    for record in chosen:
        counts[record.routine_name] = counts.get(record.routine_name, 0) + 1
    names = sorted(counts, key=lambda name: -counts[name])
    return points, names


def _progress_title(names: list[str], count: int) -> str:
    if not names:
        return "Left and right over time"
    drills = f"{len(names)} drills, " if len(names) > 1 else ""
    return f"Left and right over time ({drills}{count} sessions on one range test)"


def _pair(record: SessionRecord, side: Side, unit: str, block_cm: float) -> str:
    values = {e.when: e.value_cm for e in record.results if e.side is side}
    parts = [
        units.format_height(units.from_cm(values[when], unit, block_cm), unit).split()[0]
        for when in (When.BEFORE, When.AFTER)
        if when in values
    ]
    if not parts:
        return "–"
    if len(parts) == 2:
        return f"{parts[0]} → {parts[1]}"
    return parts[0] + (" (before)" if When.BEFORE in values else "")


def _pain(record: SessionRecord) -> str:
    scores = {e.side: e.pain for e in record.results if e.pain is not None and e.when is When.AFTER}
    if not scores:
        scores = {e.side: e.pain for e in record.results if e.pain is not None}
    if not scores:
        return ""
    left, right = scores.get(Side.LEFT), scores.get(Side.RIGHT)
    return f"{'–' if left is None else left} / {'–' if right is None else right}"


def _note(record: SessionRecord) -> str:
    notes: list[str] = []
    for entry in record.results:
        if entry.note and entry.note not in notes:
            notes.append(entry.note)
    return " · ".join(notes)


def _local(moment: datetime, with_time: bool = True) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


# -- layout --------------------------------------------------------------------------------------

#: The sessions table's columns and their share of the page width; the note takes the rest.
SESSION_COLUMNS = (
    ("Date", 0.17),
    ("Drill", 0.27),
    ("Left", 0.12),
    ("Right", 0.12),
    ("Pain", 0.08),
)


class _Pages:
    """A cursor over the PDF's pages: where the next line goes, and page breaks."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter
        self.width = float(writer.width())
        self.height = float(writer.height())
        self.y = 0.0
        self.count = 1

    def room(self) -> float:
        return self.height - self.y

    def new_page(self) -> None:
        self.writer.newPage()
        self.count += 1
        self.y = 0.0

    def text(self, text: str, font: QFont, colour: str = "#111111", gap_after: float = 4.0) -> None:
        """A paragraph, word-wrapped to the page width."""
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour))
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        bounds = QFontMetricsF(font, self.writer).boundingRect(
            QRectF(0, 0, self.width, 10_000), int(flags), text
        )
        self.painter.drawText(QRectF(0, self.y, self.width, bounds.height() + 2), int(flags), text)
        self.y += bounds.height() + gap_after


def _font(point_size: float = BODY_PT, bold: bool = False, family: str | None = None) -> QFont:
    font = QFont(family) if family else QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def _table(
    pages: _Pages,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    right_aligned: set[int],
    font: QFont,
) -> None:
    """A table with a bold header and shaded alternate rows; cells wrap; rows never split."""
    painter = pages.painter
    bold = QFont(font)
    bold.setBold(True)
    pad = 3.0
    lefts = [sum(widths[:i]) * pages.width for i in range(len(widths))]
    cell_widths = [w * pages.width - 2 * pad for w in widths]

    def row_height(cells: Sequence[str], row_metrics: QFontMetricsF) -> float:
        flags = int(Qt.TextFlag.TextWordWrap)
        return (
            max(
                row_metrics.boundingRect(QRectF(0, 0, cell_widths[i], 10_000), flags, cell).height()
                for i, cell in enumerate(cells)
            )
            + 2 * pad
        )

    def draw(cells: Sequence[str], row_font: QFont, shade: str | None) -> None:
        height = row_height(cells, QFontMetricsF(row_font, pages.writer))
        if height > pages.room():
            pages.new_page()
        if shade:
            painter.fillRect(QRectF(0, pages.y, pages.width, height), QColor(shade))
        painter.setFont(row_font)
        painter.setPen(QColor("#111111"))
        for index, cell in enumerate(cells):
            align = (
                Qt.AlignmentFlag.AlignRight
                if index in right_aligned
                else Qt.AlignmentFlag.AlignLeft
            )
            painter.drawText(
                QRectF(lefts[index] + pad, pages.y + pad, cell_widths[index], height - 2 * pad),
                int(align | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                cell,
            )
        pages.y += height

    draw(headers, bold, "#dddddd")
    for index, cells in enumerate(rows):
        draw(cells, font, "#f2f2f2" if index % 2 else None)


def _session_widths() -> list[float]:
    widths = [w for _, w in SESSION_COLUMNS]
    return [*widths, 1 - sum(widths)]


def _session_cells(record: SessionRecord, unit: str, block_cm: float) -> list[str]:
    return [
        _local(record.started_at),
        record.routine_name,
        _pair(record, Side.LEFT, unit, block_cm),
        _pair(record, Side.RIGHT, unit, block_cm),
        _pain(record),
        _note(record),
    ]


# -- writing -------------------------------------------------------------------------------------


def _atomic(target: Path, suffix: str, write: Callable[[Path], None]) -> None:
    """Call ``write`` with a temporary path beside ``target``, then move it into place."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ReportError(f"{target}: cannot write: no folder {folder}")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=suffix, dir=folder)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write: {exc.strerror or exc}") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_chart_png(path: Path, points: Sequence[ProgressPoint], unit: str, title: str) -> None:
    """The left/right chart as a 1600 x 900 PNG (white ground, print colours)."""

    def write(temp: Path) -> None:
        width, height = PNG_SIZE
        image = QImage(int(width * PNG_RATIO), int(height * PNG_RATIO), QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(PNG_RATIO)
        # 96 dots per inch, so point sizes come out as on a screen (QImage defaults to 72).
        image.setDotsPerMeterX(3780)
        image.setDotsPerMeterY(3780)
        image.fill(QColor(PRINT_STYLE.background))
        painter = QPainter(image)
        paint_progress(
            painter,
            QRectF(0, 0, width, height),
            points,
            unit,
            replace(PRINT_STYLE, point_size=11),
            title,
        )
        painter.end()
        if not image.save(str(temp)):
            raise OSError(f"the PNG could not be written to {temp.parent}")

    _atomic(path, ".png", write)


def write_report(
    path: Path,
    records: Sequence[SessionRecord],
    *,
    unit: str,
    block_cm: float,
    since: datetime | None,
    now: datetime,
    offscreen: bool = False,
    chart_png: Path | None = None,
) -> WrittenReport:
    """Write the PDF report of ``records`` (the sessions of the period) to ``path`` and the
    chart to ``chart_png`` (default: ``path`` with ``.png``). Raises :class:`ReportError`."""
    ensure_gui(offscreen)
    path = Path(path)
    png = chart_png or path.with_suffix(".png")
    ordered = sorted((r for r in records if r.started_at <= now), key=lambda r: r.started_at)
    points, names = progress_points(ordered, unit, block_cm)
    content = _Content(
        records=ordered,
        comparison=compare_drills(ordered, now),
        points=points,
        names=names,
        title=_progress_title(names, len(points)),
        unit=unit,
        block_cm=block_cm,
        since=since,
        now=now,
    )
    outcome: dict[str, int] = {}

    def write(temp: Path) -> None:
        writer = QPdfWriter(str(temp))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(16, 14, 16, 14),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setTitle("Hip mobility report")
        writer.setCreator(APP_NAME)
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError("the PDF could not be opened for writing")
        try:
            outcome.update(_paint(writer, painter, content))
        finally:
            painter.end()

    _atomic(path, ".pdf", write)
    write_chart_png(png, points, unit, content.title)
    return WrittenReport(path, png, outcome["pages"], outcome["shown"], outcome["left_out"])


@dataclass(frozen=True)
class _Content:
    """Everything the report shows, computed before drawing starts."""

    records: Sequence[SessionRecord]  # oldest first
    comparison: DrillComparison
    points: Sequence[ProgressPoint]
    names: Sequence[str]
    title: str
    unit: str
    block_cm: float
    since: datetime | None
    now: datetime


def _paint(writer: QPdfWriter, painter: QPainter, content: _Content) -> dict[str, int]:
    ordered, comparison, points, names = (
        content.records,
        content.comparison,
        content.points,
        content.names,
    )
    unit, block_cm, since, now, title = (
        content.unit,
        content.block_cm,
        content.since,
        content.now,
        content.title,
    )
    pages = _Pages(writer, painter)
    body = _font()
    unit_words = units.Unit(unit).words
    first = since or (ordered[0].started_at if ordered else now)
    period = f"{_local(first, False)} to {_local(now, False)}"
    pages.text("Hip mobility report", _font(18, bold=True), gap_after=2)
    block = f"; 1 block = {block_cm:g} cm" if unit == "blocks" else ""
    pages.text(
        f"Period: {period} · {len(ordered)} session{'s' if len(ordered) != 1 else ''} · "
        f"heights in {unit_words}{block} · made with {APP_NAME} on {_local(now, False)}",
        body,
        colour="#333333",
        gap_after=8,
    )

    chart_height = 290.0
    paint_progress(
        painter, QRectF(0, pages.y, pages.width, chart_height), points, unit, PRINT_STYLE, title
    )
    pages.y += chart_height + 4
    latest_gap = next(
        (p.right - p.left for p in reversed(points) if p.left is not None and p.right is not None),
        None,
    )
    caption = f"Drills charted: {', '.join(names)}." if names else ""
    if latest_gap is not None:
        gap = f"{latest_gap:+.2f}".rstrip("0").rstrip(".").replace("-", "−")
        caption += f" Latest gap, right − left: {gap} {units.Unit(unit).short}."
    if caption:
        pages.text(caption.strip(), body, gap_after=10)

    pages.text("Which drill works", _font(13, bold=True), gap_after=4)
    rows = drill_rows(comparison, unit, block_cm)
    headers = ("#", "Drill", "Sessions", "Gain L", "Gain R", "4 wk L", "4 wk R", "Gap R−L")
    widths = (0.04, 0.37, 0.1, 0.09, 0.09, 0.09, 0.09, 0.13)
    _table(
        pages,
        headers,
        widths,
        [
            (
                r.rank,
                r.name,
                r.sessions,
                r.gain_left,
                r.gain_right,
                r.change_left,
                r.change_right,
                r.gap,
            )
            for r in rows
        ],
        {0, 2, 3, 4, 5, 6, 7},
        body,
    )
    pages.y += 6
    for line in verdict(comparison, unit, block_cm):
        pages.text(line, _font(BODY_PT + 1, bold=True), gap_after=2)
    pages.y += 4
    notes = [*legend(comparison.window_days)]
    if any(r.caveat for r in rows):
        notes.append("* rests on fewer than 3 sessions: too few to trust yet.")
        notes.extend(f"{r.name}: {r.caveat}." for r in rows if r.caveat)
    for line in notes:
        pages.text(line, _font(BODY_PT - 0.5), colour="#333333", gap_after=1)
    pages.y += 8

    bars_height = 170.0
    if pages.room() > bars_height + 60 and comparison.measured:
        paint_gain_bars(
            painter, QRectF(0, pages.y, pages.width, bars_height), rows, unit, PRINT_STYLE
        )
        pages.y += bars_height + 10

    # The sessions, oldest first; the oldest left out when they would need a fourth page.
    heading_font = _font(13, bold=True)
    table_font = _font(SESSIONS_PT)
    # No more rows than three pages of one-line rows could hold: 20 years of sessions need
    # not all be formatted to find the last hundred that fit.
    one_line = QFontMetricsF(table_font, writer).height() + 6
    most = int(MAX_PAGES * pages.height / one_line) + 1
    left_out = max(0, len(ordered) - most)
    cells = [_session_cells(r, unit, block_cm) for r in ordered[left_out:]]
    if not _fits(pages, cells, table_font, heading_font):
        # The most recent rows that fit: a binary search, as measuring is not free.
        low, high = 0, len(cells)
        while low < high:
            middle = (low + high + 1) // 2
            if _fits(pages, cells[-middle:], table_font, heading_font):
                low = middle
            else:
                high = middle - 1
        left_out += len(cells) - low
        cells = cells[len(cells) - low :]
    if pages.room() < 80:
        pages.new_page()
    pages.text("Sessions", heading_font, gap_after=2)
    intro = "Heights before → after the drill; pain 0–10 after the drill, left / right."
    if left_out:
        intro += (
            f" The {left_out} oldest session{'s' if left_out != 1 else ''} of the period "
            f"{'are' if left_out != 1 else 'is'} left out to keep to {MAX_PAGES} pages; "
            "the CSV export has them all."
        )
    pages.text(intro, body, colour="#333333", gap_after=4)
    _table(
        pages,
        [*(h for h, _ in SESSION_COLUMNS), "Note"],
        _session_widths(),
        cells or [["", "No sessions in this period.", "", "", "", ""]],
        {4},
        table_font,
    )
    return {"pages": pages.count, "shown": len(cells), "left_out": left_out}


def _fits(pages: _Pages, cells: Sequence[Sequence[str]], font: QFont, heading: QFont) -> bool:
    """Whether the sessions table fits in what is left of this page and the pages after it,
    up to MAX_PAGES, rows never split across pages."""
    metrics = QFontMetricsF(font, pages.writer)
    pad = 3.0
    cell_widths = [w * pages.width - 2 * pad for w in _session_widths()]
    flags = int(Qt.TextFlag.TextWordWrap)
    page, y = pages.count, pages.y
    if pages.height - y < 80:
        page, y = page + 1, 0.0
    # Heading, intro (two lines at most) and the header row.
    y += QFontMetricsF(heading, pages.writer).height() * 1.4 + metrics.height() * 4 + 12
    for row in cells:
        height = (
            max(
                metrics.boundingRect(QRectF(0, 0, cell_widths[i], 10_000), flags, cell).height()
                for i, cell in enumerate(row)
            )
            + 2 * pad
        )
        if y + height > pages.height:
            page, y = page + 1, 0.0
            if page > MAX_PAGES:
                return False
        y += height
    return page <= MAX_PAGES
