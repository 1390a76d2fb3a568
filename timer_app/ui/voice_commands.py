"""Voice commands during a session: runs the listening process and acts on what it hears.

The listening process (``timer_app.voice.listen``, a process of its own, so recognition never
runs on the GUI thread) prints the command words it hears. Each becomes a
:class:`SessionCommand` for the session's one command runner (``SessionRemote``), after the
:class:`VoiceInbox` has held it while the app's own cue or tone was sounding. A short tone
confirms it, the badge on the session screen says what was heard, and the session log keeps
it. "timer stop" opens the stop question and asks, aloud, for "timer stop" again.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from timer_app.core.commands import SessionCommand
from timer_app.core.cues import Cue, CueKind, Tone
from timer_app.core.voice_commands import STOP_QUESTION, HeardCommand, VoiceInbox

if TYPE_CHECKING:
    from timer_app.speech.speaker import Speaker
    from timer_app.ui.session_controller import SessionController

log = logging.getLogger(__name__)

#: The command that starts the listening process (tests may pass their own).
LISTEN_PROGRAM = [sys.executable, "-m", "timer_app.voice.listen"]
HOLD_POLL_MS = 50


class VoiceCommands(QObject):
    """Listens while a session runs; ``status_changed`` carries the badge text
    ("Listening", 'Heard "pause"', or "" when not listening)."""

    status_changed = Signal(str)

    def __init__(
        self,
        speaker: Speaker,
        run: Callable[[SessionCommand], None],
        controller: Callable[[], SessionController | None],
        clock: Callable[[], float],
        parent: QObject | None = None,
        program: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._speaker = speaker
        self._run = run
        self._controller = controller
        self._clock = clock
        self._program = program or LISTEN_PROGRAM
        self._inbox = VoiceInbox()
        self._process: QProcess | None = None
        self._buffer = b""
        self._hold_timer = QTimer(self)
        self._hold_timer.setInterval(HOLD_POLL_MS)
        self._hold_timer.timeout.connect(self._release_held)
        self.status = ""

    # ------------------------------------------------------------- process
    def start(self) -> None:
        """Start listening (nothing if already listening)."""
        if self._process is not None:
            return
        process = QProcess(self)
        process.setProgram(self._program[0])
        process.setArguments(self._program[1:])
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._failed)
        self._process = process
        process.start()

    def stop(self) -> None:
        """Stop listening: the process ends when its stdin closes."""
        process, self._process = self._process, None
        self._hold_timer.stop()
        if process is not None:
            process.finished.disconnect(self._finished)
            process.errorOccurred.disconnect(self._failed)
            process.closeWriteChannel()
            if not process.waitForFinished(1000):
                process.kill()
                process.waitForFinished(1000)
            process.deleteLater()
        self._set_status("")

    @property
    def listening(self) -> bool:
        return self._process is not None

    def _read(self) -> None:
        process = self._process
        if process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                self._event(event)

    def _event(self, event: dict[str, object]) -> None:
        if event.get("ready"):
            self._set_status("Listening")
        elif isinstance(event.get("heard"), str):
            self.on_heard(HeardCommand(str(event["heard"]), self._clock()))
        elif isinstance(event.get("error"), str):
            log.warning("voice commands: %s", event["error"])
            self._set_status(f"Not listening: {event['error']}")

    def _finished(self) -> None:
        self._process = None
        if not self.status.startswith("Not listening"):
            self._set_status("Not listening: the microphone stopped")

    def _failed(self, _error: QProcess.ProcessError) -> None:
        if self._process is not None and self._process.state() == QProcess.ProcessState.NotRunning:
            self._process = None
            self._set_status("Not listening: the recogniser did not start")

    # ------------------------------------------------------------ commands
    def on_heard(self, heard: HeardCommand) -> None:
        """A command word came in: act now, or hold it while the app is sounding."""
        self._inbox.app_sounds_until(self._speaker.sounding_until())
        now = self._clock()
        ready = self._inbox.heard(heard, now)
        if ready is not None:
            self._act(ready)
        else:
            self._hold_timer.start()

    def _release_held(self) -> None:
        self._inbox.app_sounds_until(self._speaker.sounding_until())
        held = self._inbox.due(self._clock())
        if held is not None:
            self._hold_timer.stop()
            self._act(held)

    def _act(self, heard: HeardCommand) -> None:
        controller = self._controller()
        if controller is None or controller.is_over:
            return
        controller.note("voice_command", {"heard": heard.word})
        self._set_status(f'Heard "{heard.word}"')
        self._run(heard.command)
        if heard.command is SessionCommand.STOP_REQUEST and not controller.is_over:
            self._speaker.play(Cue(CueKind.ANNOUNCE, STOP_QUESTION, 0.0, tone=Tone.TICK), 0.0)
        elif not controller.is_over:
            self._speaker.play(Cue(CueKind.REP, "", 0.0, tone=Tone.TICK), 0.0)

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)
