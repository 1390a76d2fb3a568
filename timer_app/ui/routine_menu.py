"""The main window's Routines menu: new, edit, duplicate, rename, delete, reset, import, export.

Each item calls one function of :mod:`timer_app.ui.routine_actions` (or the editor) on the
routine selected on the start screen; afterwards ``routine_changed`` names the routine to
select once the list is read again ("" when it is gone).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:  # the routine model is loaded after the start screen's first paint
    from timer_app.core.library import RoutineEntry
    from timer_app.core.routine import Routine
    from timer_app.core.routine_store import Folders


class RoutineMenu(QObject):
    """Builds the Routines menu and runs its items. ``selected`` gives the start screen's
    routine; ``folders`` the user's and the built-in routine folders."""

    routine_changed = Signal(str)  # routine id to select after the list is re-read

    def __init__(
        self,
        window: QWidget,
        menu: QMenu,
        selected: Callable[[], RoutineEntry | None],
        folders: Callable[[], Folders],
        add_action: Callable[..., QAction],
        window_sizes: dict[str, list[int]],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._window_sizes = window_sizes  # the editor remembers its size there
        self._selected = selected
        self._folders = folders
        add_action(menu, "&New routine…", self.new_routine, "Ctrl+N")
        self.actions: dict[str, QAction] = {
            "edit": add_action(menu, "&Edit routine…", self.edit_routine, "Ctrl+E"),
            "duplicate": add_action(menu, "&Duplicate", self.duplicate),
            "rename": add_action(menu, "Re&name…", self.rename),
            "delete": add_action(menu, "De&lete…", self.delete),
            "reset": add_action(menu, "Reset to &defaults…", self.reset),
        }
        menu.addSeparator()
        self.actions["import"] = add_action(menu, "&Import routine file…", self.import_file)
        self.actions["export"] = add_action(menu, "E&xport routine file…", self.export_file)

    def update_for(self, entry: RoutineEntry | None) -> None:
        """Enable the items that make sense for the selected routine."""
        from timer_app.core.routine_store import enabled_actions

        for name, enabled in enabled_actions(entry).items():
            if name in self.actions:
                self.actions[name].setEnabled(enabled)
        self.actions["edit"].setEnabled(entry is not None and entry.routine is not None)

    def new_routine(self) -> None:
        from timer_app.ui.editor import RoutineEditorDialog

        folders = self._folders()
        saved = RoutineEditorDialog.edit(
            None, folders.user, self._window, folders.builtin, self._window_sizes
        )
        if saved is not None:
            self._select_saved(saved)

    def edit_routine(self) -> None:
        from timer_app.ui.editor import RoutineEditorDialog

        entry = self._selected()
        if entry is None:
            return
        folders = self._folders()
        saved = RoutineEditorDialog.edit(
            entry, folders.user, self._window, folders.builtin, self._window_sizes
        )
        if saved is not None:
            self._select_saved(saved)

    def _select_saved(self, path: Path) -> None:
        from timer_app.core.routine_file import RoutineError, load_routine

        try:
            routine_id = load_routine(path).id
        except RoutineError:
            routine_id = path.stem
        self.routine_changed.emit(routine_id)

    def _changed(self, result: Routine | None) -> None:
        from timer_app.core.routine import Routine

        if isinstance(result, Routine):
            self.routine_changed.emit(result.id)

    def import_file(self) -> None:
        from timer_app.ui.routine_actions import import_routine_action

        self._changed(import_routine_action(self._window, self._folders()))

    def export_file(self) -> None:
        from timer_app.ui.routine_actions import export_routine_action

        entry = self._selected()
        if entry is not None:
            export_routine_action(self._window, entry)

    def duplicate(self) -> None:
        from timer_app.ui.routine_actions import duplicate_routine_action

        entry = self._selected()
        if entry is not None:
            self._changed(duplicate_routine_action(self._window, entry, self._folders()))

    def rename(self) -> None:
        from timer_app.ui.routine_actions import rename_routine_action

        entry = self._selected()
        if entry is not None:
            self._changed(rename_routine_action(self._window, entry, self._folders().user))

    def delete(self) -> None:
        from timer_app.ui.routine_actions import delete_routine_action

        entry = self._selected()
        if entry is not None and delete_routine_action(self._window, entry, self._folders().user):
            self.routine_changed.emit("")

    def reset(self) -> None:
        from timer_app.ui.routine_actions import reset_routine_action

        entry = self._selected()
        if entry is not None:
            self._changed(reset_routine_action(self._window, entry, self._folders()))
