"""The history window's Export CSV and Import CSV actions: file dialogs and messages.

The CSV format and its all-or-nothing import live in :mod:`timer_app.storage.csv_io`; this
module only asks for a file and tells the user what happened. An import error names the line
and the reason, and says that nothing was imported.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from timer_app.core.safe_read import FileReadError
from timer_app.core.safe_write import write_export
from timer_app.storage.csv_io import CsvImportError, export_csv, import_history
from timer_app.storage.history import History
from timer_app.storage.records import HistoryError
from timer_app.ui.plain_text import warn

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def export_with_dialog(parent: QWidget, history: History) -> str | None:
    """Ask where to save, write every session there; a line for the status bar, or None
    if the user cancelled or the file could not be written (then a message box said why).
    Allowed even when the store lives in memory this run: exporting is then the way to keep
    this run's sessions (the file dialog asks before replacing a file)."""
    default = str(Path.home() / f"mobility-history-{datetime.now():%Y-%m-%d}.csv")
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Export history as CSV", default, CSV_FILTER
    )
    if not path:
        return None
    buffer = io.StringIO()
    try:
        count = export_csv(history, buffer)
        # Written whole or not at all: a half-written export is worse than none.
        write_export(path, buffer.getvalue())
    except OSError as exc:
        warn(parent, "Export failed", f"The history could not be written to {path}:\n{exc}")
        return None
    return f"Exported {count} rows to {path}."


def import_with_dialog(
    parent: QWidget, history: History, block_height_cm: float
) -> tuple[int, str] | None:
    """Ask for a CSV file and import it; (sessions added, a line for the status bar), or
    None if the user cancelled or the import was refused (a message box said why).
    ``block_height_cm`` is the user's block setting, as the command line uses it."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Import history from CSV", str(Path.home()), CSV_FILTER
    )
    if not path:
        return None
    name = Path(path).name
    if not history.on_disk:  # "imported" must mean stored
        warn(
            parent,
            "Import failed",
            f"Nothing was imported from {name}: your history cannot be saved this time.\n\n"
            f"{history.notice or ''}",
        )
        return None
    try:
        added = import_history(history, path, block_height_cm)
    except CsvImportError as exc:
        warn(
            parent,
            "Import failed",
            f"Nothing was imported from {name}.\n\nLine {exc.line}: {exc.reason}",
        )
        return None
    except (OSError, FileReadError, HistoryError) as exc:
        warn(parent, "Import failed", f"Nothing was imported from {name}:\n{exc}")
        return None
    if added:
        return added, f"Imported {added} sessions from {name}."
    return 0, f"Nothing new in {name}: every session was already here."
