"""Which speaker the app gets: the clip speaker when it can be built, else a silent one.

Kept apart from :mod:`timer_app.speech.speaker` (the contract), which the clip speaker itself
imports: the contract must not depend on its implementation.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from timer_app.settings import Settings
from timer_app.speech.speaker import NullSpeaker, Speaker

log = logging.getLogger(__name__)


def create_speaker(settings: Settings, parent: QObject | None = None) -> Speaker:
    """The best available speaker. Never raises and never blocks: engines and devices are
    probed in the background, and ``notice_changed`` tells the user what is missing."""
    try:
        from timer_app.speech.clip_speaker import ClipSpeaker

        speaker: Speaker = ClipSpeaker(settings, parent=parent)
        speaker.start_probing()  # type: ignore[attr-defined]
        return speaker
    except Exception as exc:  # anything at all: run silent with a notice, never crash
        log.exception("speech unavailable")
        return NullSpeaker(f"No speech: {exc}. Cues are shown on screen only.", parent)
