"""Spoken cues and tones: what the session controller talks to (see :mod:`.speaker`).

Heavy parts (pyttsx3, Qt Multimedia) are imported only when a speaker is created.
"""

from timer_app.speech.speaker import NullSpeaker, RecordingSpeaker, Speaker, create_speaker

__all__ = ["NullSpeaker", "RecordingSpeaker", "Speaker", "create_speaker"]
