"""Starting the GUI: the QApplication, the real side effects, and the main window."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from timer_app import APP_NAME

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QMessageBox, QWidget

    from timer_app.settings import Settings
    from timer_app.speech.speaker import Speaker
    from timer_app.storage.history import History


#: When, after start-up, the history chart's library is loaded if the user is still on the
#: start screen (see MainWindow.preload_history_chart).
IDLE_PRELOAD_MS = 3000


def run_gui(routine: str | None = None, start: bool = False) -> int:
    """Open the main window; ``routine`` (id or file) is selected, ``start`` begins it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from timer_app.paths import (
        assets_dir,
        builtin_routines_dir,
        history_db_path,
        log_dir,
        user_routines_dir,
    )
    from timer_app.settings import Settings, settings_path
    from timer_app.speech.speaker import Speaker
    from timer_app.ui.crash_handler import CrashHandler, log_to_file
    from timer_app.ui.main_window import MainWindow
    from timer_app.ui.wake_lock import WakepyWakeLock

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("timer-app")
    icon = assets_dir() / "icons" / "timer-app.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))

    path = settings_path()
    settings = Settings.load(path)
    # The window is shown first, with a silent placeholder voice and no store; the speech
    # engine probe and the history database open right after its first paint, so the user
    # sees the app sooner (measured in benchmarks/startup.py).
    window = MainWindow(
        preload_chart_after_ms=IDLE_PRELOAD_MS,
        settings=settings,
        settings_path=path,
        speaker=Speaker(),
        wake_lock=WakepyWakeLock(),
        builtin_dir=builtin_routines_dir(),
        user_dir=user_routines_dir(),
    )
    # An unexpected error: logged to the state folder, the session saved, the user told.
    crash_handler = CrashHandler(log_to_file(log_dir()), window.flow.save_now, lambda: window)
    crash_handler.install()
    first_paint_file = os.environ.get("TIMER_APP_BENCH_FIRST_PAINT")
    if first_paint_file:  # benchmarks/startup.py times launch to first painted window
        _note_first_paint(app, first_paint_file)
    opened: list[History] = []

    def finish_start() -> None:
        from timer_app.speech.factory import create_speaker
        from timer_app.storage.history import History

        speaker = create_speaker(settings)
        window.attach_speaker(speaker)
        QTimer.singleShot(IDLE_PRELOAD_MS, window, lambda: _prerender(speaker, settings))
        history = History(history_db_path())  # never raises: a bad file is moved aside
        opened.append(history)
        window.attach_history(history)
        report_settings_problems(window, settings)
        window.offer_recovery()
        go = start
        if routine and not window.select_routine(routine):
            go = False
        if go and window.controller is None:
            window.start_screen.request_start()

    _after_first_paint(window, finish_start)
    window.show_first()
    try:
        return int(app.exec())
    finally:
        crash_handler.uninstall()
        for history in opened:
            history.close()


def report_settings_problems(window: QWidget, settings: Settings) -> QMessageBox | None:
    """Say in the window (not only on stderr) which settings could not be used and that
    the user's file is kept; without waiting, so ``--start`` goes on."""
    text = settings.problems_text()
    if not text:
        return None
    from timer_app.ui.plain_text import notify

    return notify(window, APP_NAME, text)


def _prerender(speaker: Speaker, settings: Settings) -> None:
    """Render the built-in routines' phrases in the background (after the more urgent work
    of any session already started), so a first session finds its voice cached."""
    from timer_app.paths import builtin_routines_dir
    from timer_app.ui.voice_gate import builtin_phrases

    speaker.prefetch(builtin_phrases(builtin_routines_dir(), settings.lead_in_seconds))


def _after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` on the event-loop turn after ``window``'s first paint (or after half a
    second, should no paint ever come, e.g. a minimised start)."""
    from PySide6.QtCore import QTimer

    done = [False]

    def run() -> None:
        if not done[0]:
            done[0] = True
            callback()

    _on_first_paint(window, run)
    QTimer.singleShot(500, window, run)


def _note_first_paint(app: QObject, target: str) -> None:
    """Benchmark hook: write ``time.monotonic()`` to ``target`` once the first paint is done
    (the next event-loop turn after the first Paint event, so the whole frame is drawn)."""
    import time
    from pathlib import Path

    _on_first_paint(app, lambda: Path(target).write_text(f"{time.monotonic()}\n"))


def _on_first_paint(watched: QObject, callback: Callable[[], object]) -> None:
    """Call ``callback`` on the event-loop turn after the first Paint event that ``watched``
    sees (a window's own, or any widget's when ``watched`` is the application)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        """Watches ``watched``'s events until the first paint, then lets go."""

        def eventFilter(self, _target: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    watched.installEventFilter(FirstPaint(watched))
