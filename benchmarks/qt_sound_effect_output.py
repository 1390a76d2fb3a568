"""The Qt Multimedia output the app used until 2026-11-30, kept as the cue-latency baseline.

``benchmarks/cue_latency.py --compare-qt`` plays the same session through this and through
the app's miniaudio output, in the same run. It needs Qt Multimedia, which is in the
PySide6-Addons wheel the app no longer depends on (``pip install PySide6-Addons`` into the
venv first). One pre-loaded ``QSoundEffect`` per WAV: it decodes the clip up front and shares
one open stream, but feeds that stream on a timer, so a clip starts 0-48 ms after ``play()``;
the speaker started clips 25 ms early (:data:`OUTPUT_LATENCY`) to centre that spread.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

#: What ClipSpeaker used with this output (play this much before the boundary).
OUTPUT_LATENCY = 0.025


def silent_wav(folder: Path, seconds: float = 0.2, rate: int = 22050) -> Path:
    """A WAV of silence (for opening the audio device before the first cue)."""
    path = folder / "warm-up-silence.wav"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(b"\0\0" * int(rate * seconds))
    return path


def _quiet_backend_probe() -> None:
    """Qt Multimedia looks for an optional PipeWire library and warns when it is absent,
    though it then plays through PulseAudio just fine; that warning only alarms users (and
    fails tests that treat Qt warnings as errors). Rules from QT_LOGGING_RULES still win."""
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")


class QtSoundEffectOutput(QObject):
    """Pre-loaded sound effects keyed by file path (the speaker's ``Output``)."""

    def __init__(self, silence_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[str, QSoundEffect] = {}
        self._silence_dir = silence_dir

    def _effect(self, path: str) -> QSoundEffect:
        effect = self._effects.get(path)
        if effect is None:
            _quiet_backend_probe()
            from PySide6.QtMultimedia import QSoundEffect

            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(path))  # decodes in the background
            self._effects[path] = effect
        return effect

    def load(self, path: str) -> None:
        self._effect(path)

    def is_ready(self, path: str) -> bool:
        effect = self._effects.get(path)
        return effect is not None and effect.isLoaded()

    def play(self, path: str, volume: float) -> None:
        effect = self._effect(path)
        effect.setVolume(max(0.0, min(1.0, volume)))
        if effect.isPlaying():
            effect.stop()
        effect.play()

    def stop(self, path: str | None = None) -> None:
        targets = [self._effects[path]] if path in self._effects else []
        for effect in targets if path is not None else self._effects.values():
            if effect.isPlaying():
                effect.stop()

    def warm_up(self) -> None:
        """Play a moment of silence so the device is open when the first cue comes."""
        self.play(str(silent_wav(self._silence_dir)), 1.0)

    def suspend(self) -> None:
        """Nothing to close: Qt keeps its stream open."""

    def close(self) -> None:
        for effect in self._effects.values():
            effect.stop()
            effect.setParent(None)  # freed with the dict entry; no deleteLater (see worker_client)
        self._effects.clear()
