"""The main window: menus, page switching (start screen → session → end screen) and
window-level keys. The session itself, from "Get ready" to its results, is
:class:`~timer_app.ui.session_flow.SessionFlow`'s.

Side effects come in through the constructor (speaker, wake lock, clock, store, results
prompter), so tests run the real window with fakes and a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from timer_app import APP_NAME
from timer_app.core.clock import monotonic
from timer_app.settings import Settings
from timer_app.ui.adjust_times import AdjustTimes
from timer_app.ui.first_paint import after_first_paint
from timer_app.ui.history_door import HistoryDoor
from timer_app.ui.routine_catalog import RoutineCatalog
from timer_app.ui.routine_menu import RoutineMenu
from timer_app.ui.screen_fit import BIG_WINDOW_SHARE, fit_to_screen
from timer_app.ui.start_screen import StartScreen
from timer_app.ui.voice_choices import VoiceChoices
from timer_app.ui.wake_lock import WakeLock

if TYPE_CHECKING:
    from timer_app.core.library import RoutineEntry
    from timer_app.core.listing import ListedRoutine
    from timer_app.core.start_cache import StartCache
    from timer_app.core.suspend import SuspendDetector
    from timer_app.speech.speaker import Speaker
    from timer_app.storage.history import History
    from timer_app.ui.full_screen import FullScreenMode
    from timer_app.ui.results_prompter import ResultsPrompter
    from timer_app.ui.session_flow import SessionFlow
    from timer_app.ui.session_view import SessionView
    from timer_app.ui.summary_view import SummaryView

# Only the start screen is built before the first paint. The session's screens and workflow
# (SessionFlow, with the engine, the history writes and the overlays), dialogs, the editor
# and the store's modules are imported and built where they are first used, so start-up
# (launch to first painted window) pays only for the start screen
# (guarded by tests/gui/test_startup_imports.py).

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window. One session at a time."""

    def __init__(
        self,
        *,
        settings: Settings,
        speaker: Speaker,
        wake_lock: WakeLock,
        builtin_dir: Path | None,
        user_dir: Path | None,
        clock: Callable[[], float] = monotonic,
        suspend_detector_factory: Callable[[], SuspendDetector] | None = None,
        settings_path: Path | None = None,
        history: History | None = None,
        preload_chart_after_ms: int | None = None,
        prompter: ResultsPrompter | None = None,
        voice_check: Callable[[], str] | None = None,
        start_cache: StartCache | None = None,
        cached_listing: list[ListedRoutine] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``start_cache``: where the start screen's listing is kept for the next launch;
        ``cached_listing``: the listing read from it (or the built-in routines' shipped
        listing), valid for the routine files as they are now (then the start screen shows it
        and the routines load after the first paint)."""
        super().__init__(parent)
        self.settings = settings
        self.settings_path = settings_path
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self.history_door = HistoryDoor(settings, self._save_settings, self._refresh_selection)

        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(640, 420)

        self.stack = QStackedWidget()
        self.start_screen = StartScreen()
        self.adjust_times = AdjustTimes(
            self.start_screen,
            user_dir,
            builtin_dir,
            lambda routine: self.routines.reload(routine.id),
        )
        self.stack.addWidget(self.start_screen)
        self.setCentralWidget(self.stack)

        self._flow: SessionFlow | None = None
        self._full_screen: FullScreenMode | None = None
        self._make_flow = partial(
            self._new_flow,
            speaker=speaker,
            wake_lock=wake_lock,
            clock=clock,
            detector_factory=suspend_detector_factory,
            prompter=prompter,
            history=history,
        )
        speaker.set_muted(self.settings.muted)

        self.voice = VoiceChoices(
            self, self.start_screen, settings, self._save_settings, lambda: self.flow, voice_check
        )

        self.start_screen.start_requested.connect(self.start_session)
        self.start_screen.selection_changed.connect(self._on_selection)

        self._build_menus()
        if history is not None:  # a store given up front is used from the start
            _ = self.flow
        self.routines = RoutineCatalog(
            self.start_screen, settings, builtin_dir, user_dir, self, start_cache
        )
        if cached_listing is not None:
            self.routines.show_cached(cached_listing)
            # Loaded the turn after the first paint, or sooner by anything that needs one.
            after_first_paint(self, self.start_screen.load_routines)
        else:
            self.routines.reload(store=False)
            # Writing the cache (a file, fsynced) is no part of showing the window.
            after_first_paint(self, self.routines.store_cache)
        # The session part is built after the first paint if nothing needed it sooner, so
        # the first Enter or Space finds it ready: its modules a few per turn (~75 ms in one
        # go), then its widgets.
        for modules in _SESSION_MODULES:
            after_first_paint(self, partial(_import_all, modules))
        after_first_paint(self, lambda: self.flow)
        # Is there a recogniser and a microphone? Asked after the first paint (pactl).
        after_first_paint(self, self.voice.check)
        self.show_start()
        fit_to_screen(self, QSize(1280, 800), settings.window_sizes, "main", BIG_WINDOW_SHARE)
        if preload_chart_after_ms is not None:
            QTimer.singleShot(preload_chart_after_ms, self, self.preload_history_chart)

    # ---------------------------------------------------------- session part
    @property
    def flow(self) -> SessionFlow:
        """The session workflow and its screens, built the first time they are needed."""
        if self._flow is None:
            self._flow = self._make_flow()
            self._refresh_selection()  # the notes that read the history (weaker side)
        return self._flow

    @property
    def session_view(self) -> SessionView:
        return self.flow.session_view

    @property
    def summary_view(self) -> SummaryView:
        return self.flow.summary_view

    @property
    def full_screen(self) -> FullScreenMode:
        """Full screen, which shows only the session screen (built with the session part)."""
        if self._full_screen is None:
            from timer_app.ui.full_screen import FullScreenMode

            self._full_screen = FullScreenMode(self, self.session_view)
        return self._full_screen

    def _new_flow(
        self,
        *,
        speaker: Speaker,
        wake_lock: WakeLock,
        clock: Callable[[], float],
        detector_factory: Callable[[], SuspendDetector] | None,
        prompter: ResultsPrompter | None,
        history: History | None,
    ) -> SessionFlow:
        from timer_app.core.suspend import SuspendDetector
        from timer_app.ui.results_prompter import DialogPrompter
        from timer_app.ui.session_flow import SessionFlow
        from timer_app.ui.session_view import SessionView
        from timer_app.ui.summary_view import SummaryView

        session_view = SessionView()
        summary_view = SummaryView()
        self.stack.addWidget(session_view)
        self.stack.addWidget(summary_view)
        flow = SessionFlow(
            settings=self.settings,
            speaker=speaker,
            wake_lock=wake_lock,
            clock=clock,
            detector_factory=detector_factory or (lambda: SuspendDetector(monotonic=clock)),
            prompter=prompter or DialogPrompter(self, self.settings, self._save_settings),
            session_view=session_view,
            summary_view=summary_view,
            parent=self,
        )
        flow.page_wanted.connect(self._show_page)
        flow.title_changed.connect(self._show_title)
        flow.settings_changed.connect(self._save_settings)
        flow.results_saved.connect(self._refresh_selection)
        flow.muted_changed.connect(lambda muted: self.mute_action.setChecked(muted))
        flow.session_active.connect(lambda active: self.mute_action.setEnabled(active))
        if history is not None:
            flow.attach_history(history)
        session_view.stop_requested.connect(self.request_stop)
        session_view.fullscreen_requested.connect(self.toggle_fullscreen)
        session_view.mute_requested.connect(self.toggle_mute)
        session_view.help_requested.connect(self.show_keys)
        summary_view.done.connect(self.show_start)
        return flow

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        session_menu = bar.addMenu("&Session")
        self.start_action = self._action(
            session_menu, "&Start selected routine", self.start_screen.request_start
        )
        session_menu.addSeparator()
        self._action(session_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.routines_menu = bar.addMenu("&Routines")
        menu = self.routines_menu
        self.routine_menu = RoutineMenu(
            self,
            menu,
            self.start_screen.selected_entry,
            lambda: self.routines.folders(),
            self._action,
            self.settings.window_sizes,
        )
        self.routine_menu.routine_changed.connect(lambda id_: self.routines.reload(id_))
        self.routine_actions = self.routine_menu.actions
        menu.addSeparator()
        self._action(menu, "&Reload routine files", lambda: self.routines.reload())
        history_menu = bar.addMenu("&History")
        self._action(history_menu, "Show &history", self.show_history, "H")
        self.settings_menu = bar.addMenu("S&ettings")
        self._action(self.settings_menu, "&Voice…", self.voice.edit)
        # M mutes the running session only; Voice… holds the lasting on/off choice.
        self.mute_action: QAction = self._action(
            self.settings_menu, "&Mute voice for this session", self.toggle_mute
        )
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.settings.muted)
        self.mute_action.setEnabled(False)
        self._action(self.settings_menu, "&Full screen", self.toggle_fullscreen, "F11")
        self.start_full_screen_action = self._action(
            self.settings_menu, "&Start in full screen", self._toggle_start_full_screen
        )
        self.start_full_screen_action.setCheckable(True)
        self.start_full_screen_action.setChecked(self.settings.start_full_screen)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keys", self.show_keys, "F1")
        # The Help menu's module is loaded when first used, not at start-up.
        self._action(help_menu, "&User guide", lambda: _about().open_user_guide(self))
        self._action(help_menu, "&About", lambda: _about().show_about(self, self.user_dir))

    def _action(
        self,
        menu: object,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            # In the window's context (QAction's default, Qt.ShortcutContext.WindowShortcut):
            # the session view handles its own keys; menu shortcuts must not steal them.
            # setShortcuts, not setShortcut: the same one key, but setShortcut's overload
            # check creates PySide6's Qt namespace (~20 ms) before the first paint.
            action.setShortcuts([QKeySequence(shortcut)])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        # Also the window's own: in full screen the menu bar is hidden, the keys still work.
        self.addAction(action)
        return action

    # --------------------------------------------------------------- routines
    def _on_selection(self, entry: RoutineEntry | None) -> None:
        self.adjust_times.follow(entry)
        self.routine_menu.update_for(entry)
        # No history before the session part is built (it is attached after the first
        # paint, and the note is refreshed then): no note yet, and no building for it.
        flow = self._flow
        weaker = flow.weaker_side(entry.routine) if flow and entry and entry.routine else None
        self.start_screen.set_note(weaker.message if weaker else "")

    def _refresh_selection(self) -> None:
        self._on_selection(self.start_screen.selected_entry())

    def save_session_now(self) -> bool:
        """For the crash handler: write the running session's progress now (there is none
        before the session part is built). True if a session was saved."""
        return self._flow is not None and self._flow.save_now()

    def attach_history(self, history: History) -> None:
        """Use ``history`` from now on (opened after the first paint, like the speaker)."""
        self.flow.attach_history(history)
        self._refresh_selection()

    def preload_history_chart(self) -> None:
        """Load the chart library at an idle moment after start-up, so the first History
        opens as fast as later ones (~0.2 s of imports). Start-up itself stays light, and a
        running session is never stalled: then it simply waits for the History to open."""
        if (
            self._flow is not None
            and self.flow.controller is None
            and self.flow.history is not None
            and self.isVisible()
        ):
            from timer_app.ui.history_view import preload_chart

            preload_chart()

    def show_history(self) -> None:
        history = self.flow.history
        if history is None:
            from PySide6.QtWidgets import QMessageBox  # made on first use: not at start-up

            QMessageBox.information(self, APP_NAME, "The history is not available in this run.")
            return
        self.flow.pause_for("the history is open")
        self.history_door.open(history)

    def start_session(self, entry: RoutineEntry) -> None:
        applied = self.adjust_times.apply_shown_times(entry)
        if applied is not None:
            self.flow.start(applied)

    def request_stop(self) -> None:
        """Esc: leave full screen first; only then ask to stop the session."""
        if self.full_screen.is_on():
            self.full_screen.leave()
            return
        self.flow.request_stop()

    def _show_page(self, page: str) -> None:
        if page == "start":
            self.show_start()
        elif page == "session":
            self.stack.setCurrentWidget(self.session_view)
            self.session_view.setFocus()
        else:
            self.stack.setCurrentWidget(self.summary_view)
            self.summary_view.setFocus()

    def _show_title(self, routine_name: str) -> None:
        # The application's display name is added by Qt after the title ("Hip IR, lying —
        # Mobility Timer"); naming the app here too showed it twice.
        self.setWindowTitle(routine_name or APP_NAME)

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_screen)
        self.setWindowTitle(APP_NAME)
        self.start_screen.focus_list()

    # ----------------------------------------------------------- window level
    def toggle_fullscreen(self) -> None:
        """F, F11 or the Full screen button."""
        self.full_screen.toggle()

    def _toggle_start_full_screen(self) -> None:
        self.settings.start_full_screen = not self.settings.start_full_screen
        self.start_full_screen_action.setChecked(self.settings.start_full_screen)
        self._save_settings()

    def show_first(self) -> None:
        """Show the window at start-up: in full screen if the user chose so."""
        if self.settings.start_full_screen:
            self.full_screen.enter()
        else:
            self.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc on the start and end screens leaves full screen (the session view has its own).
        if event.key() == QtCore.Qt.Key.Key_Escape and self.full_screen.is_on():
            self.full_screen.leave()
            return
        super().keyPressEvent(event)

    def toggle_mute(self) -> None:
        """M: mute or unmute the voice for the running session only. The lasting choice is
        the voice setting (Settings → Voice…), which the next session starts from."""
        self.flow.toggle_mute()

    def show_keys(self) -> None:
        """F1 / ?: every key. Over a session it is an overlay, with the session paused."""
        if self.stack.currentWidget() is self.session_view and self.flow.show_keys_overlay():
            return
        from timer_app.ui.dialogs import KeysDialog

        KeysDialog.show_keys(self)

    def _save_settings(self) -> None:
        if self.settings_path is None:
            return
        try:
            self.settings.save(self.settings_path)
        except OSError as exc:  # a read-only config dir must not break a session
            log.warning("could not save settings to %s: %s", self.settings_path, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        from timer_app.ui.unsaved_history import confirm_quit

        if not self.flow.confirm_stop(quitting=True) or not confirm_quit(self, self.flow.history):
            event.ignore()
            return
        self.history_door.close()
        self.flow.shutdown()
        self._save_settings()  # window sizes, remembered for the next start
        event.accept()


#: The session part's modules (what :meth:`MainWindow._new_flow` imports, with the modules
#: they import), in groups of ~15-20 ms, imported one group per turn after the first paint.
_SESSION_MODULES = (
    ("timer_app.core.engine", "timer_app.core.results", "timer_app.core.suspend"),
    ("timer_app.ui.session_view",),
    ("timer_app.ui.dialogs",),
    ("timer_app.ui.history_writes", "timer_app.ui.results_prompter"),
    ("timer_app.ui.session_flow", "timer_app.ui.summary_view"),
)


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        import_module(name)


def _about() -> ModuleType:
    from timer_app.ui import about

    return about
