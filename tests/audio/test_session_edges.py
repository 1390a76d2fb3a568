"""The voice at a session's edges, with real sound (issue 10): ``timer-app --routine FILE
--start`` is launched as a user would, on a private PulseAudio null sink, and what the sink
plays is recorded. The first announcement is heard on time; Space cuts any phrase, including
one rendered on the spot, and nothing sounds while paused. A session stopped with Esc, S says
what was done (issue 13's end words), and nothing else sounds after them."""

from __future__ import annotations

import shutil
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.audio.app_run import (
    STEP_SECONDS,
    AppRun,
    KeyboardDisplay,
    SoundWatch,
    first_announcement_delay,
    loudest_after,
    step_onsets,
)
from tests.audio.rig import RATE, PulseServer, Recorder, frame_rms
from timer_app.settings import Settings
from timer_app.speech.clip_speaker import ClipSpeaker

pytestmark = [pytest.mark.audio, pytest.mark.slow]


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """The apps' own X server (no key auto-repeat): see :class:`KeyboardDisplay`."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.skip("needs Xvfb and xdotool (Debian packages xvfb, xdotool)")
    server = KeyboardDisplay().start()
    yield server.name
    server.stop()


#: A 10 ms frame this loud (16-bit RMS, about -56 dBFS) counts as sound after a pause.
QUIET_RMS = 50.0
#: Every sound must stop this soon after the key that pauses it (issue 10's goal).
CUT_WITHIN = 0.150
#: Long enough that a phrase the key failed to cut (each lasts 2-3 s) would be heard.
PAUSED_FOR = 1.0


def test_the_first_announcement_is_heard_when_its_step_starts(
    pulse: PulseServer, tmp_path: Path, display: str
) -> None:
    run = AppRun.launch(tmp_path, pulse, display)  # a first run: no clip rendered yet
    try:
        run.wait_for_sound()
        time.sleep(2 * STEP_SECONDS + 0.5)  # the next two announcements give the schedule
    finally:
        samples, aligner = run.finish()
    heard = step_onsets(samples, aligner)
    assert len(heard) == 3, f"expected three announcements, heard {heard}; app: {run.log()}"
    first, later = first_announcement_delay(heard)
    # Later steps sound within a few ms of each other's schedule: a steady reference.
    assert max(abs(t) for t in later) < 0.030, f"later onsets off schedule: {later}"
    assert -0.030 <= first <= 0.080, f"first announcement {first * 1000:.0f} ms off its step"


def assert_cut(
    samples: Any, aligner: Any, sounding_since: float, pressed: float, until: float, log: str = ""
) -> None:
    playing = loudest_after(samples, aligner, sounding_since, pressed)
    after = loudest_after(samples, aligner, pressed + CUT_WITHIN, until)
    envelope = envelope_around(samples, aligner, pressed)
    assert playing > 1000, f"nothing played before the key (RMS {playing:.0f}): {envelope}"
    assert after < QUIET_RMS, f"sound went on after the key (RMS {after:.0f}): {envelope} {log}"


def envelope_around(samples: Any, aligner: Any, moment: float) -> str:
    """Loudness in 25 ms steps from 0.2 s before ``moment`` to 1.5 s after (for messages)."""
    return " ".join(
        f"{round((t - moment) * 1000):+d}ms:{loudest_after(samples, aligner, t, t + 0.025):.0f}"
        for t in (moment + k * 0.025 for k in range(-8, 60))
    )


def test_space_during_the_first_announcement_silences_it(
    pulse: PulseServer, tmp_path: Path, display: str
) -> None:
    run = AppRun.launch(tmp_path, pulse, display)
    try:
        sounding = run.wait_for_sound()
        time.sleep(max(0.0, sounding + 0.4 - time.monotonic()))
        pressed = run.press("space")
        time.sleep(PAUSED_FOR)
        until = time.monotonic()
    finally:
        samples, aligner = run.finish()
    assert_cut(samples, aligner, sounding, pressed, until, run.log())


def test_space_during_a_phrase_rendered_on_the_spot_silences_it(
    pulse: PulseServer, tmp_path: Path, display: str
) -> None:
    """Pause and resume: the step is re-announced ("Left side, Passive hold, five seconds
    left."), a phrase made up at the pause and rendered then; Space cuts it like any other."""
    run = AppRun.launch(tmp_path, pulse, display)
    try:
        sounding = run.wait_for_sound()
        time.sleep(max(0.0, sounding + 0.4 - time.monotonic()))
        run.press("space")  # pause
        time.sleep(0.3)  # (a gap, so the next phrase's start is heard as a start)
        run.press("space")  # resume: "Left side, Passive hold, five seconds left."
        resumed = run.wait_for_sound(timeout=5)
        time.sleep(max(0.0, resumed + 0.4 - time.monotonic()))
        pressed = run.press("space")
        time.sleep(PAUSED_FOR)
        until = time.monotonic()
    finally:
        samples, aligner = run.finish()
    assert_cut(samples, aligner, resumed, pressed, until, run.log())


def test_test_voice_is_cut_by_silence_within_150_ms(qtbot: Any, pulse: PulseServer) -> None:
    """ "Test voice" has no prepared clip: it is rendered then and played through the same
    output as every cue, so stopping it is immediate (no ``aplay`` left talking)."""
    speaker = ClipSpeaker(Settings(tones=False))
    speaker.start_probing()
    qtbot.waitUntil(lambda: speaker.voices() is not None and speaker.has_sound(), timeout=20000)
    recorder = Recorder(pulse).start()
    watch = SoundWatch(recorder)
    speaker.say_now("This is how your cues will sound, at this speed and volume.")
    qtbot.waitUntil(watch.heard, timeout=5000)
    sounding = time.monotonic()
    qtbot.wait(400)
    pressed = time.monotonic()
    speaker.silence()
    qtbot.wait(round(PAUSED_FOR * 1000))
    until = time.monotonic()
    samples, aligner = recorder.stop()
    speaker.shutdown()
    assert_cut(samples, aligner, sounding, pressed, until)


#: The stop's end words ("Session stopped after two seconds. 0 of 5 steps done.") last about
#: three seconds in espeak-ng at the default rate; anything under 1.5 s is not that sentence.
END_WORDS_AT_LEAST = 1.5
RECORDINGS = Path(__file__).resolve().parent.parent / "artifacts" / "recordings"


def sound_span(samples: Any, aligner: Any, start: float, end: float) -> tuple[float, float] | None:
    """(first, last) monotonic time of a 10 ms frame louder than QUIET_RMS in [start, end)."""
    frame = RATE // 100
    loud = [
        aligner(i * frame)
        for i, v in enumerate(frame_rms(samples, frame))
        if v >= QUIET_RMS and start <= aligner(i * frame) < end
    ]
    return (loud[0], loud[-1] + 0.010) if loud else None


def test_a_session_stopped_with_s_says_what_was_done(
    pulse: PulseServer, tmp_path: Path, display: str
) -> None:
    run = AppRun.launch(tmp_path, pulse, display)
    try:
        sounding = run.wait_for_sound()
        time.sleep(max(0.0, sounding + 1.0 - time.monotonic()))
        asked = run.press("Escape")  # the stop question: the session pauses, quiet
        time.sleep(1.0)
        stopped = run.press("s")
        time.sleep(5.0)
        until = time.monotonic()
    finally:
        samples, aligner = run.finish()
    RECORDINGS.mkdir(parents=True, exist_ok=True)
    with wave.open(str(RECORDINGS / "stopped-with-s.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    quiet = loudest_after(samples, aligner, asked + CUT_WITHIN, run.last_press_started)
    assert quiet < QUIET_RMS, f"sound while the stop question showed (RMS {quiet:.0f})"
    span = sound_span(samples, aligner, run.last_press_started, until)
    assert span is not None, f"nothing said after S: {run.log()}"
    began, ended = span
    assert began - stopped < 0.5, f"end words began {began - stopped:.2f} s after S"
    assert ended - began >= END_WORDS_AT_LEAST, f"only {ended - began:.2f} s of sound after S"
    assert ended < until - 0.5, "still sounding 5 s after the stop"
