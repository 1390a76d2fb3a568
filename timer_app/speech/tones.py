"""The short tones in ``assets/sounds``: a tick for 3-2-1, a falling pair for the end of a
contraction, a longer rising chime for the end of the session.

Generated with the standard library only, so anyone can regenerate them after a change:
``python -m timer_app.speech.tones`` (the WAVs are committed; the app never generates them).
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from timer_app.core.cues import Tone

RATE = 44100

#: (frequency Hz, seconds) notes of each tone, played one after another.
NOTES: dict[Tone, tuple[tuple[float, float], ...]] = {
    Tone.TICK: ((1320.0, 0.07),),
    Tone.END: ((880.0, 0.16), (587.33, 0.26)),
    Tone.COMPLETE: ((523.25, 0.16), (659.25, 0.16), (783.99, 0.16), (1046.5, 0.7)),
}


def tone_path(tone: Tone, folder: Path | None = None) -> Path:
    """Where a tone's WAV lives (``assets/sounds/<name>.wav`` by default)."""
    if folder is None:
        from timer_app.paths import assets_dir

        folder = assets_dir() / "sounds"
    return folder / f"{tone.value}.wav"


def synthesize(notes: tuple[tuple[float, float], ...], amplitude: float = 0.5) -> bytes:
    """16-bit mono PCM of the notes; each with a 5 ms attack (no click) and an exponential
    decay, plus a third harmonic so the tone carries on small laptop speakers."""
    frames = bytearray()
    for freq, seconds in notes:
        count = int(RATE * seconds)
        attack = int(RATE * 0.005)
        for i in range(count):
            t = i / RATE
            envelope = min(1.0, i / attack) * math.exp(-3.0 * t / seconds)
            value = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 3 * freq * t)
            sample = int(32767 * amplitude * envelope * value / 1.3)
            frames += struct.pack("<h", sample)
    return bytes(frames)


def write_all(folder: Path) -> list[Path]:
    """(Re)write every tone into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for tone, notes in NOTES.items():
        path = tone_path(tone, folder)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(synthesize(notes))
        written.append(path)
    return written


if __name__ == "__main__":
    from timer_app.paths import assets_dir

    for written_path in write_all(assets_dir() / "sounds"):
        print(written_path)
