"""Work that waits for a window's first paint, so start-up shows the window first.

The main window and the app start-up both defer work to after the first Paint event: whatever
runs before it delays the moment the user sees the app (measured by ``benchmarks/startup.py``).
The deferred steps run one per event-loop turn, so the window can answer (repaint, take a key)
between them instead of freezing for all of them at once (``benchmarks/event_loop_stall.py``
measures the longest gap). Input that arrives before they are all done (a key, a click, a
close) first runs the rest at once: it meets the app as complete as it always did.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

#: A window that never paints (started minimised, or never shown) still gets its deferred
#: work after this long.
NO_PAINT_FALLBACK_MS = 500

#: Events that mean the user is acting: the deferred steps must all be done before them.
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.Close,
}

_pending: weakref.WeakKeyDictionary[QObject, _Steps] = weakref.WeakKeyDictionary()


def after_first_paint(
    window: QObject, callback: Callable[[], object], *, first: bool = False
) -> None:
    """Run ``callback`` once after ``window``'s first paint (or after half a second, should no
    paint come). The callbacks of one window run in the order given, one per event-loop turn
    (``first``: before those given so far)."""
    steps = _pending.get(window)
    if steps is None or steps.started:
        steps = _Steps(window)
        _pending[window] = steps
    steps.add(callback, first)


def steps_left(window: QObject) -> int:
    """How many of ``window``'s deferred steps have not run yet (0 once all have): a window
    is only complete, e.g. its voice-command switch set, when this is 0."""
    steps = _pending.get(window)
    return steps.left if steps is not None else 0


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


class _Steps(QObject):
    """One window's deferred steps: started the turn after its first paint, one per turn;
    all the rest at once when input comes first."""

    def __init__(self, window: QObject) -> None:
        super().__init__(window)
        self.started = False
        self._steps: list[Callable[[], object]] = []
        self._running = False
        on_first_paint(window, self._start)
        QTimer.singleShot(NO_PAINT_FALLBACK_MS, self, self._start)

    @property
    def left(self) -> int:
        return len(self._steps)

    def add(self, callback: Callable[[], object], first: bool) -> None:
        if first:
            self._steps.insert(0, callback)
        else:
            self._steps.append(callback)

    def _start(self) -> None:
        if self.started:
            return
        self.started = True
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._next()

    def _next(self) -> None:
        if not self._steps:
            self._done()
            return
        step = self._steps.pop(0)
        QTimer.singleShot(0, self, self._next)  # the next turn, even should this step fail
        self._run(step)

    def _run(self, step: Callable[[], object]) -> None:
        self._running = True
        try:
            step()
        finally:
            self._running = False

    def _done(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, _target: QObject, event: QEvent) -> bool:
        # Not from inside a step (one showing a modal dialog, say): the others wait for it.
        if self._steps and not self._running and event.type() in _INPUT:
            while self._steps:
                try:
                    self._run(self._steps.pop(0))
                except Exception:  # reported as a slot's would be; the others still run
                    sys.excepthook(*sys.exc_info())
            self._done()
        return False
