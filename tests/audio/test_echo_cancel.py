"""Echo cancelling for voice commands, offline: a cue in the app's voice reaches the "microphone"
through an echo path (late, softer, maybe through a room), the person says a command over it,
and the listener's path (:class:`EchoRemover`, then :class:`CommandSpotter`) must hear the
command and nothing of the cue. Rendered and mixed here (``benchmarks/echo_cancel.py``, which
measures the same for every command word, both voices and rates, and a whole routine's cues):
the same audio gives the same answer, so these are pass/fail tests. The live path (two
recordings lined up by time) is ``test_voice_echo.py``.
"""

from __future__ import annotations

import shutil
from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.audio

pytest.importorskip("pocketsphinx")
pytest.importorskip("pyaec")
if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
    pytest.skip("espeak-ng and sox render the test phrases", allow_module_level=True)

from benchmarks.echo_cancel import (  # noqa: E402
    CUE,
    SAMPLE_RATE,
    command_over_cue,
    echo_path,
    listen,
    render,
    with_holes,
)
from benchmarks.voice_commands import routine_phrases  # noqa: E402
from timer_app.voice.echo import EchoRemover, ResidualGate  # noqa: E402


def _over_a_cue(word: str, voice: str, rate: int, room: bool) -> dict[str, Any]:
    """The routine's first cues (so the canceller has adapted, as it has a few cues into a
    session), then :data:`CUE` with "timer WORD" said over it, starting 1.5 s in."""
    warm = np.concatenate([render(p, "en", 165) for p in routine_phrases()[:2]])
    cue, command = render(CUE, "en", 165), render(f"timer {word}", voice, rate)
    cue_at = len(warm) + SAMPLE_RATE
    played = np.zeros(cue_at + len(cue) + int(1.5 * SAMPLE_RATE))
    played[: len(warm)] = warm
    played[cue_at : cue_at + len(cue)] = cue
    person = np.zeros(len(played))
    said_at = cue_at + int(1.5 * SAMPLE_RATE)
    person[said_at : said_at + len(command)] = command
    hiss = np.random.default_rng(2).uniform(-16, 16, len(played))
    return listen(echo_path(played, room) + person + hiss, played)


@pytest.mark.parametrize(
    ("voice", "rate", "word", "room"),
    [
        ("en-us", 130, "pause", False),
        ("en-us+f3", 130, "next", True),
        ("en-us", 160, "stop", True),
        ("en-us+f3", 160, "back", False),
    ],
)
def test_a_command_said_over_a_cue_is_heard(voice: str, rate: int, word: str, room: bool) -> None:
    assert _over_a_cue(word, voice, rate, room)["words"] == [word]


