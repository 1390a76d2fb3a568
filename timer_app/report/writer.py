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

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from timer_app import APP_NAME
from timer_app.core import units
from timer_app.core.drill_comparison import MIN_SESSIONS, DrillComparison, compare_drills
from timer_app.core.drill_table import drill_rows, legend, verdict
from timer_app.report.chart_parts import PRINT_STYLE
from timer_app.report.charts import ProgressPoint, paint_gain_bars, paint_progress
from timer_app.report.content import (
    SESSION_HEADERS,
    SESSION_WIDTHS,
    local_text,
    progress_points,
    progress_title,
    session_cells,
)
from timer_app.report.layout import PageCursor, Table, pdf_font
from timer_app.storage.records import SessionRecord

#: Device units per inch: at 96 the page is laid out like a screen (A4 ≈ 794 x 1123).
RESOLUTION = 96
MAX_PAGES = 3
BODY_PT = 9.0
#: The sessions table is the longest part: a smaller size keeps most rows to one line.
SESSIONS_PT = 8.0
HEADING_PT = 13.0
NOTE_COLOUR = "#333333"
PROGRESS_HEIGHT = 290.0
#: More sessions than this never fit under the summary on page one (not worth measuring).
MAX_ON_FIRST_PAGE = 40
BARS_HEIGHT = 150.0
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
        title=progress_title(names, len(points)),
        unit=unit,
        block_cm=block_cm,
        since=since,
        now=now,
    )
    outcome: list[tuple[int, _SessionsShown]] = []

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
            pages = PageCursor(writer, painter)
            sessions = _paint(pages, content)
            outcome.append((pages.count, sessions))
        finally:
            painter.end()

    _atomic(path, ".pdf", write)
    write_chart_png(png, points, unit, content.title)
    ((pages, sessions),) = outcome
    return WrittenReport(path, png, pages, sessions.shown, sessions.left_out)


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


@dataclass(frozen=True)
class _SessionsShown:
    shown: int
    left_out: int


def _paint(pages: PageCursor, content: _Content) -> _SessionsShown:
    """The whole report, page after page."""
    _paint_title(pages, content)
    _paint_progress(pages, content)
    _paint_comparison(pages, content)
    return _paint_sessions(pages, content)


def _paint_title(pages: PageCursor, content: _Content) -> None:
    records, now = content.records, content.now
    first = content.since or (records[0].started_at if records else now)
    period = f"{local_text(first, False)} to {local_text(now, False)}"
    count = f"{len(records)} session{'s' if len(records) != 1 else ''}"
    block = f"; 1 block = {content.block_cm:g} cm" if content.unit == "blocks" else ""
    pages.text("Hip mobility report", pdf_font(18, bold=True), gap_after=2)
    pages.text(
        f"Period: {period} · {count} · heights in {units.Unit(content.unit).words}{block} · "
        f"made with {APP_NAME} on {local_text(now, False)}",
        pdf_font(BODY_PT),
        colour=NOTE_COLOUR,
        gap_after=8,
    )


def _paint_progress(pages: PageCursor, content: _Content) -> None:
    area = QRectF(0, pages.y, pages.width, PROGRESS_HEIGHT)
    paint_progress(pages.painter, area, content.points, content.unit, PRINT_STYLE, content.title)
    pages.y += PROGRESS_HEIGHT + 4
    caption = f"Drills charted: {', '.join(content.names)}." if content.names else ""
    latest_gap = next(
        (
            p.right - p.left
            for p in reversed(content.points)
            if p.left is not None and p.right is not None
        ),
        None,
    )
    if latest_gap is not None:
        gap = f"{latest_gap:+.2f}".rstrip("0").rstrip(".").replace("-", "−")
        caption += f" Latest gap, right − left: {gap} {units.Unit(content.unit).short}."
    if caption:
        pages.text(caption.strip(), pdf_font(BODY_PT), gap_after=10)


