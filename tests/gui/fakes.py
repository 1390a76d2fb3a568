"""Test doubles for the GUI tests."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from timer_app.core.cues import Cue


class FakeSpeaker(QObject):
    """Records what the session asked the voice to do."""

    notice_changed = Signal(str)

    def __init__(self, sound: bool = True) -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []
        self.sound = sound
        self.muted = False
        self.prepared: list[str] = []

    def prepare(self, phrases: Sequence[str]) -> None:
        self.prepared = list(phrases)

    def play(self, cue: Cue, late_by: float) -> None:
        self.calls.append(("play", cue, late_by))

    def silence(self) -> None:
        self.calls.append(("silence",))

    def lead_seconds(self) -> float:
        return 0.0

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def is_muted(self) -> bool:
        return self.muted

    def has_sound(self) -> bool:
        return self.sound

    def shutdown(self) -> None:
        self.calls.append(("shutdown",))

    def spoken(self) -> list[str]:
        return [c[1].text for c in self.calls if c[0] == "play"]  # type: ignore[union-attr]
