"""Spoken commands ("timer pause") as session commands, and when to act on them.

The listening process reports each command word it heard with the time its phrase ended.
It takes the app's own sound out of the microphone (echo cancelling), so a command said during
a cue is heard; where it cannot, it ignores the microphone while the app makes sound (a cue or
a tone) and :data:`ECHO_GUARD` seconds after, and a command said during a cue is not heard at
all. :class:`VoiceInbox` decides when the app acts on a command that was heard: at once, or,
when it arrives while the app sounds (said during a cue, or said before it and decoded while
it plays), once the cue and its guard are over, so the confirming tick does not talk over the
cue. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from timer_app.core.commands import SessionCommand

#: The microphone is not trusted while the app sounds and this long after (room echo, the
#: output's own buffering).
ECHO_GUARD = 0.3

#: What each word after "timer" asks for. "stop" opens the stop question, and "timer stop"
#: again answers it, as a second Esc does.
WORD_COMMANDS: dict[str, SessionCommand] = {
    "pause": SessionCommand.PAUSE,
    "continue": SessionCommand.RESUME,
    "go": SessionCommand.RESUME,
    "next": SessionCommand.NEXT,
    "back": SessionCommand.PREVIOUS,
    "repeat": SessionCommand.REPEAT,
    "stop": SessionCommand.STOP_REQUEST,
}

#: Said after a first "timer stop": the confirmation asked by voice.
STOP_QUESTION = "Say 'timer stop' again to end the session."


@dataclass(frozen=True)
class HeardCommand:
    """A command word heard, and when (monotonic seconds) the phrase ended."""

    word: str
    ended: float

    @property
    def command(self) -> SessionCommand:
        return WORD_COMMANDS[self.word]


class VoiceInbox:
    """Holds heard commands while the app's own sound makes the microphone unreliable."""

    def __init__(self) -> None:
        self._quiet_from = 0.0
        self._held: HeardCommand | None = None

    def app_sounds_until(self, until: float) -> None:
        """The app plays sound until ``until`` (monotonic seconds); later calls extend it."""
        self._quiet_from = max(self._quiet_from, until + ECHO_GUARD)

    def quiet_from(self) -> float:
        """When the microphone can be trusted again."""
        return self._quiet_from

    def heard(self, heard: HeardCommand, now: float) -> HeardCommand | None:
        """A command came in: returned to act on now, or held (None) until :meth:`due`."""
        if heard.word not in WORD_COMMANDS:
            return None
        if now < self._quiet_from:
            self._held = heard  # the latest word wins: it is what the person said last
            return None
        return heard

    def due(self, now: float) -> HeardCommand | None:
        """The held command, once the app has been quiet long enough (else None)."""
        if self._held is None or now < self._quiet_from:
            return None
        held, self._held = self._held, None
        return held
