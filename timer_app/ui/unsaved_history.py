"""Quitting while the history lives in memory: the sessions of this run would be lost.

When the history file could not be opened (a read-only folder, a full disk at start), the app
runs on a store in memory and says so on every session screen. Before it quits with sessions
in that store, :func:`confirm_quit` asks once: export them as CSV (to import later with
History → Import), quit anyway, or stay. Nothing is lost without a word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from timer_app.ui.plain_text import message_box

if TYPE_CHECKING:
    from timer_app.storage.history import History

EXPORT, QUIT, STAY = "export", "quit", "stay"


class UnsavedHistoryDialog:
    """The question; tests replace :meth:`ask` (it returns EXPORT, QUIT or STAY)."""

    @classmethod
    def ask(cls, parent: QWidget | None, sessions: int, why: str) -> str:
        box = message_box(
            parent,
            "Sessions not saved",
            f"{sessions} session{'s' if sessions != 1 else ''} of this run "
            f"{'are' if sessions != 1 else 'is'} not in your history file, and will be lost "
            "when the app quits.",
        )
        box.setInformativeText(
            f"{why}\n\nExport them as a CSV file now; History → Import adds them back later."
        )
        export = box.addButton("Export as CSV…", QMessageBox.ButtonRole.AcceptRole)
        quit_anyway = box.addButton("Quit without saving", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Don't quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(export)
        try:
            box.exec()
            clicked = box.clickedButton()
            return EXPORT if clicked is export else QUIT if clicked is quit_anyway else STAY
        finally:
            box.deleteLater()


def confirm_quit(parent: QWidget, history: History | None) -> bool:
    """True if the app may quit: the store is on disk, holds nothing, or the user chose to
    export (and it worked) or to quit anyway."""
    if history is None or history.on_disk:
        return True
    sessions = len(history.sessions())
    if not sessions:
        return True
    while True:
        choice = UnsavedHistoryDialog.ask(parent, sessions, history.notice or "")
        if choice == QUIT:
            return True
        if choice == STAY:
            return False
        from timer_app.ui.history_csv import export_with_dialog

        if export_with_dialog(parent, history) is not None:
            return True
