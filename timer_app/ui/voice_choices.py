"""The voice choices the main window offers: Settings → Voice… (speech: on or off, voice,
speed) and the start screen's voice-commands switch, whose availability (a recogniser, a
microphone) is asked after the first paint."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from timer_app.settings import Settings
from timer_app.ui.start_screen import StartScreen

if TYPE_CHECKING:
    from timer_app.ui.session_flow import SessionFlow


class VoiceChoices:
    """Keeps the settings, the start screen's switch and the session's speaker in step.

    ``flow()`` gives the session workflow (built on first use); ``voice_check()`` says why
    voice commands cannot work here, or "" (the real check runs ``pactl``)."""

    def __init__(
        self,
        parent: QWidget,
        start_screen: StartScreen,
        settings: Settings,
        save_settings: Callable[[], None],
        flow: Callable[[], SessionFlow],
        voice_check: Callable[[], str] | None = None,
    ) -> None:
        self._parent = parent
        self._switch = start_screen.voice_switch
        self._settings = settings
        self._save_settings = save_settings
        self._flow = flow
        self._voice_check = voice_check or _voice_unavailable_reason
        self._switch.set_on(settings.voice_commands)
        self._switch.toggled.connect(self._set_voice_commands)

    def check(self) -> None:
        """Ask whether voice commands can work here; the switch says so if not."""
        reason = self._voice_check()
        self._flow().voice_unavailable = reason
        self._switch.set_unavailable(reason)

    def edit(self) -> None:
        """Settings → Voice…: the dialog; its choices apply at once."""
        from timer_app.ui.voice_settings import VoiceSettingsDialog

        flow = self._flow()
        VoiceSettingsDialog.edit(
            self._settings, flow.speaker, self._parent, voice_unavailable=flow.voice_unavailable
        )
        flow.set_muted(self._settings.muted)
        self._switch.set_on(self._settings.voice_commands)

    def _set_voice_commands(self, on: bool) -> None:
        """The start screen's switch: takes effect from the next session on."""
        self._settings.voice_commands = on
        self._save_settings()


def _voice_unavailable_reason() -> str:
    from timer_app.voice.availability import unavailable_reason

    return unavailable_reason()
