"""The top-level widgets on screen, listed without the crash ``topLevelWidgets()`` can cause.

``QApplication.topLevelWidgets()`` wraps each top-level widget in a Python object while it
builds its list, and wrapping allocates, which can start Python's cyclic garbage collector. If
that collection frees the last reference to a window a test left in a reference cycle, Qt
deletes the window and with it the top-level widgets it owns that Qt itself made (a combo
box's popup): the list being wrapped then holds a deleted widget, and the process segfaults.
Whether a collection falls there depends on every allocation before it, so it showed as a rare
crash under load (reproduced at will: windows in cycles owning a QComboBox, collector
thresholds of 1). Pausing the collector while the list is built and read moves a test's
garbage to before or after, never into the middle.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QApplication, QWidget


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting still frees)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def visible_top_levels(keep: Callable[[QWidget], bool] = lambda _: True) -> list[QWidget]:
    """The visible top-level widgets that ``keep`` accepts.

    Hold on to the result only for widgets made in Python (their wrappers learn of their
    deletion); read a widget Qt made (a popup, a tooltip) inside :func:`collector_paused`.
    """
    with collector_paused():
        return [w for w in QApplication.topLevelWidgets() if w.isVisible() and keep(w)]
