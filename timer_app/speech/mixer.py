"""Adding up the clips playing now, one buffer at a time, each starting on its exact frame.

The audio thread asks :meth:`Mixer.pull` for the next buffer; the GUI thread calls
:meth:`Mixer.start` and :meth:`Mixer.stop`. A clip started at monotonic time ``t`` begins
``delay_frames`` after the frame the stream is asked for at ``t`` (a :class:`StreamClock` knows
which), so it is heard a constant time after ``start()`` whatever the phase of the pulls.
Until the clock knows (the stream's first half second), a clip starts at the next pull.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from timer_app.speech.stream_clock import StreamClock


@dataclass
class _Voice:
    """One clip playing: where it has got to, and how loud."""

    key: str
    samples: np.ndarray[Any, Any]
    gain: float
    start_frame: int  # the stream frame it starts at (0: at the next pull)
    position: int = 0


class Mixer:
    """16-bit mono clips mixed into 16-bit mono buffers; thread-safe between one puller and
    one controlling thread."""

    def __init__(self, rate: int, delay_frames: int, now: Callable[[], float]) -> None:
        self._delay = delay_frames
        self._now = now
        self._voices: list[_Voice] = []
        self._clock = StreamClock(rate)
        self._next_frame = 0  # the stream frame the next pull starts at
        self._silence = b""
        # Guards _voices and _clock: the controlling thread adds voices and reads the clock,
        # the puller advances voices and teaches the clock.
        self._lock = threading.Lock()

    def start(
        self, key: str, samples: np.ndarray[Any, Any], gain: float, at_once: bool = False
    ) -> None:
        """Play ``samples`` (int16) at ``gain`` (0..1); the same ``key`` again restarts it.
        ``at_once``: at the next pull, sooner but less exactly (for a sound already late)."""
        now = self._now()
        with self._lock:
            due = self._clock.frame_at(now)
            start = 0 if due is None or at_once else due + self._delay
            voice = _Voice(key, samples, max(0.0, min(1.0, gain)), start)
            self._voices = [v for v in self._voices if v.key != key] + [voice]

    def stop(self, key: str | None = None) -> None:
        """Silence one clip, or all; takes effect at the next pull."""
        with self._lock:
            self._voices = [] if key is None else [v for v in self._voices if v.key != key]

    def playing(self) -> bool:
        return bool(self._voices)

    def pull(self, frames: int) -> bytes:
        """The next ``frames`` frames of sound (always all of them: a short buffer would starve
        the stream, and PulseAudio then waits to refill before playing on)."""
        first = self._next_frame
        self._next_frame += frames
        parts = []  # (offset into this buffer, samples, gain)
        with self._lock:
            self._clock.pulled(first, self._now())
            voices = self._voices
            for v in voices:
                offset = max(0, v.start_frame - first)
                if offset < frames:
                    take = frames - offset
                    parts.append((offset, v.samples[v.position : v.position + take], v.gain))
                    v.position += take
            if any(v.position >= len(v.samples) for v in voices):
                self._voices = [v for v in voices if v.position < len(v.samples)]
        if not parts:
            if len(self._silence) != 2 * frames:
                self._silence = bytes(2 * frames)
            return self._silence
        mixed = np.zeros(frames, dtype=np.float32)
        for offset, chunk, gain in parts:
            mixed[offset : offset + len(chunk)] += chunk * gain
        return np.clip(mixed, -32768, 32767).astype(np.int16).tobytes()
