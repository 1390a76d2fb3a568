"""A command said during a cue, live: the app's cues play into the "speakers" (the default sink),
a loopback carries them into the "room" 60 ms later, the person (espeak-ng) speaks into the
room, and the room is the microphone (:class:`Room`). The app's real listening process must
cancel the speakers' sound (recorded from their monitor) out of the microphone, hear the
command said over a cue, and nothing of the cues.

The rates for every command word and voice, a whole routine's cues and the CPU it costs are
``benchmarks/voice_commands.py``'s (``make bench``); the same offline, deterministic, is
``test_echo_cancel.py``.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.voice_commands import routine_phrases
from tests.audio.rig import PulseServer
from tests.audio.voice_rig import Listener, Room, RoomNoise, speak

pytestmark = [pytest.mark.audio, pytest.mark.slow]

#: How long to wait for the command after the cue's end (the goal, 1.5 s, is the benchmark's
#: to measure; the listener reports a command ~0.5 s after the phrase, well before this cue
#: ends, so this only has to outlast a busy machine).
WAIT = 3.0
#: Said over by the person: about 4 s in the app's voice.
CUE = "Slowly rotate the knee inward, keep the pelvis still, and breathe out."


@pytest.fixture(scope="module")
def room_listener(
    pulse_server: PulseServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Listener]:
    """The listening process in the room, after the session's first cues: the canceller
    adapts to the room while they play (5-9 s of a session's sound, ``echo.py``), and until
    then a command said over a cue is not heard."""
    if shutil.which("espeak-ng") is None or shutil.which("paplay") is None:
        pytest.skip("espeak-ng and paplay are needed to speak into the virtual microphone")
    pytest.importorskip("pocketsphinx")
    pytest.importorskip("pyaec")
    room = Room(pulse_server).open()
    noise = RoomNoise(pulse_server, sink=Room.SINK).start()
    listening = Listener(pulse_server, verbose=True).start()
    folder = tmp_path_factory.mktemp("warm-up")
    for phrase in routine_phrases()[:5]:
        speak(phrase, "en", 165, pulse_server, folder)  # into the speakers, as the app does
    yield listening
    listening.stop()
    noise.stop()
    room.close()


def _say_over_a_cue(
    listener: Listener, pulse: PulseServer, folder: Path, voice: str, rate: int, word: str
) -> list[str]:
    """The app says :data:`CUE`; 1.2 s in, the person says "timer WORD"; the commands heard."""
    since = time.monotonic()
    cue = threading.Thread(target=speak, args=(CUE, "en", 165, pulse, folder))
    cue.start()
    time.sleep(1.2)
    ended = speak(f"timer {word}", voice, rate, pulse, folder, sink=Room.SINK)
    cue.join()
    assert ended < time.monotonic() - 0.3, "the command must fall inside the cue"
    cue_ended = time.monotonic()
    while time.monotonic() < cue_ended + WAIT and not listener.heard(since):
        time.sleep(0.02)
    time.sleep(0.1)  # a second (wrong) command would come right after the first
    return [w for w, _ in listener.heard(since)]


def test_the_listener_cancels_the_speakers_echo(room_listener: Listener) -> None:
    ready = next(line.event for line in room_listener.lines if line.event.get("ready"))
    assert ready["echo_cancel"] is True


# Once only a benchmark: under the parallel run's load the rig's own players underran and the
# recordings got holes a real room never has. The players now keep 250 ms buffered, and the
# listener's gate no longer takes a few frames of uncancelled echo for the person.
@pytest.mark.parametrize(
    ("voice", "rate", "word"),
    [("en-us", 130, "pause"), ("en-us+f3", 160, "next"), ("en-us", 160, "repeat")],
)
def test_a_command_said_during_a_cue_is_heard(
    room_listener: Listener, pulse: PulseServer, tmp_path: Path, voice: str, rate: int, word: str
) -> None:
    since = time.monotonic()
    heard = _say_over_a_cue(room_listener, pulse, tmp_path, voice, rate, word)
    if not heard:  # said again, as a person would: the rate is the benchmark's to report
        heard = _say_over_a_cue(room_listener, pulse, tmp_path, voice, rate, word)
    assert heard == [word], (
        f"{voice} at {rate} wpm said 'timer {word}' over a cue: heard {heard}, decoded "
        f"{room_listener.decoded(since)}; "
        f"{[line.event for line in room_listener.lines if 'note' in line.event][-1:]}"
    )


def test_the_apps_cues_through_the_speakers_trigger_nothing(
    room_listener: Listener, pulse: PulseServer, tmp_path: Path
) -> None:
    since = time.monotonic()
    for cue in ("Three.", "Circle two.", "Build to half effort."):
        speak(cue, "en", 165, pulse, tmp_path)
    time.sleep(0.8)  # the endpointer's tail: a last false trigger would arrive by now
    assert room_listener.heard(since) == []
