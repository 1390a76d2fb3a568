"""The History window as the main window opens it (menu History → Show history, or H).

One window for the app's life: built the first time it is opened (it pulls in the chart
library, so that is imported lazily), raised and focused when opened again, closed with the
main window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timer_app.settings import Settings
    from timer_app.storage.history import History
    from timer_app.ui.history_view import HistoryWindow


class HistoryDoor:
    """Opens, raises and closes the one History window.

    ``save_settings`` is called when the window changes a setting (its size, the unit);
    ``history_changed`` when results are imported or deleted there."""

    def __init__(
        self,
        settings: Settings,
        save_settings: Callable[[], None],
        history_changed: Callable[[], None],
    ) -> None:
        self._settings = settings
        self._save_settings = save_settings
        self._history_changed = history_changed
        self._window: HistoryWindow | None = None

    def open(self, history: History) -> None:
        """Show the History window in front, building it on first use."""
        if self._window is None:
            from timer_app.ui.history_view import HistoryWindow  # pulls in pyqtgraph: lazily

            window = HistoryWindow(history, self._settings)
            window.settings_changed.connect(self._save_settings)
            window.history_changed.connect(self._history_changed)
            self._window = window
        self._window.show()
        self._window.raise_()
        self._window.activateWindow()

    def close(self) -> None:
        """Close the window if it was ever opened (the app is quitting)."""
        if self._window is not None:
            self._window.close()
