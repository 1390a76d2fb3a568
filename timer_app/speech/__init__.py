"""Spoken cues and tones: what the session controller talks to (see :mod:`.speaker`).

Heavy parts (pyttsx3, miniaudio, numpy) are imported only when a speaker is created
(:func:`timer_app.speech.factory.create_speaker`). The package itself imports nothing: the
speech worker process (``python -m timer_app.speech.worker``) loads this package first, and
importing Qt there would cost it ~20 MiB and ~0.3 s of start-up for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from timer_app.speech.speaker import NullSpeaker, Speaker

__all__ = ["NullSpeaker", "Speaker"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from timer_app.speech import speaker

        return getattr(speaker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
