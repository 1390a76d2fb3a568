"""Where an audio stream is, in frames, at a given ``time.monotonic()``: for sample-exact cues.

An audio thread is asked for sound one buffer (period) at a time. A clip handed over between two
requests would start at the next one, anywhere from 0 to a period late: 20 ms of jitter with a
20 ms period. Instead the output notes, at each request, which frame it is asked for and when;
it then knows which frame is due at any moment and starts a clip a fixed distance after it,
whatever the phase of the requests. The delay from ``play()`` to sound is then constant, and
the speaker starts clips that much early.

A request can come late (the thread woke late, or waited for the interpreter) but never before
the stream needs it, so the earliest ``time - frame / rate`` seen is the truest estimate. It
is taken over a sliding window of one to two seconds, so a sound card whose crystal runs a
little fast or slow against the system clock is followed. The first half second after the
stream opens is left out: the stream's buffer is filled in a burst then.
"""

from __future__ import annotations

#: Requests in the first this many seconds of a stream fill its buffer in a burst: ignored.
SETTLE_SECONDS = 0.5
#: The estimate is the earliest over the current and the previous window of this length.
WINDOW_SECONDS = 1.0


class StreamClock:
    """Maps monotonic time to the stream's frame index, learnt from the audio thread's requests."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._settle = round(SETTLE_SECONDS * rate)
        self._window = round(WINDOW_SECONDS * rate)
        self._block_end = self._settle + self._window
        self._current: float | None = None  # earliest (time - frame / rate) in this window
        self._previous: float | None = None  # ... and in the one before

    def pulled(self, frame: int, at: float) -> None:
        """The audio thread asked for the buffer starting at ``frame`` at monotonic ``at``."""
        if frame < self._settle:
            return
        if frame >= self._block_end:
            self._previous, self._current = self._current, None
            self._block_end = frame + self._window
        origin = at - frame / self._rate
        if self._current is None or origin < self._current:
            self._current = origin

    def frame_at(self, at: float) -> int | None:
        """The frame the stream is asked for at ``at``, or None while not yet known."""
        known = [o for o in (self._current, self._previous) if o is not None]
        if not known:
            return None
        return round((at - min(known)) * self._rate)
