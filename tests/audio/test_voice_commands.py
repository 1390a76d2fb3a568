"""Voice commands through a virtual microphone: espeak-ng speaks into the null sink, whose
monitor is the default source, and the app's real listening process must hear the command
said, and no command in the app's own cues.

Two voices, two rates, a few commands and cues here; every command, the 1.5 s goal, a whole
routine's cues and ten minutes of other speech are measured by ``benchmarks/voice_commands.py``
(``make bench``): on a machine shared with other work, a time limit here would fail on load,
not on the app (the listener hears the phrase ~0.5 s after its end when the machine is idle).
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


# Recognition of espeak's voice is not yet reliable (about 71 % of commands heard, see
# docs/performance.md): as a pass/fail test in `make test` it would fail at random, so it runs
# with the benchmark (`make bench`), which reports the rate against the 95 % goal.
@pytest.mark.bench
@pytest.mark.parametrize(
    ("voice", "rate", "word"),
    [
        ("en-us", 130, "pause"),
        ("en-us+f3", 130, "next"),
        ("en-us", 160, "repeat"),
        ("en-us+f3", 160, "stop"),
    ],
)
def test_a_spoken_command_is_heard(
    listener: Listener, pulse: PulseServer, tmp_path: Path, voice: str, rate: int, word: str
) -> None:
    since = time.monotonic()
    ended = speak(f"timer {word}", voice, rate, pulse, tmp_path)
    while time.monotonic() < ended + WAIT and not listener.heard(since):
        time.sleep(0.02)
    time.sleep(0.1)  # a second (wrong) command would come right after the first
    assert [w for w, _ in listener.heard(since)] == [word]


def test_the_apps_own_cues_trigger_nothing(
    listener: Listener, pulse: PulseServer, tmp_path: Path
) -> None:
    since = time.monotonic()
    # The shortest cues: a long one is talk to the endpointer and never even decoded.
    for cue in ("Three.", "Circle two."):
        speak(cue, "en-us", 165, pulse, tmp_path)
    time.sleep(0.8)  # the endpointer's tail: a last false trigger would arrive by now
    assert listener.heard(since) == []
