"""The start screen's *Adjust times* tab as the main window uses it: the panel is built the
first time the tab is opened (its module is not needed to show the start screen), follows the
selected routine, and times typed there are applied before a start, since Enter starts what
the user sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from timer_app.ui.start_screen import StartScreen

if TYPE_CHECKING:
    from timer_app.core.library import RoutineEntry
    from timer_app.core.routine import Routine
    from timer_app.ui.quick_adjust import QuickAdjustPanel

#: The tab's index on the start screen.
ADJUST_TAB = 1


class AdjustTimes:
    """Owns the *Adjust times* panel of ``start_screen``; ``saved(routine)`` is called when
    the panel saved a routine (the list is read again, that routine selected)."""

    def __init__(
        self,
        start_screen: StartScreen,
        user_dir: Path | None,
        builtin_dir: Path | None,
        saved: Callable[[Routine], None],
    ) -> None:
        self._screen = start_screen
        self._user_dir = user_dir or Path(".")
        self._builtin_dir = builtin_dir
        self._saved = saved
        self._panel: QuickAdjustPanel | None = None
        start_screen.tabs.currentChanged.connect(self._on_tab)

    @property
    def panel(self) -> QuickAdjustPanel:
        """The panel, built the first time it is needed."""
        if self._panel is None:
            from timer_app.ui.quick_adjust import QuickAdjustPanel

            panel = QuickAdjustPanel(self._user_dir, self._builtin_dir)
            panel.routine_changed.connect(self._saved)
            panel.set_routine(self._screen.selected_entry())
            self._screen.side_panel.addWidget(panel)
            panel.show()  # added to a visible window: Qt would only show it a turn later
            self._panel = panel
        return self._panel

    def _on_tab(self, index: int) -> None:
        if index == ADJUST_TAB:
            _ = self.panel

    def follow(self, entry: RoutineEntry | None) -> None:
        """The selection changed: show its times (if the panel was ever built)."""
        if self._panel is not None:
            self._panel.set_routine(entry)

    def apply_shown_times(self, entry: RoutineEntry) -> RoutineEntry | None:
        """Times typed in the panel but not applied are applied (saved) first; the entry to
        start, or None if they could not be saved (the panel, brought to front, says why)."""
        panel = self._panel
        if panel is None or not panel.has_unapplied_changes():
            return entry
        if not panel.apply():
            self._screen.tabs.setCurrentIndex(ADJUST_TAB)
            return None
        return self._screen.selected_entry()
