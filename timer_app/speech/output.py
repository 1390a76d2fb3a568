"""Playing prepared clips with miniaudio: clips decoded into memory, mixed on miniaudio's thread.

Each clip (a cue phrase or a tone) is decoded once, at load, into 16-bit mono at the stream's
rate. One playback stream is open while sound is due (the speaker closes it through a session's
quiet stretches and opens it ahead of the next cue); miniaudio's audio thread pulls
40 ms of sound at a time from a :class:`~timer_app.speech.mixer.Mixer`, which adds up the
clips playing now. A clip does not simply start at the next pull (0-40 ms after ``play()``,
depending on when that comes): the mixer knows which frame is due at the moment of ``play()``
and starts the clip a fixed number of frames after it, so it is heard a constant
:data:`LATENCY` after ``play()``, and the speaker starts clips that much early. ``stop()``
silences a clip at the next pull (within 40 ms, plus what the sound server holds).

This replaces Qt Multimedia's ``QSoundEffect``, which needed the 418 MiB PySide6-Addons wheel
for one class. miniaudio is a C library bundled in a small wheel for Linux, Windows and macOS;
it plays through PulseAudio/PipeWire, ALSA, WASAPI or Core Audio. It and numpy (which the chart
library needs anyway) are imported only when an output is created, after the first paint.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

    from timer_app.speech.mixer import Mixer

log = logging.getLogger(__name__)

#: 44.1 kHz mono: the tones' own format (speech clips, 22.05 kHz, are resampled once at load).
RATE = 44100
#: How much sound one pull from the audio thread asks for. Each pull costs ~0.15 ms of CPU
#: (miniaudio's PulseAudio client and a trip into Python from a foreign thread): the app used
#: 1.05 CPU-s a minute of session with 20 ms pulls, 0.63 with 40, 0.51 with 60
#: (benchmarks/cpu_usage.py). Start times do not depend on it (see above), but longer pulls
#: make the output's latency and stop() slower, and start times grew less even at 60 ms.
PERIOD_MS = 40
#: A clip starts this long after the frame due at play(): one period, so that frame's buffer
#: is surely not pulled yet, plus a little for the estimate's noise.
START_MARGIN_MS = 2


def latency_for(period_ms: int) -> float:
    """Seconds from ``play()`` to the first audible sample, with pulls of ``period_ms``: the
    clip starts one period (+ margin) after the frame due, and PulseAudio holds about one more
    period, less a little (measured on a null sink: 31 ms at 20 ms periods, 66-72 ms at 40,
    see docs/performance.md)."""
    return (2 * period_ms - 10) / 1000


#: From ``play()`` to sound with the default period (the speaker starts clips this early).
LATENCY = latency_for(PERIOD_MS)


class AudioUnavailable(RuntimeError):
    """No sound device could be opened; the message says why."""


class Output(Protocol):
    """What the speaker needs from an audio output (faked in unit tests)."""

    def load(self, path: str) -> None: ...
    def is_ready(self, path: str) -> bool: ...
    def play(self, path: str, volume: float, at_once: bool = False) -> None:
        """Start ``path``; heard a constant latency later, or with ``at_once`` (a sound that
        is late already) as soon as the output can, on average sooner but less exactly."""

    def stop(self, path: str | None = None) -> None: ...
    def warm_up(self) -> None: ...
    def suspend(self) -> None: ...
    def close(self) -> None: ...


class ClipOutput:
    """Decoded clips keyed by file path, played through one miniaudio playback stream.

    ``warm_up()`` and ``play()`` open the stream if needed and raise :class:`AudioUnavailable`
    when no device can be opened; ``suspend()`` closes it (an idle stream still costs a wake-up
    every few milliseconds), ``close()`` also forgets the clips.
    """

    def __init__(
        self,
        rate: int = RATE,
        period_ms: int = PERIOD_MS,
        clock: Callable[[], float] = time.monotonic,
        on_stream: Callable[[bool], None] | None = None,
    ) -> None:
        """``on_stream(running)`` is told when the stream starts and stops (the app moves
        garbage collection to the GUI thread meanwhile: see speech/gui_gc.py)."""
        import miniaudio
        import numpy

        self._miniaudio = miniaudio
        self._np = numpy
        self._rate = rate
        self._period_ms = period_ms
        self._now = clock
        self._on_stream = on_stream
        self._clips: dict[str, np.ndarray[Any, Any]] = {}
        self._mixer = self._new_mixer()
        self._device: Any = None

    def _new_mixer(self) -> Mixer:
        from timer_app.speech.mixer import Mixer

        delay = round((self._period_ms + START_MARGIN_MS) * self._rate / 1000)
        return Mixer(self._rate, delay, self._now)

    # ----------------------------------------------------------------- clips
    def load(self, path: str) -> None:
        if path in self._clips:
            return
        ma = self._miniaudio
        try:
            decoded = ma.decode_file(
                path, output_format=ma.SampleFormat.SIGNED16, nchannels=1, sample_rate=self._rate
            )
        except (ma.DecodeError, OSError) as exc:
            # Not ready, so the speaker speaks this phrase live instead.
            log.warning("cannot load sound %s: %s", path, exc)
            return
        self._clips[path] = self._np.frombuffer(decoded.samples, dtype=self._np.int16)

    def is_ready(self, path: str) -> bool:
        return path in self._clips

    # --------------------------------------------------------------- playing
    def play(self, path: str, volume: float, at_once: bool = False) -> None:
        samples = self._clips.get(path)
        if samples is None:
            self.load(path)
            samples = self._clips.get(path)
            if samples is None:
                return
        self._open()
        self._mixer.start(path, samples, volume, at_once)

    def stop(self, path: str | None = None) -> None:
        self._mixer.stop(path)

    def warm_up(self) -> None:
        """Open the stream now, so the first cue does not wait for the device."""
        self._open()

    def suspend(self) -> None:
        """Close the stream (the clips stay loaded); the next play or warm-up reopens it."""
        self.stop()
        device, self._device = self._device, None
        if device is not None:
            device.close()
            if self._on_stream is not None:
                self._on_stream(False)

    def close(self) -> None:
        self.suspend()
        self._clips.clear()

    # ---------------------------------------------------------------- device
    def _open(self) -> None:
        if self._device is not None:
            return
        ma = self._miniaudio
        try:
            device = ma.PlaybackDevice(
                output_format=ma.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=self._rate,
                buffersize_msec=self._period_ms,
                app_name="Mobility Timer",
            )
        except ma.MiniaudioError as exc:
            raise AudioUnavailable(f"cannot open a sound device: {exc}") from exc
        if device.backend.lower() == "null":
            # miniaudio's last resort "plays" into nothing: as good as no device.
            device.close()
            raise AudioUnavailable("no sound server or sound card found")
        self._mixer = self._new_mixer()  # a new stream counts from frame 0
        feed = self._feed(self._mixer)
        next(feed)  # miniaudio wants a started generator
        try:
            device.start(feed)
        except ma.MiniaudioError as exc:
            device.close()
            raise AudioUnavailable(f"cannot start the sound device: {exc}") from exc
        self._device = device
        if self._on_stream is not None:
            self._on_stream(True)

    @staticmethod
    def _feed(mixer: Mixer) -> Generator[bytes, int, None]:
        """Runs on miniaudio's audio thread: sent a frame count, yields that much sound."""
        frames = yield b""
        while True:
            frames = yield mixer.pull(frames)
