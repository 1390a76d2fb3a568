"""Full-screen questions and help shown *inside* the session screen, read from the floor.

A small desktop dialog (12 px text, a default button) is the wrong tool for someone lying two
metres from the screen: they cannot read it, and the key they press by habit (Space: "continue")
answers it. These overlays cover the session screen in its own style, with text sized from the
window (like the countdown), and take the keyboard while shown: the session's own one-key
controls and the window's menu keys do nothing until the overlay is answered.

- :class:`StopOverlay` asks before a session stops. Space, Enter and Esc mean *keep going*;
  stopping takes a distinct key, S, or Esc pressed again within :data:`ESC_AGAIN_SECONDS` of
  the question appearing (a deliberate double press).
- :class:`KeysOverlay` lists every key, with the session paused behind it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.commands import REMOTE_SUMMARY, SessionCommand
from timer_app.ui.key_help import KEY_HELP
from timer_app.ui.session_remote import remote_command

#: Remote commands that mean "go on" to an overlay (a headset's or a clicker's play button).
_REMOTE_KEEP_GOING = frozenset({SessionCommand.TOGGLE_PAUSE, SessionCommand.RESUME})

#: A second Esc within this many seconds of the stop question confirms the stop.
ESC_AGAIN_SECONDS = 2.0

_BACKGROUND = "#141414"  # opaque: the busy screen behind must not compete with the question
_TEXT = "#ffffff"
_ACCENT = "#ffd54f"  # the paused screen's accent; 12:1 on the background
_STOP = "#ff8a80"  # light red on near-black: 8:1

#: Keys that answer "keep going": the ones a user presses by habit to continue, and a
#: remote's play buttons.
_KEEP_GOING_KEYS = frozenset(
    {
        Qt.Key.Key_Space,
        Qt.Key.Key_Return,
        Qt.Key.Key_Enter,
        Qt.Key.Key_MediaPlay,
        Qt.Key.Key_MediaPause,
        Qt.Key.Key_MediaTogglePlayPause,
    }
)


class SessionOverlay(QFrame):
    """Covers its parent widget, scales its text with it, and keeps the keyboard to itself."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(type(self).__name__)
        self.setAutoFillBackground(False)
        self.setStyleSheet(f"#{self.objectName()} {{ background: {_BACKGROUND}; }}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._scaled: list[tuple[QWidget, float, bool]] = []
        parent.installEventFilter(self)
        self.hide()

    # ----------------------------------------------------------------- layout
    def _label(self, text: str, scale: float, colour: str = _TEXT, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet(f"color: {colour}; background: transparent;")
        self._scaled.append((label, scale, bold))
        return label

    def _button(self, text: str, colour: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the overlay
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        button.setStyleSheet(
            f"QPushButton {{ color: {colour}; background: rgba(255,255,255,24);"
            f" border: 3px solid {colour}; border-radius: 10px; padding: 8px; }}"
            "QPushButton:pressed { background: rgba(255,255,255,70); }"
        )
        button.clicked.connect(lambda _=False: slot())
        self._scaled.append((button, 1.6, True))
        return button

    def unit(self) -> float:
        """The type unit, from the same rule as the session screen (grows with the window)."""
        parent = self.parentWidget()
        assert parent is not None
        return max(min(parent.width() / 64, parent.height() / 40), 8.0)

    def _fit(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        unit = self.unit()
        for widget, scale, bold in self._scaled:
            font = QFont(widget.font())
            font.setPixelSize(max(12, round(unit * scale)))
            font.setBold(bold)
            widget.setFont(font)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    # ------------------------------------------------------------------- show
    def open(self) -> None:
        """Cover the parent and take the keyboard."""
        self._fit()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_overlay(self) -> None:
        self.hide()
        parent = self.parentWidget()
        if parent is not None:
            parent.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------- keys
    def event(self, event: QEvent) -> bool:
        # Claim every key before shortcuts see it: otherwise the session's Space (pause) or
        # the window's H (history) would act behind the question.
        if event.type() == QEvent.Type.ShortcutOverride and self.isVisible():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not event.isAutoRepeat():  # a held key answers once
            self.handle_key(event)
        event.accept()

    def handle_key(self, event: QKeyEvent) -> None:
        """Act on one key press (subclasses)."""


class StopOverlay(SessionOverlay):
    """ "Stop the session?" Keep going is the easy answer; stop takes S or a quick second Esc.

    ``keep_going`` and ``stop_confirmed`` say what the user chose; the overlay hides itself.
    """

    keep_going = Signal()
    stop_confirmed = Signal()

    def __init__(self, parent: QWidget, clock: Callable[[], float]) -> None:
        super().__init__(parent)
        self._clock = clock
        self._opened_at = 0.0
        self.title = self._label("Stop the session?", 3.4, bold=True)
        self.detail = self._label("The session is paused. Time done so far is kept.", 1.6)
        self.keep_hint = self._label("Space, Enter or Esc:  keep going", 2.4, _ACCENT, bold=True)
        self.stop_hint = self._label(
            f"S  (or Esc again within {ESC_AGAIN_SECONDS:.0f} s):  stop", 2.4, _STOP, bold=True
        )
        self.keep_button = self._button("Keep going\nSpace", _ACCENT, self._keep)
        self.stop_button = self._button("Stop\nS", _STOP, self._stop)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.keep_button, 2)
        buttons.addWidget(self.stop_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addSpacing(24)
        layout.addWidget(self.keep_hint)
        layout.addWidget(self.stop_hint)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def ask(self, quitting: bool = False) -> None:
        """Show the question (the caller has paused the session)."""
        self.title.setText("Stop the session and quit?" if quitting else "Stop the session?")
        self._opened_at = self._clock()
        self.open()

    def handle_key(self, event: QKeyEvent) -> None:
        key = event.key()
        command = remote_command(event)
        if key == Qt.Key.Key_S:
            self._stop()
        elif key == Qt.Key.Key_Escape or command is SessionCommand.STOP_REQUEST:
            self.asked_again()
        elif key in _KEEP_GOING_KEYS or command in _REMOTE_KEEP_GOING:
            self._keep()  # a clicker's pause/resume button too: the one it finds by feel

    def asked_again(self) -> None:
        """The stop request came again (Esc, a remote's Stop): at once means "yes, stop";
        after a while, the user has thought again and means "never mind"."""
        if self._clock() - self._opened_at <= ESC_AGAIN_SECONDS:
            self._stop()
        else:
            self._keep()

    def confirm(self) -> None:
        """Answer "stop" (a second "timer stop", which the spoken question asked for)."""
        self._stop()

    def answer_keep_going(self) -> None:
        """Answer "keep going" (a remote's play button)."""
        self._keep()

    def _keep(self) -> None:
        self.close_overlay()
        self.keep_going.emit()

    def _stop(self) -> None:
        self.close_overlay()
        self.stop_confirmed.emit()


class KeysOverlay(SessionOverlay):
    """Every key, large, over the paused session. Space closes it and continues; Esc, F1, ?
    or Enter close it and leave the session paused."""

    closed = Signal(bool)  # True: continue the session

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._resume_on_space = False
        self.title = self._label("Keys", 2.6, bold=True)
        self.status = self._label("", 1.6, _ACCENT, bold=True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(2)
        self.rows: list[tuple[QLabel, QLabel]] = []
        # Two columns of rows, so every key fits a 1280x800 window at two-metre sizes.
        half = (len(KEY_HELP) + 1) // 2
        for i, (keys, what) in enumerate(KEY_HELP):
            key_label = self._label(keys, 1.5, _ACCENT, bold=True)
            key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            key_label.setWordWrap(False)
            what_label = self._label(what, 1.5)
            what_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            row, column = i % half, (i // half) * 2
            grid.addWidget(key_label, row, column)
            grid.addWidget(what_label, row, column + 1)
            self.rows.append((key_label, what_label))
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        # Remotes one line each: from the floor they are the keys that matter most.
        self.remote_lines = [
            self._label(f"{remote} — {keys}", 1.2) for remote, keys in REMOTE_SUMMARY
        ]
        self.close_hint = self._label("Space: continue    Esc: close", 1.8, _ACCENT, bold=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(grid)
        layout.addStretch(1)
        for line in self.remote_lines:
            layout.addWidget(line)
        layout.addStretch(1)
        layout.addWidget(self.close_hint)

    def show_keys(self, paused_for_it: bool) -> None:
        """Show the keys. ``paused_for_it``: the session was running and paused to show them."""
        self._resume_on_space = paused_for_it
        self.status.setText("Session paused while the keys are shown")
        self.close_hint.setText(
            "Space: close and continue    Esc: close" if paused_for_it else "Esc: close"
        )
        self.open()

    def close_and_continue(self) -> None:
        """Close; continue the session if it was paused to show the keys."""
        self.close_overlay()
        self.closed.emit(self._resume_on_space)

    def handle_key(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space or remote_command(event) in _REMOTE_KEEP_GOING:
            self.close_and_continue()
        elif key in (
            Qt.Key.Key_Escape,
            Qt.Key.Key_F1,
            Qt.Key.Key_Question,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            self.close_overlay()
            self.closed.emit(False)
