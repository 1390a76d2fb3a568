"""Hands-free control of the running session: remote keys and MPRIS, one command runner.

Media keys, headset buttons and presenter clickers arrive as keys on the session screen;
the desktop's media controls arrive over MPRIS. Both are :class:`SessionCommand` values
(``core.commands`` maps them) and :meth:`SessionRemote.run` carries them out, with the same
rules as the screen's own keys: Next and Previous as → and ←, a stop request as Esc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QKeyCombination, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from timer_app.core.commands import REMOTE_KEYS, SessionCommand
from timer_app.core.engine import EngineState
from timer_app.core.now_playing import now_playing

if TYPE_CHECKING:
    from timer_app.ui.mpris import MprisPlayer
    from timer_app.ui.session_controller import SessionController

#: Opens the MPRIS player for a session, or returns None (no bus). Tests pass their own.
PlayerFactory = Callable[
    [Callable[[SessionCommand], None], Callable[[], float], QObject], "MprisPlayer | None"
]


def _open_mpris(
    on_command: Callable[[SessionCommand], None], position: Callable[[], float], parent: QObject
) -> MprisPlayer | None:
    from timer_app.ui.mpris import MprisPlayer  # jeepney is loaded when a session starts

    return MprisPlayer.open(on_command, position, parent)


#: Each remote key as the key combination a key event carries (PySide's stubs do not know
#: that a QKeySequence can be indexed, hence the ignore).
_KEY_COMMANDS: dict[QKeyCombination, SessionCommand] = {
    QKeySequence(remote_key.key)[0]: remote_key.command  # type: ignore[index]
    for remote_key in REMOTE_KEYS
}


def remote_command(event: QKeyEvent) -> SessionCommand | None:
    """The command a remote's key press means (None for other keys), for widgets that take
    the keyboard from the session screen, such as its overlays."""
    return _KEY_COMMANDS.get(event.keyCombination())


class SessionRemote(QObject):
    """Runs session commands from remotes on the session that is attached.

    ``view`` is the session screen (remote keys work while it has the focus, like its own
    keys); ``request_stop`` is what Esc does (asks first). ``overlay_answer`` gets each command
    first while a question or the keys help covers the session screen, and returns True if it
    took it (so nothing acts behind the overlay). While a session is attached the app is an
    MPRIS player; :meth:`detach` gives the name back.
    """

    def __init__(
        self,
        view: QWidget,
        request_stop: Callable[[], None],
        parent: QObject | None = None,
        player_factory: PlayerFactory | None = _open_mpris,
        overlay_answer: Callable[[SessionCommand], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._request_stop = request_stop
        self._overlay_answer = overlay_answer
        self._player_factory = player_factory
        self._controller: SessionController | None = None
        self._stage = "step"
        self._index = -1
        self.player: MprisPlayer | None = None
        for remote_key in REMOTE_KEYS:
            shortcut = QShortcut(QKeySequence(remote_key.key), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda c=remote_key.command: self.run(c))

    # --------------------------------------------------------------- session
    def attach(self, controller: SessionController, stage: str = "step") -> None:
        """Follow ``controller`` (a new one replaces the last: the "Get ready" lead-in, then
        the routine, keep one MPRIS player). ``stage`` keeps track ids apart between them."""
        if self._controller is not None:
            self._disconnect(self._controller)
        self._controller = controller
        self._stage = stage
        self._index = -1  # its first step_started is a new step, not a restart
        controller.step_started.connect(self._on_step)
        controller.state_changed.connect(self._publish)
        controller.refresh.connect(self._publish)  # time added or taken off changes the length
        if self.player is None and self._player_factory is not None:
            self.player = self._player_factory(self.run, self._position, self)
        self._publish()

    def detach(self) -> None:
        """The session is over: stop following it and leave the bus."""
        if self._controller is not None:
            self._disconnect(self._controller)
            self._controller = None
        if self.player is not None:
            self.player.close()
            self.player.deleteLater()
            self.player = None

    def _disconnect(self, controller: SessionController) -> None:
        controller.step_started.disconnect(self._on_step)
        controller.state_changed.disconnect(self._publish)
        controller.refresh.disconnect(self._publish)

    # -------------------------------------------------------------- commands
    def run(self, command: SessionCommand) -> None:
        """Carry out ``command`` on the attached session (nothing when none runs)."""
        controller = self._controller
        if controller is None or controller.is_over:
            return
        if QApplication.activeModalWidget() is not None:
            # A question is open (stop? results?): a headset press must not answer it or
            # act behind it, and a second Stop must not ask twice.
            return
        if self._overlay_answer is not None and self._overlay_answer(command):
            return
        if command is SessionCommand.STOP_REQUEST:
            self._request_stop()
        elif command is SessionCommand.TOGGLE_PAUSE:
            controller.toggle_pause()
        elif command is SessionCommand.PAUSE:
            if controller.is_running:
                controller.pause()
        elif command is SessionCommand.RESUME:
            if controller.is_paused:
                controller.resume()
        elif command is SessionCommand.NEXT:
            controller.next_step()
        elif command is SessionCommand.PREVIOUS:
            controller.previous_step()
        elif command is SessionCommand.REPEAT:
            controller.repeat_step()

    # ------------------------------------------------------------------ MPRIS
    def _position(self) -> float:
        controller = self._controller
        return controller.snapshot().elapsed if controller is not None else 0.0

    def _on_step(self, index: int) -> None:
        restarted = index == self._index
        self._index = index
        self._publish()
        if restarted and self.player is not None:
            self.player.seeked()

    def _publish(self, *_args: object) -> None:
        controller = self._controller
        if self.player is None or controller is None:
            return
        snapshot = controller.snapshot()
        if snapshot.state is EngineState.IDLE:
            return  # attached, not started yet: "Stopped" would flicker in the media widget
        self.player.publish(now_playing(snapshot, self._stage))
