"""Gives the keyboard back to the window under a dialog when the dialog closes.

A desktop's window manager does this itself. Without one (a kiosk or a bare X session on a
small tablet, and the test X server) the X server drops the keyboard focus to the root when
the dialog goes, and no window of the app gets keys: after the "before the drill" heights
are saved, Space, the arrows and a presenter remote would do nothing until someone got up
and clicked the window. So when the app loses the focus because one of its windows closed,
that window's parent (the window it was opened over) takes it back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FocusReturn(QObject):
    """When the keyboard focus leaves the app because the window holding it closed, gives it
    to the window that one was opened over. One per application: :func:`install`."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        # Widgets, not QWindows: Qt says which widget lost the focus as the dialog hides,
        # while a QWindow's focus change is not reported once the dialog is deleted.
        app.focusChanged.connect(self._on_focus_changed)

    def uninstall(self) -> None:
        """Stop watching (the application stays; a test's next one starts clean)."""
        app = self.parent()
        assert isinstance(app, QApplication)
        app.focusChanged.disconnect(self._on_focus_changed)
        self.setParent(None)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None or old is None:
            return
        closed = old.window()
        # Asked to hide, it drops the focus first (isVisible() is still true here); a
        # window that is not closing lost it to another app: not ours to take back.
        if not closed.isHidden():
            return
        owner = closed.parentWidget()
        while owner is not None and owner.window().isHidden():
            owner = owner.window().parentWidget()
        if owner is not None:
            # Once the closing window is gone: asked while it still hides, X drops it.
            QTimer.singleShot(0, owner.window(), owner.window().activateWindow)


def install(app: QApplication) -> FocusReturn:
    """Start watching ``app`` (once; a second call returns the same watcher)."""
    existing = app.findChild(FocusReturn)
    return existing if existing is not None else FocusReturn(app)
