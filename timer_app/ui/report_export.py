"""The history window's *Export report*: ask where, write the PDF and PNG, say what happened.

The report itself is :func:`timer_app.report.writer.write_report` (the same as
``timer-app --report``); this module only asks for a file name and reports the outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from timer_app.report.writer import ReportError, write_report
from timer_app.storage.records import SessionRecord
from timer_app.ui.plain_text import warn

PDF_FILTER = "PDF files (*.pdf)"


def export_report_with_dialog(
    parent: QWidget,
    records: Sequence[SessionRecord],
    unit: str,
    block_cm: float,
    now: datetime | None = None,
) -> str | None:
    """Ask where to save the report of ``records``, write it; a line for the status bar, or
    None if the user cancelled or it could not be written (then a message box said why)."""
    moment = now or datetime.now(UTC)
    default = str(Path.home() / f"mobility-report-{moment.astimezone():%Y-%m-%d}.pdf")
    chosen, _filter = QFileDialog.getSaveFileName(parent, "Export report", default, PDF_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        written = write_report(path, records, unit=unit, block_cm=block_cm, since=None, now=moment)
    except ReportError as exc:
        warn(parent, "Report not saved", str(exc))
        return None
    pages = f"{written.pages} page{'s' if written.pages != 1 else ''}"
    return f"Saved the report ({pages}) to {written.pdf} and its chart to {written.chart_png}."
