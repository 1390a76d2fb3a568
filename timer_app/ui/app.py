"""Starting the GUI: the QApplication, the real side effects, and the main window."""

from __future__ import annotations

import sys

from timer_app import APP_NAME


def run_gui(routine: str | None = None, start: bool = False) -> int:
    """Open the main window; ``routine`` (id or file) is selected, ``start`` begins it."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from timer_app.paths import assets_dir, builtin_routines_dir, user_routines_dir
    from timer_app.settings import Settings, settings_path
    from timer_app.speech.speaker import create_speaker
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
    speaker = create_speaker(settings)
    window = MainWindow(
        settings=settings,
        settings_path=path,
        speaker=speaker,
        wake_lock=WakepyWakeLock(),
        builtin_dir=builtin_routines_dir(),
        user_dir=user_routines_dir(),
    )
    window.show()
    if routine and not window.select_routine(routine):
        start = False
    if start:
        window.start_screen.request_start()
    return int(app.exec())
