"""Windows and dialogs that fit the screen they are on, from an 800x480 tablet to a 4K TV.

Every top-level window calls :func:`fit_to_screen` once, after it is built: it opens at the
size the user last gave it (or its preferred size), never larger than the screen's available
geometry (the desktop minus panels), and stays inside that geometry when shown. The big
windows (main, history, editor) also grow with the screen (``grow``): a share of its usable
size where that is more than their preferred size, so a 2560x1440 or 4K screen does not get a
1280x800 window in a corner, and a portrait screen gets a tall window. Dialogs also
get the available size as their maximum, so content that appears later (error messages)
scrolls inside them instead of pushing their buttons off the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDialog, QWidget

#: Room left for a window manager's title bar and borders (they are not known before the
#: first show): without them a window "fitting" the screen still has its bottom cut off.
FRAME_ALLOWANCE = QSize(8, 32)

#: A remembered size smaller than this is ignored (a corrupted or hand-edited settings file).
SMALLEST_REMEMBERED = QSize(200, 150)


def screen_of(widget: QWidget) -> QScreen:
    """The screen ``widget`` is on (its parent's for a dialog not yet shown), else the primary."""
    parent = widget.parentWidget()
    for candidate in (widget, parent.window() if parent is not None else None):
        if candidate is not None:
            screen = candidate.screen()
            if screen is not None:
                return screen
    return QGuiApplication.primaryScreen()


def usable_size(screen: QScreen) -> QSize:
    """The largest client size a window can have on ``screen``, its frame included."""
    available = screen.availableGeometry().size()
    return QSize(
        max(1, available.width() - FRAME_ALLOWANCE.width()),
        max(1, available.height() - FRAME_ALLOWANCE.height()),
    )


def remembered_size(sizes: dict[str, list[int]] | None, key: str) -> QSize | None:
    """The size stored under ``key``, or None when there is none or it makes no sense."""
    if sizes is None or not key:
        return None
    value = sizes.get(key)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    size = QSize(value[0], value[1])
    if size.width() < SMALLEST_REMEMBERED.width() or size.height() < SMALLEST_REMEMBERED.height():
        return None
    return size


def grown(preferred: QSize, limit: QSize, share: float | None) -> QSize:
    """``preferred``, widened and heightened to ``share`` of ``limit`` (the usable size)
    where that is larger; each side on its own, so a portrait screen gives a tall window."""
    if share is None:
        return preferred
    return QSize(
        max(preferred.width(), round(limit.width() * share)),
        max(preferred.height(), round(limit.height() * share)),
    )


def clamp_size(size: QSize, limit: QSize) -> QSize:
    return QSize(min(size.width(), limit.width()), min(size.height(), limit.height()))


def inside(rect: QRect, area: QRect) -> QPoint:
    """Top-left for ``rect`` moved (not resized) the least so it lies inside ``area``."""
    x = min(max(rect.x(), area.left()), area.right() + 1 - rect.width())
    y = min(max(rect.y(), area.top()), area.bottom() + 1 - rect.height())
    return QPoint(max(x, area.left()), max(y, area.top()))


class ScreenFit(QObject):
    """Keeps one window inside its screen and remembers its size under ``key`` in ``sizes``
    (the settings' ``window_sizes``; the owner of the settings writes the file)."""

    def __init__(
        self,
        window: QWidget,
        preferred: QSize,
        sizes: dict[str, list[int]] | None,
        key: str,
        grow: float | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._sizes = sizes
        self._key = key
        self._shown = False
        screen = screen_of(window)
        limit = usable_size(screen)
        # A minimum larger than the screen would force the window past its edge.
        minimum = window.minimumSize()
        window.setMinimumSize(clamp_size(minimum, limit))
        if isinstance(window, QDialog):
            window.setMaximumSize(limit)
        # A size the user gave the window wins over any default.
        start = remembered_size(sizes, key) or grown(preferred, limit, grow)
        window.resize(clamp_size(start, limit))
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window:
            if kind == QEvent.Type.Show:
                self._on_show()
            elif kind == QEvent.Type.Resize and self._shown:
                self._remember()
        return False

    def _on_show(self) -> None:
        window = self._window
        self._shown = True
        if window.isFullScreen() or window.isMaximized():
            return
        screen = screen_of(window)
        limit = usable_size(screen)
        if isinstance(window, QDialog):
            window.setMaximumSize(limit)
        if window.width() > limit.width() or window.height() > limit.height():
            window.resize(clamp_size(window.size(), limit))
        area = screen.availableGeometry()
        frame = window.frameGeometry()
        # Move the frame (title bar included) inside the available area, keeping its size.
        extra = QSize(
            max(frame.width() - window.width(), 0), max(frame.height() - window.height(), 0)
        )
        whole = QRect(frame.topLeft(), window.size() + extra)
        target = inside(whole, area)
        if target != frame.topLeft():
            window.move(target)

    def _remember(self) -> None:
        window = self._window
        if self._sizes is None or not self._key:
            return
        if window.isFullScreen() or window.isMaximized() or window.isMinimized():
            return
        self._sizes[self._key] = [window.width(), window.height()]


#: The share of a screen's usable size the big windows open at, where that is more than their
#: preferred size: 1434x800 on 1920x1080, 1914x1056 on 2560x1440, 2874x1596 on 4K at scale 1.
BIG_WINDOW_SHARE = 0.75


def fit_to_screen(
    window: QWidget,
    preferred: QSize,
    sizes: dict[str, list[int]] | None = None,
    key: str = "",
    grow: float | None = None,
) -> ScreenFit:
    """Open ``window`` at its remembered (or ``preferred``) size within its screen, keep it
    inside the screen when shown, and remember its size in ``sizes[key]`` as the user resizes
    it. ``grow``: open at least this share of the screen's usable size (big windows; see
    :data:`BIG_WINDOW_SHARE`). Call once, at the end of the window's constructor."""
    return ScreenFit(window, preferred, sizes, key, grow)


#: Below this available height, large fixed-size text (dialogs read from the floor) shrinks.
COMPACT_HEIGHT = 600


def text_scale(widget: QWidget) -> float:
    """Factor for fixed point sizes on ``widget``'s screen: 1 on screens at least 600 px
    high, down to 0.8 on an 800x480 one (the text stays large; less of it scrolls)."""
    height = screen_of(widget).availableGeometry().height()
    return 1.0 if height >= COMPACT_HEIGHT else max(0.8, height / COMPACT_HEIGHT)
