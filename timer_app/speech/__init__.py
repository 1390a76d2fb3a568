"""Spoken cues and tones: what the session controller talks to (see :mod:`.speaker`).

Heavy parts (pyttsx3, Qt Multimedia) are imported only when a speaker is created
(:func:`timer_app.speech.factory.create_speaker`).
"""

from timer_app.speech.speaker import NullSpeaker, Speaker

__all__ = ["NullSpeaker", "Speaker"]
