"""The main window: start screen → session → end screen, with menus and window-level keys.

Side effects come in through the constructor (speaker, wake lock, clock, store), so tests run
the real window with fakes and a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from timer_app import APP_NAME
from timer_app.core.clock import monotonic
from timer_app.core.library import RoutineEntry, discover_routines
from timer_app.core.routine_file import RoutineError, load_routine
from timer_app.core.suspend import SuspendDetector
from timer_app.core.timeline import Timeline, build_timeline
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop, KeysDialog
from timer_app.ui.session_controller import SessionController
from timer_app.ui.session_view import SessionView
from timer_app.ui.start_screen import StartScreen
from timer_app.ui.summary_view import SummaryView
from timer_app.ui.wake_lock import WakeLock

if TYPE_CHECKING:
    from timer_app.speech.speaker import Speaker

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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.settings_path = settings_path
        self.speaker = speaker
        self.wake_lock = wake_lock
        self.clock = clock
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self._detector_factory = suspend_detector_factory or (
            lambda: SuspendDetector(monotonic=clock)
        )
        self.controller: SessionController | None = None
        self.session_entry: RoutineEntry | None = None
        self._extra_entries: list[RoutineEntry] = []

        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self.setMinimumSize(640, 420)

        self.stack = QStackedWidget()
        self.start_screen = StartScreen()
        self.session_view = SessionView()
        self.summary_view = SummaryView()
        for page in (self.start_screen, self.session_view, self.summary_view):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.start_screen.start_requested.connect(self.start_session)
        self.session_view.stop_requested.connect(self.request_stop)
        self.session_view.fullscreen_requested.connect(self.toggle_fullscreen)
        self.session_view.mute_requested.connect(self.toggle_mute)
        self.session_view.help_requested.connect(self.show_keys)
        self.summary_view.done.connect(self.show_start)
        self.speaker.notice_changed.connect(self.session_view.set_sound_notice)
        self.session_view.set_muted(self.settings.muted)
        self.speaker.set_muted(self.settings.muted)

        self._build_menus()
        self.reload_routines()
        self.show_start()

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
        self._action(self.routines_menu, "&Reload routine files", self.reload_routines)
        self.settings_menu = bar.addMenu("S&ettings")
        self.mute_action = self._action(self.settings_menu, "&Mute voice", self.toggle_mute)
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.settings.muted)
        self._action(self.settings_menu, "&Full screen", self.toggle_fullscreen, "F11")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keys", self.show_keys, "F1")
        self._action(help_menu, "&About", self._about)

    def _action(
        self,
        menu: object,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # The session view handles its own keys; menu shortcuts must not steal them.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _about(self) -> None:
        from timer_app import __version__

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\nA spoken timer for floor mobility sessions.",
        )

    # --------------------------------------------------------------- routines
    def reload_routines(self) -> None:
        entries = discover_routines(self.builtin_dir, self.user_dir) + self._extra_entries
        selected = self.start_screen.selected_entry()
        selected_id = selected.id if selected is not None else self.settings.last_routine_id
        self.start_screen.set_routines(entries, selected_id)

    def select_routine(self, id_or_file: str) -> bool:
        """Select a routine by id, or load a routine file given by path (``--routine``)."""
        if self.start_screen.select_routine(id_or_file):
            return True
        path = Path(id_or_file)
        if path.suffix == ".toml" or path.exists():
            try:
                routine = load_routine(path)
            except RoutineError as exc:
                QMessageBox.warning(self, APP_NAME, f"This routine file has errors:\n\n{exc}")
                return False
            self._extra_entries = [RoutineEntry(path, builtin=False, routine=routine)]
            self.reload_routines()
            return self.start_screen.select_routine(routine.id)
        QMessageBox.warning(self, APP_NAME, f"No routine called “{id_or_file}”.")
        return False

    # ---------------------------------------------------------------- session
    def start_session(self, entry: RoutineEntry, timeline: Timeline | None = None) -> None:
        """Start ``entry``'s routine (or a given timeline, e.g. a resumed session)."""
        if entry.routine is None or self.controller is not None:
            return
        timeline = timeline or build_timeline(entry.routine)
        self.session_entry = entry
        self.settings.last_routine_id = entry.id
        self._save_settings()
        self.speaker.prepare(timeline.phrases())
        controller = SessionController(
            timeline,
            self.speaker,
            self.wake_lock,
            clock=self.clock,
            suspend_detector=self._detector_factory(),
            parent=self,
        )
        controller.finished.connect(self._on_session_over)
        controller.stopped.connect(self._on_session_over)
        self.controller = controller
        self.session_view.attach(controller)
        self.stack.setCurrentWidget(self.session_view)
        self.session_view.setFocus()
        self.setWindowTitle(f"{APP_NAME} — {entry.routine.name}")
        controller.start()

    def request_stop(self) -> None:
        controller = self.controller
        if controller is None or controller.engine.is_over:
            return
        was_running = controller.engine.is_running
        if was_running:
            controller.pause()  # the clock must not run while the user reads the question
        if ConfirmStop.ask(self):
            controller.stop()
        elif was_running:
            controller.resume()

    def _on_session_over(self) -> None:
        controller = self.controller
        if controller is None:
            return
        controller.shutdown()
        name = (
            self.session_entry.routine.name
            if self.session_entry and self.session_entry.routine
            else ""
        )
        self.summary_view.show_session(controller.engine, name)
        self.stack.setCurrentWidget(self.summary_view)
        self.summary_view.setFocus()
        self.setWindowTitle(APP_NAME)
        self.controller = None
        controller.deleteLater()

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_screen)
        self.setWindowTitle(APP_NAME)
        self.start_screen.focus_list()

    # ----------------------------------------------------------- window level
    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_mute(self) -> None:
        muted = not self.settings.muted
        self.settings.muted = muted
        self.speaker.set_muted(muted)
        self.session_view.set_muted(muted)
        self.mute_action.setChecked(muted)
        self._save_settings()

    def show_keys(self) -> None:
        KeysDialog.show_keys(self)

    def _save_settings(self) -> None:
        if self.settings_path is None:
            return
        try:
            self.settings.save(self.settings_path)
        except OSError as exc:  # a read-only config dir must not break a session
            log.warning("could not save settings to %s: %s", self.settings_path, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        controller = self.controller
        if controller is not None and not controller.engine.is_over:
            was_running = controller.engine.is_running
            if was_running:
                controller.pause()
            if not ConfirmStop.ask(self, quitting=True):
                if was_running:
                    controller.resume()
                event.ignore()
                return
            controller.stop()
        if self.controller is not None:
            self.controller.shutdown()
        self.wake_lock.release()
        self.speaker.shutdown()
        event.accept()
