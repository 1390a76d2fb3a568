"""Starting the GUI: the QApplication, the real side effects, and the main window."""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING

from timer_app import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from timer_app.settings import Settings
    from timer_app.speech.speaker import Speaker
    from timer_app.storage.history import History
    from timer_app.ui.crash_handler import CrashHandler


#: When, after start-up, the history chart's library is loaded if the user is still on the
#: start screen (see MainWindow.preload_history_chart).
IDLE_PRELOAD_MS = 3000


def run_gui(routine: str | None = None, start: bool = False) -> int:
    """Open the main window; ``routine`` (id or file) is selected, ``start`` begins it."""
    # Start-up creates tens of thousands of objects (Qt's wrappers and enums, modules,
    # classes) that live as long as the app: collecting garbage among them finds none and
    # cost some 60 collections before the first paint. So no collection until then; after
    # it they are frozen out of every later collection (shorter pauses on the GUI thread).
    gc.disable()
    # The Qt-free part first: the settings and the start screen's cache are read before
    # PySide6 is imported. From its import on, PySide6 reads the source of each module an
    # import statement names (inspect.getsource, for its `from __feature__ import` switch):
    # imported before it, those modules are not read (the order is checked by
    # tests/gui/test_startup_imports.py).
    from timer_app.core.start_cache import StartCache
    from timer_app.paths import (
        assets_dir,
        builtin_routines_dir,
        history_db_path,
        log_dir,
        start_cache_path,
        user_routines_dir,
    )
    from timer_app.settings import Settings, settings_path

    path = settings_path()
    settings = Settings.load(path)
    builtin_dir, user_dir = builtin_routines_dir(), user_routines_dir()
    # What the start screen showed last time, if the routine files are as they were then:
    # drawn from it, the first paint needs no routine file parsed and no routine model
    # (about a tenth of the work before it); the files are read right after the paint.
    start_cache = StartCache(start_cache_path(), builtin_dir, user_dir)
    cached_listing = start_cache.read()
    if cached_listing is None:
        # The very first launch, with only the built-in routines, as shipped: their listing
        # made when the app was built (timer_app/core/shipped_listing.py).
        from timer_app.core import shipped_listing

        cached_listing = shipped_listing.read(builtin_dir, user_dir)
    if cached_listing is None:  # files changed, or routines of the user's: parsed before
        from timer_app.core import library, routine_store, timeline  # noqa: F401

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from timer_app.speech.speaker import Speaker
    from timer_app.ui.first_paint import after_first_paint, on_first_paint
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

    # The window is shown first, with a silent placeholder voice and no store; the crash
    # handler, the speech engine probe and the history database come right after its first
    # paint, so the user sees the app sooner (measured in benchmarks/startup.py).
    window = MainWindow(
        preload_chart_after_ms=IDLE_PRELOAD_MS,
        settings=settings,
        settings_path=path,
        speaker=Speaker(),
        wake_lock=WakepyWakeLock(),
        builtin_dir=builtin_dir,
        user_dir=user_dir,
        start_cache=start_cache,
        cached_listing=cached_listing,
    )
    opened: list[History] = []
    handlers: list[CrashHandler] = []

    # After the first paint, one step per event-loop turn (the window answers between them;
    # input that comes first runs the rest at once: timer_app/ui/first_paint.py).
    def install_crash_handler() -> None:
        gc.freeze()
        gc.enable()
        from timer_app.ui.crash_handler import CrashHandler, log_to_file

        # An unexpected error: logged to the state folder, the session saved, the user told.
        # The first step, so anything after it that fails is caught too (before the first
        # paint only the window was built, which raises out of run_gui as it is).
        handler = CrashHandler(log_to_file(log_dir()), window.save_session_now, lambda: window)
        handler.install()
        handlers.append(handler)

    def return_focus_after_dialogs() -> None:
        from timer_app.ui import focus_return

        focus_return.install(app)

    def attach_speaker() -> None:
        from timer_app.speech.factory import create_speaker

        speaker = create_speaker(settings)
        window.flow.attach_speaker(speaker)
        QTimer.singleShot(IDLE_PRELOAD_MS, window, lambda: _prerender(speaker, settings))

    def open_history() -> None:
        from timer_app.storage.history import History

        history = History(history_db_path())  # never raises: a bad file is moved aside
        opened.append(history)
        window.attach_history(history)
        report_settings_problems(window, settings)
        # Last: it may ask (a modal dialog), and --start waits for the answer.
        window.flow.offer_recovery()
        go = start
        if routine and not window.routines.select(routine):
            go = False
        if go and window.flow.controller is None:
            window.start_screen.request_start()

    after_first_paint(window, install_crash_handler, first=True)
    after_first_paint(window, return_focus_after_dialogs)
    after_first_paint(window, attach_speaker)
    after_first_paint(window, open_history)
    first_paint_file = os.environ.get("TIMER_APP_BENCH_FIRST_PAINT")
    if first_paint_file:  # benchmarks/startup.py times launch to first painted window
        # The window's own first Paint (its whole first frame is drawn in the same pass),
        # not the application's: a filter on the application calls into Python for every
        # event of every widget while the window is shown (~40 ms of CPU before the paint,
        # which a user's start-up, without the hook, never pays). Installed last, so it is
        # the first filter the Paint meets and the time is noted before the deferred work.
        on_first_paint(window, lambda: _note_time(first_paint_file))
    window.show_first()
    try:
        return int(app.exec())
    finally:
        for handler in handlers:
            handler.uninstall()
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


def _note_time(target: str) -> None:
    """Benchmark hook: write ``time.monotonic()`` and the CPU time used so far to ``target``."""
    import time
    from pathlib import Path

    Path(target).write_text(f"{time.monotonic()} {time.process_time()}\n")
