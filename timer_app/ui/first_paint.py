"""Work that waits for a window's first paint, so start-up shows the window first.

The main window and the app start-up both defer work to the event-loop turn after the first
Paint event: whatever runs before it delays the moment the user sees the app (measured by
``benchmarks/startup.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

#: A window that never paints (started minimised, or never shown) still gets its deferred
#: work after this long.
NO_PAINT_FALLBACK_MS = 500


def after_first_paint(window: QObject, callback: Callable[[], object]) -> None:
    """Run ``callback`` once, on the event-loop turn after ``window``'s first paint (or after
    half a second, should no paint come)."""
    done = [False]

    def run() -> None:
        if not done[0]:
            done[0] = True
            callback()

    on_first_paint(window, run)
    QTimer.singleShot(NO_PAINT_FALLBACK_MS, window, run)


def on_first_paint(watched: QObject, callback: Callable[[], object]) -> None:
    """Call ``callback`` on the event-loop turn after the first Paint event that ``watched``
    sees (a window's own, or any widget's when ``watched`` is the application)."""
    watched.installEventFilter(_FirstPaint(watched, callback))


class _FirstPaint(QObject):
    """Watches an object's events until the first paint, then lets go."""

    def __init__(self, watched: QObject, callback: Callable[[], object]) -> None:
        super().__init__(watched)
        self._watched = watched
        self._callback = callback

    def eventFilter(self, _target: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._watched.removeEventFilter(self)
            # The next turn: the rest of this frame (children, the backing store) is drawn
            # before the deferred work runs.
            QTimer.singleShot(0, self._callback)
        return False
