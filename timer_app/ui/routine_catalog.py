"""The routines the start screen lists: the built-in folder, the user's folder, and a routine
file named on the command line (``timer-app --routine FILE``), read again on demand.

At start-up the list may come from the start-screen cache (:mod:`timer_app.core.start_cache`)
when it matches the routine files, or on the very first launch from the built-in routines'
listing shipped with the app (:mod:`timer_app.core.shipped_listing`); the files are then parsed
after the first paint, and the cache is rewritten whenever the files' listing changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from timer_app import APP_NAME
from timer_app.settings import Settings
from timer_app.ui.plain_text import warn
from timer_app.ui.start_screen import StartScreen

if TYPE_CHECKING:  # the routine model is loaded after the start screen's first paint
    from timer_app.core.library import RoutineEntry
    from timer_app.core.listing import ListedRoutine
    from timer_app.core.routine_store import Folders
    from timer_app.core.start_cache import Stamp, StartCache


class RoutineCatalog:
    """Fills the start screen's routine list from the routine folders and selects in it.

    Problems (a routine file with errors, an unknown routine) are told in a message box over
    ``parent``."""

    def __init__(
        self,
        start_screen: StartScreen,
        settings: Settings,
        builtin_dir: Path | None,
        user_dir: Path | None,
        parent: QWidget,
        cache: StartCache | None = None,
    ) -> None:
        self._screen = start_screen
        self._cache = cache
        self._settings = settings
        self._builtin_dir = builtin_dir
        self._user_dir = user_dir
        self._parent = parent
        self._extra: list[RoutineEntry] = []  # a file from the command line
        self._stamp: Stamp | None = None  # the files as they were when last read

    def folders(self) -> Folders:
        """Where the user's routines are saved and the built-in ones read."""
        from timer_app.core.routine_store import Folders

        return Folders(self._user_dir or Path("."), self._builtin_dir)

    def reload(self, routine_id: str | None = None, *, store: bool = True) -> None:
        """Read the folders again; keep ``routine_id`` selected (default: the selected
        routine, else the one used last). The start-screen cache is updated too, unless
        ``store`` is False (then :meth:`store_cache` does it later)."""
        from timer_app.core.library import discover_routines

        if routine_id is None:
            routine_id = self._screen.selected_id() or self._settings.last_routine_id
        # Before the files are read: one changed while being read is read again next time.
        self._stamp = self._cache.stamp() if self._cache is not None else None
        entries = discover_routines(self._builtin_dir, self._user_dir) + self._extra
        self._screen.set_lead_in(self._settings.lead_in_seconds)
        self._screen.set_routines(entries, routine_id)
        if store:
            self.store_cache()

    def store_cache(self) -> None:
        """Keep what the start screen lists for the next launch (unless a ``--routine FILE``
        is among it: that file is this launch's only)."""
        if self._cache is not None and not self._extra:
            self._cache.write(self._stamp, self._screen.listing)

    def show_cached(self, listing: list[ListedRoutine]) -> None:
        """Show ``listing`` (read from the start-screen cache, valid for the files as they
        are) now; the files are read when the start screen's routines are first needed."""
        self._screen.set_lead_in(self._settings.lead_in_seconds)
        self._screen.show_cached(listing, self._settings.last_routine_id, self.reload)

    def select(self, id_or_file: str) -> bool:
        """Select a routine by id, or load a routine file given by path (``--routine``)."""
        from timer_app.core.library import RoutineEntry
        from timer_app.core.routine_file import RoutineError, load_routine

        if self._screen.select_routine(id_or_file):
            return True
        path = Path(id_or_file)
        if path.suffix == ".toml" or path.exists():
            try:
                routine = load_routine(path)
            except RoutineError as exc:
                warn(self._parent, APP_NAME, f"This routine file has errors:\n\n{exc}")
                return False
            self._extra = [RoutineEntry(path, builtin=False, routine=routine)]
            self.reload()
            return self._screen.select_routine(routine.id)
        warn(self._parent, APP_NAME, f"No routine called “{id_or_file}”.")
        return False
