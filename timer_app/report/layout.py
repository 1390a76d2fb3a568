"""Laying text and tables out on PDF pages: a cursor that breaks pages, and a table whose
rows wrap and never split across a page.

QtGui only. Sizes are the writer's device units (the report lays A4 out at 96 dpi, so they
measure like screen pixels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPdfWriter

TEXT_COLOUR = "#111111"
HEADER_SHADE = "#dddddd"
ROW_SHADE = "#f2f2f2"
#: Space around a cell's text.
CELL_PAD = 3.0
_WRAP = int(Qt.TextFlag.TextWordWrap)


def pdf_font(point_size: float, bold: bool = False) -> QFont:
    """The default family at ``point_size``."""
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


class PageCursor:
    """Where the next line goes on the PDF's pages, and the page breaks."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter
        self.width = float(writer.width())
        self.height = float(writer.height())
        self.y = 0.0
        self.count = 1

    def room(self) -> float:
        """Height left on this page."""
        return self.height - self.y

    def new_page(self) -> None:
        self.writer.newPage()
        self.count += 1
        self.y = 0.0

    def metrics(self, font: QFont) -> QFontMetricsF:
        """``font`` measured on the PDF (not the screen)."""
        return QFontMetricsF(font, self.writer)

    def text(
        self, text: str, font: QFont, colour: str = TEXT_COLOUR, gap_after: float = 4.0
    ) -> None:
        """A paragraph, word-wrapped to the page width."""
        bounds = self.metrics(font).boundingRect(QRectF(0, 0, self.width, 10_000), _WRAP, text)
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour))
        self.painter.drawText(
            QRectF(0, self.y, self.width, bounds.height() + 2),
            int(Qt.AlignmentFlag.AlignLeft) | _WRAP,
            text,
        )
        self.y += bounds.height() + gap_after


@dataclass(frozen=True)
class Table:
    """Columns as shares of the page width; cells wrap; a bold, shaded header row."""

    headers: Sequence[str]
    widths: Sequence[float]
    right_aligned: frozenset[int]
    font: QFont

    def _cell_widths(self, pages: PageCursor) -> list[float]:
        return [w * pages.width - 2 * CELL_PAD for w in self.widths]

    def row_height(self, pages: PageCursor, cells: Sequence[str], font: QFont) -> float:
        metrics = pages.metrics(font)
        widths = self._cell_widths(pages)
        tallest = max(
            metrics.boundingRect(QRectF(0, 0, widths[i], 10_000), _WRAP, cell).height()
            for i, cell in enumerate(cells)
        )
        return tallest + 2 * CELL_PAD

    def draw(self, pages: PageCursor, rows: Sequence[Sequence[str]]) -> None:
        """The header, then ``rows``; a row that does not fit starts a new page."""
        bold = QFont(self.font)
        bold.setBold(True)
        self._draw_row(pages, self.headers, bold, HEADER_SHADE)
        for index, cells in enumerate(rows):
            self._draw_row(pages, cells, self.font, ROW_SHADE if index % 2 else None)

    def _draw_row(
        self, pages: PageCursor, cells: Sequence[str], font: QFont, shade: str | None
    ) -> None:
        height = self.row_height(pages, cells, font)
        if height > pages.room():
            pages.new_page()
        painter = pages.painter
        if shade:
            painter.fillRect(QRectF(0, pages.y, pages.width, height), QColor(shade))
        painter.setFont(font)
        painter.setPen(QColor(TEXT_COLOUR))
        widths = self._cell_widths(pages)
        left = 0.0
        for index, cell in enumerate(cells):
            align = (
                Qt.AlignmentFlag.AlignRight
                if index in self.right_aligned
                else Qt.AlignmentFlag.AlignLeft
            )
            box = QRectF(left + CELL_PAD, pages.y + CELL_PAD, widths[index], height - 2 * CELL_PAD)
            painter.drawText(box, int(align | Qt.AlignmentFlag.AlignTop) | _WRAP, cell)
            left += self.widths[index] * pages.width
        pages.y += height

    def fits(
        self, pages: PageCursor, rows: Sequence[Sequence[str]], above: float, last_page: int
    ) -> bool:
        """Whether ``above`` (a heading) and the table with ``rows`` fit from the cursor
        on, ending on page ``last_page`` at the latest."""
        page, y = pages.count, pages.y + above
        y += self.row_height(pages, self.headers, self.font)
        for cells in rows:
            height = self.row_height(pages, cells, self.font)
            if y + height > pages.height:
                page, y = page + 1, 0.0
                if page > last_page:
                    return False
            y += height
        return page <= last_page

    def newest_that_fit(
        self, pages: PageCursor, rows: Sequence[Sequence[str]], above: float, last_page: int
    ) -> int:
        """How many of the last ``rows`` fit (see :meth:`fits`): all of them, or the most
        a binary search finds (measuring text is not free)."""
        if self.fits(pages, rows, above, last_page):
            return len(rows)
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high + 1) // 2
            if self.fits(pages, rows[len(rows) - middle :], above, last_page):
                low = middle
            else:
                high = middle - 1
        return low
