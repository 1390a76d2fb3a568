"""Spots "timer <command>" in a stream of 16 kHz mono audio with pocketsphinx.

How talk in the room is kept from triggering a command (measured in ``benchmarks/
voice_commands.py``, numbers in docs/performance.md):

* A voice-activity endpointer cuts the stream into utterances. A command is said on its own,
  so only an utterance between :data:`MIN_UTTERANCE` and :data:`MAX_UTTERANCE` seconds long
  is considered; running speech (a cue, someone talking) makes longer utterances.
* That utterance is decoded against a grammar of the wake word and the command words only,
  and must come out as exactly "timer <command>".
* A grammar always finds its best match, even in a phrase that is nothing like a command; so
  the match must also *fill* the utterance: the two words must cover at least
  :data:`MIN_COVERAGE` of it (a forced match leaves much of other speech to silence and
  fillers), "timer" must last :data:`MIN_WAKE_FRAMES` frames and the command word
  :data:`MIN_FRAMES_PER_PHONE` frames per phone (a forced match squeezes words it does not
  hear into a few frames). On 210 short phrases of the guide and the cues (espeak-ng, one at a
  time) this cut false commands from 32 to 2 and kept every command said at 120-160 wpm;
  at 180 wpm 13 of 14.

Tried and dropped: a loop of "garbage" phones beside the commands in the grammar (it beat
real commands and cost 1.9x real time); comparing the grammar's acoustic score with a free
phone loop's (it did not separate commands from talk); keyword-spotting mode.

pocketsphinx is imported here only: the app imports this module in the listening process,
never in the GUI process.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The command words after the wake word "timer", in the order the guide lists them.
COMMAND_WORDS = ("pause", "continue", "go", "next", "back", "repeat", "stop")
#: Phones in each command word (the model's dictionary: P AO Z, K AH N T IH N Y UW, ...).
PHONES = {"pause": 3, "continue": 8, "go": 2, "next": 4, "back": 3, "repeat": 5, "stop": 4}
WAKE_WORD = "timer"
SAMPLE_RATE = 16000
#: A command is a short utterance; longer stretches of speech are talk, not commands.
MAX_UTTERANCE = 1.9
MIN_UTTERANCE = 0.75
#: See the module notes: how much of the utterance the two words must cover, and how long
#: each must last (10 ms frames).
MIN_COVERAGE = 0.7
MIN_WAKE_FRAMES = 25
MIN_FRAMES_PER_PHONE = 10


@dataclass(frozen=True)
class Heard:
    """A command word heard, with its utterance's start and end in stream seconds."""

    word: str
    start: float
    end: float


@dataclass(frozen=True)
class SpotterTuning:
    """The knobs that trade missed commands against false ones (see the module notes)."""

    min_utterance: float = MIN_UTTERANCE
    max_utterance: float = MAX_UTTERANCE
    min_coverage: float = MIN_COVERAGE
    min_wake_frames: int = MIN_WAKE_FRAMES
    min_frames_per_phone: int = MIN_FRAMES_PER_PHONE
    vad_mode: int = 1  # 0 (loose) .. 3 (strict): how sure the endpointer is that it is speech


def grammar() -> str:
    """The JSGF grammar: the wake word, then one command word."""
    return (
        "#JSGF V1.0;\ngrammar timer;\n"
        f"public <command> = {WAKE_WORD} ( {' | '.join(COMMAND_WORDS)} );\n"
    )


class CommandSpotter:
    """Feed raw s16le audio with :meth:`feed`; it returns the commands heard so far.

    Each utterance is decoded whole once it ends, with its own cepstral mean (``cmn=batch``,
    as the model was trained): a running mean would start from a guess, and the first command
    after listening starts was misheard ("timer pause" came out as "timer stop")."""

    def __init__(self, tuning: SpotterTuning | None = None) -> None:
        from pocketsphinx import Decoder, Endpointer

        self.tuning = tuning or SpotterTuning()
        self._endpointer = Endpointer(
            window=0.3, ratio=0.9, vad_mode=self.tuning.vad_mode, sample_rate=SAMPLE_RATE
        )
        self._decoder = Decoder(loglevel="FATAL", samprate=SAMPLE_RATE, lm=None, cmn="batch")
        self._decoder.add_jsgf_string("timer", grammar())
        self._decoder.activate_search("timer")
        self._frame_bytes: int = self._endpointer.frame_bytes
        self._max_bytes = int(self.tuning.max_utterance * SAMPLE_RATE) * 2
        self._pending = b""
        self._in_utterance = False
        self._utterance_start = 0.0
        self._speech = bytearray()
        #: Every utterance the endpointer cut, as (start, end, words decoded or None when
        #: too short or too long to be a command): for ``listen --verbose`` and the benchmark.
        self.utterances: list[tuple[float, float, str | None]] = []

    @property
    def frame_bytes(self) -> int:
        return self._frame_bytes

    def feed(self, pcm: bytes) -> list[Heard]:
        """Take more audio; return the commands whose utterance ended within it."""
        self._pending += pcm
        heard: list[Heard] = []
        size = self._frame_bytes
        while len(self._pending) >= size:
            frame, self._pending = self._pending[:size], self._pending[size:]
            found = self._frame(frame)
            if found is not None:
                heard.append(found)
        return heard

    def _frame(self, frame: bytes) -> Heard | None:
        speech = self._endpointer.process(frame)
        if self._endpointer.in_speech and not self._in_utterance:
            self._in_utterance = True
            self._utterance_start = self._endpointer.speech_start
            self._speech.clear()
        if speech is not None and self._in_utterance and len(self._speech) <= self._max_bytes:
            self._speech += speech  # past the longest command it is talk: stop keeping it
        if not (self._in_utterance and not self._endpointer.in_speech):
            return None
        self._in_utterance = False
        end = self._endpointer.speech_end
        length = end - self._utterance_start
        if not self.tuning.min_utterance <= length <= self.tuning.max_utterance:
            self.utterances.append((self._utterance_start, end, None))
            return None
        words = self._decode(bytes(self._speech))
        command = command_in(words, self.tuning)
        shown = " ".join(w for w, _ in words) + ("" if command or not words else " (rejected)")
        self.utterances.append((self._utterance_start, end, shown))
        return Heard(command, self._utterance_start, end) if command else None

    def _decode(self, speech: bytes) -> list[tuple[str, int]]:
        """The utterance's words with their lengths in frames; silence and fillers as "";
        alternative pronunciations ("next(2)") by their word."""
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(speech, False, True)
        decoder.end_utt()
        if decoder.hyp() is None:
            return []
        words: list[tuple[str, int]] = []
        for segment in decoder.seg():
            word = str(segment.word).split("(")[0]
            real = word not in ("<s>", "</s>", "<sil>") and not word.startswith("+")
            words.append((word if real else "", segment.end_frame - segment.start_frame + 1))
        return words


def command_in(words: list[tuple[str, int]], tuning: SpotterTuning) -> str | None:
    """The command word if ``words`` (word, frames; "" for silence and fillers) is
    "timer <command>" filling its utterance, with each word long enough (module notes)."""
    spoken = [(w, frames) for w, frames in words if w]
    if len(spoken) != 2 or spoken[0][0] != WAKE_WORD or spoken[1][0] not in COMMAND_WORDS:
        return None
    (_, wake_frames), (command, command_frames) = spoken
    total = sum(frames for _, frames in words)
    fills = wake_frames + command_frames >= tuning.min_coverage * total
    long_enough = (
        wake_frames >= tuning.min_wake_frames
        and command_frames >= tuning.min_frames_per_phone * PHONES[command]
    )
    return command if fills and long_enough else None
