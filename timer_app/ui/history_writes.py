"""The one guarded route for writes to the history, and what happens when one fails.

Every write the app makes (a running session's progress, its end, its results, a recovered
session's choice) goes through :meth:`HistoryWrites.write`: a ``HistoryError`` or ``OSError``
(disk full, read-only folder, file removed) never escapes into the event loop. Progress writes
only report the problem (the session goes on). Results are what the user typed and cannot be
measured again, so :meth:`HistoryWrites.save_results` keeps them in memory when the write fails
and asks the user: try again, export them to a CSV file, or keep them for now (the end screen
then offers to save them again). A store kept in memory this run goes back to its file at
the first write that finds it writable again (``reconnected``).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from timer_app.core.results import ResultEntry
from timer_app.core.safe_write import write_export
from timer_app.storage.csv_io import neutralise
from timer_app.storage.records import HistoryError
from timer_app.ui.plain_text import message_box, warn

if TYPE_CHECKING:
    from timer_app.storage.history import History  # sqlite3: opened after the first paint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnsavedResults:
    """Results the history refused, kept in memory until a retry or an export succeeds."""

    session_id: int
    routine_name: str
    results: tuple[ResultEntry, ...]
    pending: bool
    reason: str


class UnsavedResultsDialog:
    """Tells the user their results were not saved and asks what to do. Tests replace
    :meth:`ask` (it returns "retry", "export" or "keep")."""

    @classmethod
    def ask(cls, parent: QWidget | None, unsaved: UnsavedResults) -> str:
        box = message_box(parent, "Results not saved", "")
        box.setText("Your results could not be saved to the history.")
        box.setInformativeText(
            f"{unsaved.reason}\n\nThey are kept while the app is open. Try again (after freeing"
            " disk space, for example), or export them to a CSV file."
        )
        retry = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
        export = box.addButton("Export as CSV…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Keep for now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(retry)
        box.exec()
        clicked = box.clickedButton()
        return "retry" if clicked is retry else "export" if clicked is export else "keep"


def results_csv(unsaved: UnsavedResults) -> str:
    """The kept results as a small CSV (one row per side and moment), readable anywhere."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["routine", "side", "when", "height_cm", "entered", "unit", "pain", "note"])
    for entry in unsaved.results:
        writer.writerow(
            [
                neutralise(unsaved.routine_name),
                entry.side.value,
                entry.when.value,
                f"{entry.value_cm:g}",
                f"{entry.entered_value:g}",
                entry.unit.value,
                "" if entry.pain is None else entry.pain,
                neutralise(entry.note),
            ]
        )
    return out.getvalue()


class HistoryWrites(QObject):
    """Runs writes against ``history`` and turns a failed one into a message.

    ``problem`` carries a one-line message for a failed write (the session screen shows it);
    ``unsaved_changed`` fires when results are kept in memory or finally saved;
    ``reconnected`` when a history kept in memory has just gone back to its file (with what
    memory kept), so "not saved" notices are stale.
    """

    problem = Signal(str)
    unsaved_changed = Signal()
    reconnected = Signal()

    def __init__(
        self, history: History, dialog_parent: QWidget | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.history = history
        self._dialog_parent = dialog_parent
        self.unsaved: UnsavedResults | None = None
        #: Why the last refused write was refused ("" after a successful one).
        self.last_error = ""

    def write(self, action: Callable[[History], object], report: bool = True) -> bool:
        """Run one store call; False if the store refused it (then, with ``report``,
        ``problem`` carries a message for the user)."""
        on_disk = self.history.on_disk
        try:
            action(self.history)
        except (HistoryError, OSError) as exc:
            log.warning("history write failed: %s", exc)
            self.last_error = f"Could not save to your history: {exc}"
            if report:
                self.problem.emit(self.last_error)
            return False
        finally:
            self._note_reconnect(on_disk)
        self.last_error = ""
        return True

    def _note_reconnect(self, was_on_disk: bool) -> None:
        if not was_on_disk and self.history.on_disk:
            self.reconnected.emit()

    def save_results(
        self,
        session_id: int,
        routine_name: str,
        results: Sequence[ResultEntry],
        pending: bool = False,
    ) -> bool:
        """Save a session's results. On failure they are kept (:attr:`unsaved`) and the user
        chooses: try again, export them as CSV, or keep them for later (:meth:`retry`)."""
        entries = tuple(results)
        if not entries:  # only the "results to fill in" mark: nothing typed can be lost
            return self.write(lambda h: h.save_results(session_id, [], pending), report=False)
        while True:
            failure: list[str] = []
            on_disk = self.history.on_disk
            try:
                self.history.save_results(session_id, list(entries), pending)
            except (HistoryError, OSError) as exc:
                log.warning("results not saved: %s", exc)
                failure.append(str(exc))
            self._note_reconnect(on_disk)
            if not failure:
                if self.unsaved is not None and self.unsaved.session_id == session_id:
                    self.unsaved = None
                    self.unsaved_changed.emit()
                return True
            self.unsaved = UnsavedResults(session_id, routine_name, entries, pending, failure[0])
            self.unsaved_changed.emit()
            choice = UnsavedResultsDialog.ask(self._dialog_parent, self.unsaved)
            if choice == "retry":
                continue
            if choice == "export":
                self.export_unsaved()
            return False

    def retry(self) -> bool:
        """Try the kept results again (the end screen's "Save results again")."""
        kept = self.unsaved
        if kept is None:
            return True
        return self.save_results(kept.session_id, kept.routine_name, kept.results, kept.pending)

    def export_unsaved(self) -> Path | None:
        """Ask where to write the kept results as CSV; the file written, or None."""
        kept = self.unsaved
        if kept is None:
            return None
        default = str(Path.home() / f"mobility-results-{datetime.now():%Y-%m-%d-%H%M}.csv")
        path, _filter = QFileDialog.getSaveFileName(
            self._dialog_parent, "Export results as CSV", default, "CSV files (*.csv)"
        )
        if not path:
            return None
        try:
            write_export(path, results_csv(kept))
        except OSError as exc:
            warn(self._dialog_parent, "Export failed", f"Could not write {path}:\n{exc}")
            return None
        return Path(path)
