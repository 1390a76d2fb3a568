"""The mixer behind the audio output: a clip starts on its exact frame whatever the moment of
the pull, stop() silences at the next pull, volume scales, overlapping clips add up."""

from __future__ import annotations

import numpy as np

from timer_app.speech.mixer import Mixer

RATE = 1000  # one frame a millisecond
PERIOD = 40
DELAY = 42  # a period plus 2 ms, as the output asks


class Clock:
    """Monotonic time as the test sets it (the pull times, and start() between them)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def samples(pulled: bytes) -> list[int]:
    return np.frombuffer(pulled, dtype=np.int16).tolist()


def settled_mixer() -> tuple[Mixer, Clock]:
    """A mixer whose stream has run long enough for its clock to know where it is."""
    clock = Clock(100.0)
    mixer = Mixer(RATE, DELAY, clock)
    for _ in range(30):  # 1.2 s of pulls, each exactly on time
        assert samples(mixer.pull(PERIOD)) == [0] * PERIOD  # silence, full length
        clock.advance(PERIOD / RATE)
    return mixer, clock


def heard_from(mixer: Mixer, clock: Clock, pulls: int) -> list[int]:
    out: list[int] = []
    for _ in range(pulls):
        out += samples(mixer.pull(PERIOD))
        clock.advance(PERIOD / RATE)
    return out


def test_a_clip_starts_a_fixed_delay_after_start_whatever_the_pull_phase() -> None:
    starts = set()
    for phase in (0.001, 0.017, 0.039):  # start() early, midway and late between two pulls
        mixer, clock = settled_mixer()
        next_pull = clock()
        clock.now = next_pull - PERIOD / RATE + phase  # between the last pull and the next
        started = clock()
        mixer.start("beep", np.full(10, 1000, dtype=np.int16), 1.0)
        clock.now = next_pull
        out = heard_from(mixer, clock, 4)
        first = next(i for i, s in enumerate(out) if s)  # frames after next_pull
        starts.add(round((next_pull - started) * RATE) + first)
        assert out[first : first + 10] == [1000] * 10
    assert starts == {DELAY}  # always DELAY frames after start(): no period-long jitter


def test_before_the_clock_knows_a_clip_starts_at_the_next_pull() -> None:
    mixer = Mixer(RATE, DELAY, Clock(5.0))
    mixer.start("beep", np.full(5, 700, dtype=np.int16), 1.0)
    assert samples(mixer.pull(PERIOD))[:6] == [700] * 5 + [0]


def test_stop_silences_at_the_next_pull_and_volume_scales() -> None:
    mixer, clock = settled_mixer()
    mixer.start("phrase", np.full(400, 1000, dtype=np.int16), 0.5)
    out = heard_from(mixer, clock, 3)
    assert max(out) == 500
    mixer.stop()
    assert set(heard_from(mixer, clock, 2)) == {0}
    assert not mixer.playing()


def test_overlapping_clips_add_up_and_stopping_one_leaves_the_other() -> None:
    mixer, clock = settled_mixer()
    mixer.start("tone", np.full(400, 1000, dtype=np.int16), 1.0)
    mixer.start("phrase", np.full(400, 32000, dtype=np.int16), 1.0)
    out = heard_from(mixer, clock, 3)
    assert max(out) == 32767  # added, and clipped rather than wrapped round
    mixer.stop("phrase")
    assert set(heard_from(mixer, clock, 2)) <= {1000}


def test_starting_the_same_clip_again_restarts_it() -> None:
    mixer, clock = settled_mixer()
    ramp = np.arange(1, 201, dtype=np.int16)
    mixer.start("ramp", ramp, 1.0)
    heard_from(mixer, clock, 3)
    mixer.start("ramp", ramp, 1.0)
    out = heard_from(mixer, clock, 3)
    assert out[DELAY] == 1  # from the beginning, once (not the old one carrying on too)
    assert max(out) <= 200


def test_a_finished_clip_is_dropped() -> None:
    mixer, clock = settled_mixer()
    mixer.start("tick", np.full(20, 100, dtype=np.int16), 1.0)
    heard_from(mixer, clock, 3)
    assert not mixer.playing()


def test_a_late_sound_starts_at_the_next_pull_rather_than_a_period_later() -> None:
    mixer, _ = settled_mixer()
    mixer.start("late", np.full(10, 900, dtype=np.int16), 1.0, at_once=True)
    assert samples(mixer.pull(PERIOD))[:11] == [900] * 10 + [0]
