"""Which decoded utterances count as a command: "timer <command>" that fills the utterance,
each word lasting as long as it takes to say (a forced grammar match of other speech leaves
most of it to silence, or squeezes the words into a few frames)."""

from __future__ import annotations

from timer_app.voice.spotter import SpotterTuning, command_in

TUNING = SpotterTuning()


def test_a_command_as_said_is_accepted() -> None:
    # Frames as decoded from espeak-ng's "timer pause" at 140 wpm.
    words = [("", 1), ("timer", 37), ("pause", 74), ("", 1)]
    assert command_in(words, TUNING) == "pause"


def test_a_match_that_leaves_most_of_the_utterance_to_silence_is_talk() -> None:
    # "timer go" forced onto a sentence of the guide: 113 of 172 frames were not the words.
    assert command_in([("timer", 32), ("", 113), ("go", 27)], TUNING) is None


def test_a_wake_word_squeezed_into_a_few_frames_is_talk() -> None:
    assert command_in([("timer", 12), ("repeat", 70), ("", 5)], TUNING) is None


def test_a_command_word_too_short_for_its_phones_is_talk() -> None:
    # "repeat" has five phones: 39 frames (0.39 s) is a squeeze, not the word.
    assert command_in([("timer", 30), ("repeat", 39), ("", 16)], TUNING) is None


def test_only_the_wake_word_then_one_command_counts() -> None:
    assert command_in([("timer", 40)], TUNING) is None
    assert command_in([("timer", 40), ("pause", 60), ("stop", 50)], TUNING) is None
    assert command_in([("pause", 60), ("timer", 40)], TUNING) is None
