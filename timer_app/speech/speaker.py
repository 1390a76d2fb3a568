"""The speaker contract the session controller relies on, plus the silent fallback speaker.

The controller calls :meth:`Speaker.prepare` with every phrase of a session before it starts,
:meth:`Speaker.play` at each cue's moment (``lead_seconds()`` early), and :meth:`Speaker.silence`
on pause, skip, back, stop and cut-short. The real implementation is
:class:`timer_app.speech.clip_speaker.ClipSpeaker`; :func:`timer_app.speech.factory.create_speaker`
picks it, and it falls back to a visible notice (and the screen's flashes) when there is no engine
or no device. Test doubles live in ``tests/helpers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from timer_app.settings import Settings

if TYPE_CHECKING:  # the cue model is not needed to show the start screen
    from timer_app.core.cues import Cue


class Speaker(QObject):
    """Base class: says cues and plays tones; every method returns at once."""

    #: "" when sound works, else a short reason shown to the user.
    notice_changed = Signal(str)
    #: The engine's voice list became known (see :meth:`voices`).
    voices_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._muted = False
        self._notice = ""

    def prepare(self, phrases: Sequence[str]) -> None:
        """A session is about to start: get these phrases ready (in the background)."""

    def is_ready(self, phrases: Sequence[str]) -> bool:
        """True once ``phrases`` can be heard without delay (or will not be heard at all:
        no device, no engine). A session's clock waits for its first steps' phrases."""
        return True

    def prefetch(self, phrases: Sequence[str], soon: bool = False) -> None:
        """Get ``phrases`` ready in the background: when nothing else waits (idle time), or
        ``soon``, ahead of idle work (a phrase that will be wanted within seconds)."""

    def play(self, cue: Cue, late_by: float) -> None:
        """Say ``cue.text`` and play ``cue.tone`` now (``late_by`` < 0: handed over early)."""

    def silence(self) -> None:
        """Stop whatever is playing or about to play, at once."""

    def sounding_until(self) -> float:
        """When (clock seconds) the sound the app is making now ends; 0 when it is quiet.
        Voice commands do not trust the microphone before then."""
        return 0.0

    def lead_seconds(self) -> float:
        """How early the controller should hand cues over so the sound lands on time."""
        return 0.0

    def expect_cue_at(self, at: float | None) -> None:
        """The running session hands over its next cue at ``at`` (clock seconds), or None:
        paused or over. Lets a speaker close its sound stream through quiet stretches."""

    def set_muted(self, muted: bool) -> None:
        """Muted: no speech (tones still play when tones are on)."""
        self._muted = muted
        if muted:
            self.silence_speech()

    def silence_speech(self) -> None:
        """Stop speech only (mute); by default the same as :meth:`silence`."""
        self.silence()

    def is_muted(self) -> bool:
        return self._muted

    def has_sound(self) -> bool:
        return True

    def notice(self) -> str:
        """The current notice ("" when sound works)."""
        return self._notice

    def _set_notice(self, text: str) -> None:
        if text != self._notice:
            self._notice = text
            self.notice_changed.emit(text)

    def apply_settings(self, settings: Settings) -> None:
        """Take voice, rate, volume, mute and tones from ``settings``."""
        self.set_muted(settings.muted)

    def voices(self) -> list[dict[str, str]] | None:
        """The engine's voices (``id``, ``name``, ``lang``), or None while still unknown."""
        return []

    def say_now(self, text: str, settings: Settings | None = None) -> None:
        """Say ``text`` at once with ``settings`` (the dialog's "Test voice")."""

    def shutdown(self) -> None:
        """Stop worker processes (the app is quitting)."""


class NullSpeaker(Speaker):
    """No sound at all; the notice says why, and the screen flashes cues instead."""

    def __init__(
        self,
        reason: str = "Sound is off: cues are shown on screen only.",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._notice = reason
        # Also announce it once the caller has had the chance to connect to the signal.
        QTimer.singleShot(0, self, lambda: self.notice_changed.emit(self._notice))

    def has_sound(self) -> bool:
        return False
