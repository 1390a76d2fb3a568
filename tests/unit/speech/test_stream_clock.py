"""The stream clock: which frame an audio stream is asked for at a given moment, learnt from the
audio thread's requests, so that a clip starts at the same delay whatever their phase."""

from __future__ import annotations

from timer_app.speech.stream_clock import SETTLE_SECONDS, StreamClock

RATE = 1000  # frames per second: one frame a millisecond keeps the arithmetic readable
PERIOD = 40  # frames per request


def feed(clock: StreamClock, origin: float, seconds: float, late: list[float]) -> int:
    """Requests of PERIOD frames, each ``late[i % len(late)]`` seconds after its ideal time."""
    frame = 0
    while frame < seconds * RATE:
        clock.pulled(frame, origin + frame / RATE + late[(frame // PERIOD) % len(late)])
        frame += PERIOD
    return frame


def test_unknown_until_the_stream_has_settled() -> None:
    clock = StreamClock(RATE)
    feed(clock, 100.0, SETTLE_SECONDS * 0.9, [0.0])
    assert clock.frame_at(100.2) is None  # start-up burst only: no estimate yet


def test_late_requests_do_not_shift_the_estimate() -> None:
    clock = StreamClock(RATE)
    # The audio thread often wakes a few ms late (busy machine, waiting for the interpreter).
    feed(clock, 100.0, 3.0, [0.004, 0.0, 0.011, 0.002, 0.007])
    assert clock.frame_at(102.0) == 2000
    assert clock.frame_at(102.5) == 2500


def test_a_sound_card_running_slow_is_followed() -> None:
    clock = StreamClock(RATE)
    # The card's clock runs 0.1 % slow against the system's: frames come ever later.
    frame = 0
    while frame < 20 * RATE:
        clock.pulled(frame, 100.0 + frame / RATE * 1.001)
        frame += PERIOD
    # After 20 s it is 20 ms behind; the estimate follows to within a few frames (a fixed
    # start-of-stream estimate would be 20 ms off, and a clip as much late).
    assert abs(clock.frame_at(120.02) - 20000) <= 3  # type: ignore[operator]


def test_a_new_clock_knows_nothing() -> None:
    assert StreamClock(RATE).frame_at(5.0) is None
