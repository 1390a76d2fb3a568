"""Voice commands through a virtual microphone: espeak-ng speaks into the null sink, whose
monitor is the default source, and the app's real listening process must hear the command
within 1.5 s of the phrase's end, and hear no command in the app's own cues.

Two voices, two rates, a few commands and cues here; every command and a whole routine's cues
and ten minutes of other speech are in ``benchmarks/voice_commands.py`` (``make bench``).
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

#: How long after a phrase's end the command may arrive (the issue's goal).
WITHIN = 1.5


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


@pytest.mark.parametrize(
    ("voice", "rate", "word"),
    [
        ("en-us", 130, "pause"),
        ("en-us+f3", 130, "next"),
        ("en-us", 160, "repeat"),
        ("en-us+f3", 160, "stop"),
    ],
)
def test_a_spoken_command_is_heard_within_a_second_and_a_half(
    listener: Listener, pulse: PulseServer, tmp_path: Path, voice: str, rate: int, word: str
) -> None:
    since = time.monotonic()
    ended = speak(f"timer {word}", voice, rate, pulse, tmp_path)
    while time.monotonic() < ended + WITHIN + 0.2 and not listener.heard(since):
        time.sleep(0.02)
    heard = listener.heard(since)
    assert [w for w, _ in heard] == [word]
    assert heard[0][1] - ended <= WITHIN


def test_the_apps_own_cues_trigger_nothing(
    listener: Listener, pulse: PulseServer, tmp_path: Path
) -> None:
    since = time.monotonic()
    # The shortest cues: a long one is talk to the endpointer and never even decoded.
    for cue in ("Three.", "Circle two."):
        speak(cue, "en-us", 165, pulse, tmp_path)
    time.sleep(0.8)  # the endpointer's tail: a last false trigger would arrive by now
    assert listener.heard(since) == []
