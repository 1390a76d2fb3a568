"""Voice commands during a session: runs the listening process and acts on what it hears.

The listening process (``timer_app.voice.listen``, a process of its own, so recognition never
runs on the GUI thread) prints the command words it hears. It takes the app's own sound out
of the microphone (echo cancelling), and when it cannot, it ignores the microphone while the
app sounds (a cue, a tone, and :data:`ECHO_GUARD` after): it is told when, and then nothing
said meanwhile is decoded. Each command heard becomes a :class:`SessionCommand` for the
session's one command runner (``SessionRemote``); one that arrives while the app sounds (said
during a cue, or before it began) waits in the :class:`VoiceInbox` until the cue has ended.
A short tone
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
from timer_app.core.voice_commands import ECHO_GUARD, STOP_QUESTION, HeardCommand, VoiceInbox

if TYPE_CHECKING:
    from timer_app.speech.speaker import Speaker
    from timer_app.ui.session_controller import SessionController

log = logging.getLogger(__name__)

#: The command that starts the listening process (tests may pass their own).
LISTEN_PROGRAM = [sys.executable, "-m", "timer_app.voice.listen"]
#: The badge when the listener cannot take the app's sound out of the microphone, so it
#: ignores the microphone while the app sounds.
LISTENING_BETWEEN_CUES = "Listening between cues"
#: How often the app's own sound is looked at (to tell the listener) and a held command
#: checked; the listener starts ignoring a little before it is told, to cover this.
WATCH_MS = 50


class VoiceCommands(QObject):
    """Listens while a session runs; ``status_changed`` carries the badge text
    ("Listening", "Listening between cues" without echo cancelling, 'Heard "pause"', or ""
    when not listening)."""

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
        self._told_deaf_until = 0.0
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_MS)
        self._watch_timer.timeout.connect(self._watch)
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
        self._watch_timer.start()

    def stop(self) -> None:
        """Stop listening: the process ends when its stdin closes."""
        process, self._process = self._process, None
        self._watch_timer.stop()
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
            # Without echo cancelling nothing said during a cue is heard: the badge says so
            # (the guide explains both).
            between = event.get("echo_cancel") is False
            self._set_status(LISTENING_BETWEEN_CUES if between else "Listening")
        elif event.get("echo_cancel") is False and self.status == "Listening":
            self._set_status(LISTENING_BETWEEN_CUES)  # the output's monitor went away
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
    def _watch(self) -> None:
        """Tell the listener when the app sounds; act on a held command once it is quiet."""
        self._tell_listener_the_app_sounds()
        self._inbox.app_sounds_until(self._speaker.sounding_until())
        held = self._inbox.due(self._clock())
        if held is not None:
            self._act(held)

    def _tell_listener_the_app_sounds(self) -> None:
        until = self._speaker.sounding_until()
        process = self._process
        if until <= self._told_deaf_until or process is None:
            return
        self._told_deaf_until = until
        seconds = until - self._clock() + ECHO_GUARD
        if seconds > 0:
            process.write(json.dumps({"deaf": round(seconds, 3)}).encode() + b"\n")

    def on_heard(self, heard: HeardCommand) -> None:
        """A command word came in: act now, or hold it while the app is sounding."""
        self._inbox.app_sounds_until(self._speaker.sounding_until())
        ready = self._inbox.heard(heard, self._clock())
        if ready is not None:
            self._act(ready)
        elif not self._watch_timer.isActive():
            self._watch_timer.start()

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
        self._tell_listener_the_app_sounds()  # at once: the tick follows the person's words

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)
