"""A speaker that records what the controller asked of it, instead of making sound."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject

from timer_app.core.cues import Cue
from timer_app.settings import Settings
from timer_app.speech.speaker import Speaker


class RecordingSpeaker(Speaker):
    """For tests: records ``("play", cue, late_by)``, ``("silence",)``, ``("prepare", phrases)``,
    ``("settings", settings)``, ``("muted", bool)`` and ``("say_now", text)`` in :attr:`calls`."""

    def __init__(
        self, lead: float = 0.0, sound: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.calls: list[tuple[Any, ...]] = []
        self._lead = lead
        self._sound = sound
        self.settings: Settings | None = None
        #: What :meth:`expect_cue_at` was told, in order (apart from :attr:`calls`).
        self.expected_cues: list[float | None] = []

    def prepare(self, phrases: Sequence[str]) -> None:
        self.calls.append(("prepare", list(phrases)))

    def play(self, cue: Cue, late_by: float) -> None:
        self.calls.append(("play", cue, late_by))

    def silence(self) -> None:
        self.calls.append(("silence",))

    def lead_seconds(self) -> float:
        return self._lead

    def expect_cue_at(self, at: float | None) -> None:
        self.expected_cues.append(at)

    def has_sound(self) -> bool:
        return self._sound

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.calls.append(("settings", settings))
        super().apply_settings(settings)

    def set_muted(self, muted: bool) -> None:
        if muted != self._muted:
            self.calls.append(("muted", muted))
        self._muted = muted

    def say_now(self, text: str, settings: Settings | None = None) -> None:
        self.calls.append(("say_now", text))

    def voices(self) -> list[dict[str, str]] | None:
        return [{"id": "test/voice", "name": "Test voice", "lang": "en"}]

    @property
    def played(self) -> list[Cue]:
        """The cues passed to :meth:`play`, in order."""
        return [c[1] for c in self.calls if c[0] == "play"]
