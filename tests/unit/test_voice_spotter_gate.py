"""Which decoded utterances count as a command: "timer <command>" whose words cover the
loud part of the utterance, each word lasting as long as it takes to say (a forced grammar
match of other speech leaves talk outside the words, or squeezes them into a few frames)."""

from __future__ import annotations

from timer_app.voice.spotter import (
    SpotterTuning,
    Word,
    command_in,
    hissing,
    loud_frames,
)

TUNING = SpotterTuning()


def words(*spans: tuple[str, int]) -> list[Word]:
    """Words one after the other, each (text, frames); "" is silence or a filler."""
    out, at = [], 0
    for text, frames in spans:
        out.append(Word(text, at, at + frames - 1))
        at += frames
    return out


def loud(*runs: tuple[bool, int]) -> list[bool]:
    return [flag for is_loud, frames in runs for flag in [is_loud] * frames]


def test_a_command_as_said_is_accepted() -> None:
    # Frames as decoded from espeak-ng's "timer pause" at 140 wpm.
    said = words(("", 1), ("timer", 37), ("pause", 74), ("", 1))
    assert command_in(said, loud((False, 3), (True, 105), (False, 5)), TUNING) == "pause"


def test_a_pause_after_the_wake_word_is_fine_when_it_is_quiet() -> None:
    # "timer, ... go": 0.2 s of quiet between the words (the old rule rejected this).
    said = words(("timer", 25), ("", 21), ("go", 33), ("", 20))
    sound = loud((True, 25), (False, 21), (True, 33), (False, 20))
    assert command_in(said, sound, TUNING) == "go"


def test_talk_the_decoder_calls_silence_is_not_a_command() -> None:
    # "timer go" forced onto a sentence: most of what was loud lies outside the two words.
    said = words(("timer", 32), ("", 113), ("go", 27))
    assert command_in(said, loud((True, 172)), TUNING) is None


def test_a_wake_word_squeezed_into_a_few_frames_is_talk() -> None:
    # The app's "Three." decoded as a 0.12 s "timer" and a "repeat".
    said = words(("timer", 12), ("repeat", 42))
    assert command_in(said, loud((True, 54)), TUNING) is None


def test_a_command_word_too_short_for_its_phones_is_talk() -> None:
    # "continue" has eight phones: 30 frames (0.3 s) is a squeeze, not the word.
    said = words(("timer", 30), ("continue", 30), ("", 16))
    assert command_in(said, loud((True, 60), (False, 16)), TUNING) is None


def test_only_the_wake_word_then_one_command_counts() -> None:
    sound = loud((True, 150))
    assert command_in(words(("timer", 40)), sound, TUNING) is None
    assert command_in(words(("timer", 40), ("pause", 60), ("stop", 50)), sound, TUNING) is None
    assert command_in(words(("pause", 60), ("timer", 40)), sound, TUNING) is None


def test_loud_frames_finds_the_spoken_part_against_the_hiss() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    hiss = rng.normal(0, 5, 1600)  # 100 ms of faint noise
    voice = rng.normal(0, 3000, 3200)  # 200 ms of something loud
    audio = np.concatenate([hiss, voice, hiss]).astype("<i2").tobytes()
    assert loud_frames(audio) == [False] * 10 + [True] * 20 + [False] * 10


def _vowel_then_s(vowel_ms: int, s_ms: int, pitch: float) -> bytes:
    """A voiced sound (``pitch`` Hz and its harmonics up to 3.5 kHz, as a vowel), then a
    hiss whose power lies above 4 kHz (white noise, differenced twice: an /s/)."""
    import numpy as np

    rate = 16000
    t = np.arange(vowel_ms * rate // 1000) / rate
    harmonics = range(1, int(3500 // pitch) + 1)
    vowel = sum(np.sin(2 * np.pi * pitch * k * t) / k for k in harmonics) * 4000
    noise = np.random.default_rng(1).normal(0, 1500, s_ms * rate // 1000 + 2)
    s_sound = np.diff(noise, n=2)
    quiet = np.random.default_rng(2).normal(0, 5, 1600)
    audio = np.concatenate([quiet, vowel, s_sound, quiet])
    return np.clip(audio, -32768, 32767).astype("<i2").tobytes()


def test_an_s_hisses_and_a_vowel_does_not_however_high_the_voice() -> None:
    # "next" said: its /s/ is 70-100 ms; a high voice's vowel is no /s/ (the decoder's
    # confusion of the female "back" with "next" is caught by this).
    for pitch in (110.0, 220.0, 330.0):
        assert sum(hissing(_vowel_then_s(300, 0, pitch))) == 0
        flags = hissing(_vowel_then_s(300, 100, pitch))
        assert 8 <= sum(flags) <= 12
        assert not any(flags[: 10 + 28])  # none in the quiet or the vowel


def test_a_word_without_an_s_may_hiss_no_longer_than_a_burst() -> None:
    # "Circle two." decoded as "timer continue": the /s/ of "Circle" lies inside "timer".
    said = words(("timer", 25), ("continue", 55), ("", 10))
    sound = loud((True, 80), (False, 10))
    burst = [True] * 4 + [False] * 86  # the /t/ of "timer"
    s_sound = [True] * 9 + [False] * 81
    assert command_in(said, sound, TUNING, burst) == "continue"
    assert command_in(said, sound, TUNING, s_sound) is None
    # A hissing room in a quiet moment inside the words is not loud: it does not count.
    gap = loud((True, 40), (False, 10), (True, 30), (False, 10))
    room = [False] * 40 + [True] * 10 + [False] * 40
    assert command_in(said, gap, TUNING, room) == "continue"


def test_a_word_with_an_s_may_hiss() -> None:
    said = words(("timer", 25), ("stop", 45), ("", 10))
    hiss = [False] * 25 + [True] * 12 + [False] * 43
    assert command_in(said, loud((True, 70), (False, 10)), TUNING, hiss) == "stop"