def _paint_comparison(pages: PageCursor, content: _Content) -> None:
    """The drill table, the verdict per side, what the columns mean, the caveats, bars."""
    comparison, unit, block_cm = content.comparison, content.unit, content.block_cm
    pages.text("Which drill works", pdf_font(HEADING_PT, bold=True), gap_after=4)
    rows = drill_rows(comparison, unit, block_cm)
    table = Table(
        headers=("#", "Drill", "Sessions", "Gain L", "Gain R", "4 wk L", "4 wk R", "Gap R−L"),
        widths=(0.04, 0.37, 0.1, 0.09, 0.09, 0.09, 0.09, 0.13),
        right_aligned=frozenset({0, 2, 3, 4, 5, 6, 7}),
        font=pdf_font(BODY_PT),
    )
    table.draw(pages, [(r.rank, r.name, *r.cells[3:]) for r in rows])
    pages.y += 6
    for line in verdict(comparison, unit, block_cm):
        pages.text(line, pdf_font(BODY_PT + 1, bold=True), gap_after=2)
    pages.y += 4
    notes = legend(comparison.window_days)
    if any(r.caveat for r in rows):
        notes.append(f"* rests on fewer than {MIN_SESSIONS} sessions: too few to trust yet.")
        notes.extend(f"{r.name}: {r.caveat}." for r in rows if r.caveat)
    for line in notes:
        pages.text(line, pdf_font(BODY_PT - 0.5), colour=NOTE_COLOUR, gap_after=1)
    pages.y += 8
    if pages.room() > BARS_HEIGHT + 60 and comparison.measured:
        area = QRectF(0, pages.y, pages.width, BARS_HEIGHT)
        paint_gain_bars(pages.painter, area, rows, unit, PRINT_STYLE)
        pages.y += BARS_HEIGHT + 10


def _paint_sessions(pages: PageCursor, content: _Content) -> _SessionsShown:
    """The sessions, oldest first; the oldest left out when they would need a fourth page."""
    records, unit, block_cm = content.records, content.unit, content.block_cm
    heading, body = pdf_font(HEADING_PT, bold=True), pdf_font(BODY_PT)
    table = Table(SESSION_HEADERS, SESSION_WIDTHS, frozenset({4}), pdf_font(SESSIONS_PT))
    # Page one is the summary a physiotherapist can be handed on its own: the sessions go
    # there only when all of them fit, else they start on page two.
    # Above the table: the heading and an introduction of one line, two with the note on
    # sessions left out.
    above = pages.metrics(heading).height() * 1.4 + pages.metrics(body).height() * 2 + 8
    fits_here = len(records) <= MAX_ON_FIRST_PAGE and table.fits(
        pages, [session_cells(r, unit, block_cm) for r in records], above, pages.count
    )
    if not fits_here:
        pages.new_page()
    # No more rows than three pages of one-line rows could hold: 20 years of sessions need
    # not all be formatted to find the last hundred that fit.
    one_line = pages.metrics(table.font).height() + 6
    left_out = max(0, len(records) - int(MAX_PAGES * pages.height / one_line) - 1)
    cells = [session_cells(r, unit, block_cm) for r in records[left_out:]]
    kept = table.newest_that_fit(pages, cells, above, MAX_PAGES)
    left_out += len(cells) - kept
    cells = cells[len(cells) - kept :]
    pages.text("Sessions", heading, gap_after=2)
    intro = "Heights before → after the drill; pain 0–10 after the drill, left / right."
    if left_out:
        intro += (
            f" The {left_out} oldest session{'s' if left_out != 1 else ''} of the period "
            f"{'are' if left_out != 1 else 'is'} left out to keep to {MAX_PAGES} pages; "
            "the CSV export has them all."
        )
    pages.text(intro, body, colour=NOTE_COLOUR, gap_after=4)
    table.draw(pages, cells or [["", "No sessions in this period.", "", "", "", ""]])
    return _SessionsShown(len(cells), left_out)
