"""Playing prepared clips with Qt Multimedia: one pre-loaded ``QSoundEffect`` per WAV.

``QSoundEffect`` decodes the whole clip up front and shares one open audio stream, so a play
call starts sound within a few milliseconds (measured on a PulseAudio null sink: see
docs/performance.md) and ``stop()`` silences it at once. Only the first play after opening the
device is slow (~30 ms here, 240 ms on some machines), hence :meth:`ClipOutput.warm_up`.

Qt Multimedia is imported here only, and only once an audio device is known to exist: on a
machine without one, merely creating a sound effect logs warnings.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QUrl

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect


class Output(Protocol):
    """What the speaker needs from an audio output (faked in unit tests)."""

    def load(self, path: str) -> None: ...
    def is_ready(self, path: str) -> bool: ...
    def play(self, path: str, volume: float) -> None: ...
    def stop(self, path: str | None = None) -> None: ...
    def warm_up(self) -> None: ...
    def close(self) -> None: ...


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


class ClipOutput(QObject):
    """Pre-loaded sound effects keyed by file path."""

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

    def close(self) -> None:
        for effect in self._effects.values():
            effect.stop()
            effect.setParent(None)  # freed with the dict entry; no deleteLater (see worker_client)
        self._effects.clear()
