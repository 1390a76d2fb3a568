"""Full screen that shows only the session, with or without a window manager.

Qt asks the window manager for full screen; with none (a kiosk, a bare X session on a TV)
nothing would happen, so the window is also given the screen's whole geometry itself and
gets its old geometry back on leaving. In full screen the menu bar goes and the session
screen drops its buttons for a one-line keys hint: only side, phase, countdown, effort bar,
instruction and next step remain.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QMainWindow

from timer_app.ui.session_view import SessionView


class FullScreenMode(QObject):
    """Enters and leaves full screen for ``window``, keeping its chrome in step."""

    def __init__(self, window: QMainWindow, session_view: SessionView) -> None:
        super().__init__(window)
        self._window = window
        self._view = session_view
        self._normal: QRect | None = None
        window.installEventFilter(self)

    def is_on(self) -> bool:
        return self._window.isFullScreen()

    def toggle(self) -> None:
        if self.is_on():
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        window = self._window
        if window.isFullScreen():
            return
        if window.isVisible():
            self._normal = window.geometry()
        # Cover the screen first, for when no window manager honours the request (after
        # showFullScreen() a setGeometry() would take the full-screen state away again).
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
        self._sync()

    def leave(self) -> None:
        window = self._window
        if not window.isFullScreen():
            return
        window.showNormal()
        if self._normal is not None and window.geometry() != self._normal:
            window.setGeometry(self._normal)
        self._sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A window manager may end full screen on its own (a desktop shortcut): follow it.
        if watched is self._window and event.type() == QEvent.Type.WindowStateChange:
            self._sync()
        return False

    def _sync(self) -> None:
        on = self._window.isFullScreen()
        self._window.menuBar().setVisible(not on)
        self._view.set_full_screen(on)
