"""A held key acts once on the session screen.

A key held down repeats: after about 0.6 s the X server sends a release and a press 25 times a
second. Qt flags such a press as auto-repeated only when it reads the pair in one go; on a busy
event loop it often does not, and a held Space paused and resumed the session over and over.
So a repeat is known by its flag *or* by its time: a press at the very moment (the same
window-system timestamp) its key was released is the keyboard repeating, not a person pressing
again.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

_PRESSES = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)


class HeldKeyFilter(QObject):
    """An event filter for a screen: swallows the repeats of every held key but the
    ``repeating`` ones (where holding means "more", like adding time), before any shortcut
    or key handler sees them."""

    def __init__(self, repeating: Iterable[Qt.Key] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._repeating = frozenset(repeating)
        self._released: tuple[int, int] | None = None  # (key, timestamp) of the last release

    def is_repeat(self, event: QKeyEvent) -> bool:
        """Whether ``event`` (a press) is the keyboard repeating a held key. (Events made up
        in the program, like QTest's, carry no timestamp (0): only the flag counts there.)"""
        moment = event.timestamp()
        return event.isAutoRepeat() or (moment != 0 and self._released == (event.key(), moment))

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.key() in self._repeating:
            return False
        if event.type() == QEvent.Type.KeyRelease:
            self._released = (event.key(), event.timestamp())
            return False
        if event.type() not in _PRESSES or not self.is_repeat(event):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            # Accepted, the override keeps the shortcuts (Space's, the remotes', the menu's)
            # from running; the key press Qt then sends instead is swallowed below.
            event.accept()
        return True
