"""Voice commands through a virtual microphone: espeak-ng speaks into the null sink, whose
monitor is the default source, and the app's real listening process must hear the command
said, and no command in the app's own cues.

Two voices, two rates, every command word and a few cues here, and the listener told that the
app is sounding; every command twice over, the 1.5 s goal, a whole routine's cues, ten minutes
of other speech and short phrases are measured by ``benchmarks/voice_commands.py`` (``make
bench``): on a machine shared with other work, a time limit here would fail on load, not on
the app (the listener hears the phrase ~0.5 s after its end when the machine is idle).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audio.rig import PulseServer
from tests.audio.voice_rig import Listener, RoomNoise, speak, use_sink_as_microphone

pytestmark = [pytest.mark.audio, pytest.mark.slow]

#: How long to wait for the command after the phrase's end (the goal, 1.5 s, is measured by
#: the benchmark; this only has to outlast a busy machine).
WAIT = 8.0


@pytest.fixture(scope="module")
def listener(pulse_server: PulseServer) -> Iterator[Listener]:
    """One listening process for the module, as in a session: it starts once (2 s)."""
    if shutil.which("espeak-ng") is None or shutil.which("paplay") is None:
        pytest.skip("espeak-ng and paplay are needed to speak into the virtual microphone")
    pytest.importorskip("pocketsphinx")
    use_sink_as_microphone(pulse_server)
    room = RoomNoise(pulse_server).start()
    listening = Listener(pulse_server).start()
    yield listening
    listening.stop()
    room.stop()


# Every command word but "back", both voices, both paces. "timer back" is left to the
# benchmark, which reports its rate: it is the word most often missed live (the male voice's
# in 3 runs of 8 here; 2 of 10 in the benchmark of docs/performance.md). Every command in
# every voice and pace is checked offline, deterministically, in test_voice_spotter.py.
PHRASES = [
    ("en-us", 130, "pause"),
    ("en-us+f3", 130, "next"),
    ("en-us", 160, "repeat"),
    ("en-us+f3", 160, "stop"),
    ("en-us+f3", 130, "continue"),
    ("en-us", 160, "go"),
    ("en-us+f3", 160, "pause"),
]

#: Phrases that must be acted on the first time they are said. One of seven may need saying
#: again, as a person would: a single miss through a live microphone (one in ~50 here, e.g.
#: "go" at 160 wpm once while the machine was loaded) would otherwise fail the suite at random;
#: the rate itself is the benchmark's to report.
FIRST_TIME = len(PHRASES) - 1


def _say_and_listen(
    listener: Listener, pulse: PulseServer, folder: Path, voice: str, rate: int, word: str
) -> list[str]:
    """Say "timer WORD" once; the command words the listener acted on."""
    since = time.monotonic()
    ended = speak(f"timer {word}", voice, rate, pulse, folder)
    while time.monotonic() < ended + WAIT and not listener.heard(since):
        time.sleep(0.02)
    time.sleep(0.1)  # a second (wrong) command would come right after the first
    return [w for w, _ in listener.heard(since)]


def test_with_the_microphone_being_the_speakers_monitor_it_does_not_cancel_echo(
    listener: Listener,
) -> None:
    # Here what the app plays *is* the microphone: cancelling it would cancel the person
    # too, so the listener ignores the app's sound instead, as without echo cancelling.
    ready = next(line.event for line in listener.lines if line.event.get("ready"))
    assert ready["echo_cancel"] is False


def test_spoken_commands_are_heard(listener: Listener, pulse: PulseServer, tmp_path: Path) -> None:
    first_time = 0
    for voice, rate, word in PHRASES:
        heard = _say_and_listen(listener, pulse, tmp_path, voice, rate, word)
        if heard:
            first_time += 1
        else:
            heard = _say_and_listen(listener, pulse, tmp_path, voice, rate, word)
        # Never a wrong command, never one command twice, and heard by the second time.
        assert heard == [word], f"{voice} at {rate} wpm said 'timer {word}', app heard {heard}"
    assert first_time >= FIRST_TIME, f"only {first_time} of {len(PHRASES)} heard the first time"


def test_the_apps_own_cues_trigger_nothing(
    listener: Listener, pulse: PulseServer, tmp_path: Path
) -> None:
    since = time.monotonic()
    # The shortest cues: a long one is talk to the endpointer and never even decoded.
    for cue in ("Three.", "Circle two."):
        speak(cue, "en-us", 165, pulse, tmp_path)
    time.sleep(0.8)  # the endpointer's tail: a last false trigger would arrive by now
    assert listener.heard(since) == []


def test_a_command_said_while_the_app_sounds_is_not_heard(
    listener: Listener, pulse: PulseServer, tmp_path: Path
) -> None:
    since = time.monotonic()
    listener.app_sounds_for(4.0)  # as the app does when a cue starts: it lasts 3.7 s + 0.3 s
    ended = speak("timer pause", "en-us", 130, pulse, tmp_path)
    assert ended < since + 4.0, "the phrase must fall inside the app's sound"
    time.sleep(max(0.0, since + 4.0 - time.monotonic()) + 1.5)
    assert listener.heard(since) == []
    # Once the app is quiet, the same phrase is heard: the listener was not simply deaf. Said
    # again if missed, as a person would (one phrase in ~50 is missed live; the first-time
    # rate is test_spoken_commands_are_heard's and the benchmark's to check).
    heard = _say_and_listen(listener, pulse, tmp_path, "en-us", 130, "pause")
    if not heard:
        heard = _say_and_listen(listener, pulse, tmp_path, "en-us", 130, "pause")
    assert heard == ["pause"]