def test_while_the_canceller_takes_nothing_out_the_microphone_is_turned_down() -> None:
    # Not adapted yet (or the room changed): what is left of the echo cannot be told from the
    # person, so while something plays the listener is as deaf as without echo cancelling.
    gate = ResidualGate()
    played = render(CUE, "en", 165).astype(np.int16)
    mic = (played // 2).astype(np.int16)
    gated, as_is = gate.apply(mic, mic, played)  # "cleaned" = the microphone: nothing taken out
    assert not gate.adapted
    assert gate.passed_frames == 0
    assert np.max(np.abs(gated)) < np.max(np.abs(as_is)) / 10


def test_a_canceller_that_loses_the_echo_is_no_longer_trusted() -> None:
    # Adapted (20 dB taken out), then the echo path jumps and nothing is taken out: every
    # frame then looks like the person; within seconds the gate shuts again and the stretch
    # is reported as untrusted (the listener drops utterances touching it).
    gate = ResidualGate()
    played = np.concatenate([render(p, "en", 165) for p in routine_phrases()[:5]])
    played = played.astype(np.int16)
    mic = (played // 2).astype(np.int16)
    half = len(played) // 2
    gate.apply(mic[:half], (mic[:half] // 10).astype(np.int16), played[:half])
    assert gate.adapted
    gate.untrusted()
    gate.apply(mic[half:], mic[half:], played[half:])
    assert not gate.adapted
    assert gate.untrusted(), "the lost stretch is reported"


def test_one_frame_the_canceller_could_not_follow_does_not_open_the_gate() -> None:
    # Adapted (20 dB taken out), then the reference's recording loses 10 ms (a loaded sound
    # server): the canceller has nothing to subtract there and that frame's echo comes through
    # whole. One frame like that is not the person: nothing of the cue may pass the gate.
    gate = ResidualGate()
    played = np.concatenate([render(p, "en", 165) for p in routine_phrases()[:5]])
    played = played.astype(np.int16)
    mic = (played // 2).astype(np.int16)
    cleaned = (mic // 10).astype(np.int16)
    half = len(played) // 2 // 160 * 160  # whole 10 ms frames
    gate.apply(mic[:half], cleaned[:half], played[:half])
    assert gate.adapted
    passed_before = gate.passed_frames
    holed = cleaned.copy()
    for at in range(half + 1600, len(played) - 160, 3200):  # every 200 ms, 10 ms whole
        holed[at : at + 160] = mic[at : at + 160]
    gate.apply(mic[half:], holed[half:], played[half:])
    assert gate.passed_frames == passed_before, "echo let through as the person's"


def test_the_cue_is_taken_out_of_the_microphone() -> None:
    played = np.concatenate([render(p, "en", 165) for p in routine_phrases()[:3]])
    echo = echo_path(played, room=True)
    result = listen(echo, played)
    tail = slice(len(played) // 2, len(played))  # once adapted
    left = result["cleaned"][tail]
    erle = 10 * np.log10(np.mean(echo[tail] ** 2) / np.mean(left**2))
    assert erle >= 30.0, f"only {erle:.1f} dB of the echo taken out"


def _first_cues() -> tuple[np.ndarray, np.ndarray]:
    """The routine's first 25 cues, 0.3 s apart (65 s), and the microphone's hiss."""
    gap = np.zeros(int(0.3 * SAMPLE_RATE))
    played = np.concatenate(
        [np.concatenate([render(p, "en", 165), gap]) for p in routine_phrases()[:25]]
    )
    return played, np.random.default_rng(3).uniform(-16, 16, len(played))


def test_the_routines_cues_through_the_canceller_trigger_nothing() -> None:
    played, hiss = _first_cues()
    for room in (False, True):
        assert listen(echo_path(played, room) + hiss, played)["words"] == []


# The reference is a recording as well: a loaded sound server may lose a few milliseconds of
# it (zeros) while the speakers played them. Where it does, the canceller has nothing to
# subtract; that echo must neither pass for the person nor keep the person from being heard.
# Holes here come every 0.03-0.6 s, far more often than a machine that is coping drops them.


@pytest.mark.parametrize(
    ("word", "voice", "rate", "room", "seed"),
    [("pause", "en-us", 130, False, 0), ("next", "en-us", 130, True, 31)],
)
def test_a_command_over_a_cue_is_heard_when_the_reference_loses_pieces(
    word: str, voice: str, rate: int, room: bool, seed: int
) -> None:
    heard = command_over_cue(word, voice, rate, room, holes_seed=seed, warm_cues=5)["heard"]
    assert heard == [word]


@pytest.mark.parametrize("seed", [4, 10])
def test_the_cues_trigger_nothing_when_the_reference_loses_pieces(seed: int) -> None:
    played, hiss = _first_cues()
    heard = listen(echo_path(played, room=True) + hiss, with_holes(played, seed))["words"]
    assert heard == []


def test_with_nothing_playing_the_microphone_is_heard_as_it_is() -> None:
    # No reference sound: the recogniser hears the microphone itself, as without echo
    # cancelling (its limits were measured on that).
    command = render("timer repeat", "en-us", 160)
    mic = np.concatenate([np.zeros(SAMPLE_RATE // 2), command, np.zeros(SAMPLE_RATE)])
    mic += np.random.default_rng(4).uniform(-16, 16, len(mic))
    result = listen(mic, np.zeros(len(mic)))
    assert result["words"] == ["repeat"]
    remover = EchoRemover()
    as_int = np.clip(mic, -32768, 32767).astype("<i2").tobytes()
    gated, decoded = remover.process(as_int, bytes(len(as_int)))
    assert gated == decoded == as_int[: len(gated)]  # less the gate's look-ahead
