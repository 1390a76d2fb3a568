"""Spots "timer <command>" in a stream of 16 kHz mono audio with pocketsphinx.

How talk in the room is kept from triggering a command (measured in ``benchmarks/
voice_commands.py``, numbers in docs/performance.md):

* A voice-activity endpointer cuts the stream into utterances. A command is said on its own,
  so only an utterance between :data:`MIN_UTTERANCE` and :data:`MAX_UTTERANCE` seconds long
  is considered; running speech (a cue, someone talking) makes longer utterances.
* That utterance is decoded against a grammar of the wake word and the command words only,
  and must come out as exactly "timer <command>".
* A grammar always finds its best match, even in a phrase that is nothing like a command, so
  the match must also fit the utterance's *sound* (10 ms frames :data:`LOUD_DB` above its
  quietest tenth are "loud"): at least :data:`MIN_LOUD_COVERAGE` of the loud frames lie
  within the two words, and at most :data:`MAX_LOUD_OUTSIDE` before "timer" or after the
  command (a command is said on its own; a forced match of talk leaves talk outside the words,
  labelled silence or filler). A quiet pause between "timer" and the command counts for
  nothing either way: people do say "timer, ... pause".
* "timer" must last :data:`MIN_WAKE_FRAMES` frames and the command word
  :data:`MIN_COMMAND_FRAMES` and :data:`MIN_FRAMES_PER_PHONE` a phone (a forced match
  squeezes words it does not hear into a few frames: the app's "Three." came out as a 0.13 s
  "timer").

* A command word with an /s/ ("next", "stop") must have one: at least
  :data:`MIN_HISS_FRAMES` frames whose 4-8 kHz band outweighs the rest (:func:`hissing`).
  The model's vowels are weakest in a high voice: espeak-ng's female "timer back" came out as
  "timer next" every time (no decoder setting, front-end setting, pronunciation variant or
  frequency warp changed that), yet its "back" has no hiss, where every "next" said has 7-10
  frames of it. When the /s/ is missing, the utterance is decoded a second time without that
  word (and a wider word-exit beam, :data:`SECOND_LOOK_WORD_BEAM`: with the default one the
  right word had been pruned), and the rules above judge that answer. The check is skipped
  when the microphone carries nothing above 4 kHz (the /t/ of "timer" does not hiss either:
  a Bluetooth headset's 8 kHz stream), where it cannot tell.
* The other way round, a word with no hissing sound ("timer", "continue", "go", "back",
  "repeat") may hold no more loud hiss than a stop's burst (:data:`MAX_BURST_FRAMES`): the
  app's cue "Circle two." came out as "timer continue" with the /s/ of "Circle" inside
  "timer" (8 frames; "timer" said has 2-5).

Measured on audio captured through the virtual microphone (docs/performance.md, "Voice
commands"): the earlier rule (the words >= 70 % of the utterance, silence between them
included; 10 frames a phone; "timer" >= 0.25 s) lost 1 in 6 commands: "continue" at 160 wpm
(0.6-0.7 s, not 0.8), "timer ... go" with a pause. These limits, with the /s/ check, keep all
84 captured commands of both voices at 130-180 wpm (78 without it: the female "back"). The
price: of 340 short phrases said one at a time (the guide's, the cues', near misses such as
"time for a pause", "Tyler, stop"), 11 pass as a command (14 before the two hiss rules, 11
with the earlier rule): isolated short talk, not running speech, is where a closed grammar
is weakest. On voices and rates these limits were not fitted to (en-us, en-us+f3, en-us+m3,
en-gb, en-us+f2 at 100-200 wpm, 175 commands rendered offline), the hiss rules took the
commands not acted on from 14 (6 of them a wrong word) to 9 (none a wrong word). A wider
word-exit beam for every utterance also kept all 84 commands but let 20-22 short phrases
through, so it is kept for the second look.

Tried and dropped: a loop of "garbage" phones beside the commands in the grammar (it beat
real commands and cost 1.9x real time); comparing the grammar's acoustic score with a free
phone loop's (it did not separate commands from talk); keyword-spotting mode; other
front-end settings (lowerf 200, upperf 6000/7500, dither, no noise removal: each lost 1-6 of
the 84; note that pocketsphinx takes them from the model's feat.params over the Decoder's
arguments, so they must be set on its config and the front end re-initialised); forced
alignment of each command to compare scores (the Python binding's scores are not comparable).

pocketsphinx is imported here only: the app imports this module in the listening process,
never in the GUI process.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The command words after the wake word "timer", in the order the guide lists them.
COMMAND_WORDS = ("pause", "continue", "go", "next", "back", "repeat", "stop")
#: Phones in each command word (the model's dictionary: P AO Z, K AH N T IH N Y UW, ...).
PHONES = {"pause": 3, "continue": 8, "go": 2, "next": 4, "back": 3, "repeat": 5, "stop": 4}
WAKE_WORD = "timer"
SAMPLE_RATE = 16000
#: A command is a short utterance; longer stretches of speech are talk, not commands.
MAX_UTTERANCE = 1.9
MIN_UTTERANCE = 0.75
#: See the module notes: how much of the utterance's sound the two words must cover, and
#: how long each must last (10 ms frames).
MIN_LOUD_COVERAGE = 0.75
MAX_LOUD_OUTSIDE = 0.1
LOUD_DB = 15.0
MIN_WAKE_FRAMES = 22
MIN_COMMAND_FRAMES = 30
MIN_FRAMES_PER_PHONE = 6
FRAME_SAMPLES = SAMPLE_RATE // 100  # the decoder's frame: 10 ms
#: Command words with an /s/, which a hiss above 4 kHz shows whatever the voice: the
#: decoder may only hear them where the audio has at least :data:`MIN_HISS_FRAMES` such
#: frames from the word's start on (see :func:`hissing`).
HISSING_WORDS = frozenset({"next", "stop"})
MIN_HISS_FRAMES = 4
#: A frame hisses when its 4-8 kHz band is louder than its 0.1-4 kHz band and within this
#: many dB of the utterance's loudest band.
HISS_RANGE_DB = 30.0
#: Words with no hissing sound (/s/, /z/, /sh/): only a stop's burst (the /t/ of "timer":
#: 2-5 frames) may hiss in them, at most :data:`MAX_BURST_FRAMES` loud frames. A longer hiss
#: is an /s/ the grammar has stretched a word over ("Circle two." as "timer continue": 8 in
#: "timer"). Loud frames only, so that a hissing room between the sounds does not count.
HISSLESS_WORDS = frozenset({WAKE_WORD, "continue", "go", "back", "repeat"})
MAX_BURST_FRAMES = 6
#: The word-exit beam of that second look (pocketsphinx's default 7e-29 is narrower): the
#: grammar without the word is then decoded again with more paths kept through word ends,
#: because the first look's winner had crowded the right word out of the beam.
SECOND_LOOK_WORD_BEAM = 1e-50
#: The endpointer's window (seconds): an utterance starts when most of it is speech.
ENDPOINTER_WINDOW = 0.3
#: Seconds before the endpointer's start of an utterance that still count as part of it
#: when deciding whether it touched the app's own sound.
ONSET_MARGIN = 0.1


@dataclass(frozen=True)
class Heard:
    """A command word heard, with its utterance's start and end in stream seconds."""

    word: str
    start: float
    end: float


@dataclass(frozen=True)
class Word:
    """A decoded word ("" for silence and fillers) and its first and last 10 ms frame."""

    text: str
    first: int
    last: int

    @property
    def frames(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class SpotterTuning:
    """The knobs that trade missed commands against false ones (see the module notes)."""

    min_utterance: float = MIN_UTTERANCE
    max_utterance: float = MAX_UTTERANCE
    min_loud_coverage: float = MIN_LOUD_COVERAGE
    max_loud_outside: float = MAX_LOUD_OUTSIDE
    min_wake_frames: int = MIN_WAKE_FRAMES
    min_command_frames: int = MIN_COMMAND_FRAMES
    min_frames_per_phone: int = MIN_FRAMES_PER_PHONE
    vad_mode: int = 1  # 0 (loose) .. 3 (strict): how sure the endpointer is that it is speech


def grammar(words: Sequence[str] = COMMAND_WORDS) -> str:
    """The JSGF grammar: the wake word, then one of ``words``."""
    return f"#JSGF V1.0;\ngrammar timer;\npublic <command> = {WAKE_WORD} ( {' | '.join(words)} );\n"


class CommandSpotter:
    """Feed raw s16le audio with :meth:`feed`; it returns the commands heard so far.

    Each utterance is decoded whole once it ends, with its own cepstral mean (``cmn=batch``,
    as the model was trained): a running mean would start from a guess, and the first command
    after listening starts was misheard ("timer pause" came out as "timer stop")."""

    def __init__(self, tuning: SpotterTuning | None = None) -> None:
        from pocketsphinx import Decoder, Endpointer

        self.tuning = tuning or SpotterTuning()
        self._endpointer = Endpointer(
            window=ENDPOINTER_WINDOW,
            ratio=0.9,
            vad_mode=self.tuning.vad_mode,
            sample_rate=SAMPLE_RATE,
        )
        options = {"loglevel": "FATAL", "samprate": SAMPLE_RATE, "lm": None, "cmn": "batch"}
        self._decoder = Decoder(**options)
        self._decoder.add_jsgf_string("timer", grammar())
        self._second_look = Decoder(**options, wbeam=SECOND_LOOK_WORD_BEAM)
        for word in HISSING_WORDS:
            others = [other for other in COMMAND_WORDS if other != word]
            self._second_look.add_jsgf_string(f"timer-but-{word}", grammar(others))
        self._frame_bytes: int = self._endpointer.frame_bytes
        self._max_bytes = int(self.tuning.max_utterance * SAMPLE_RATE) * 2
        self._pending = b""
        self._pending_decode = b""
        #: The frames to decode for the last few fed (see :meth:`feed`'s ``decode``): the
        #: endpointer hands a frame back ``_delay`` frames after it was fed.
        self._decode_frames: deque[bytes] = deque(maxlen=32)
        self._delay = round(ENDPOINTER_WINDOW * SAMPLE_RATE * 2 / self._endpointer.frame_bytes) - 1
        self._in_utterance = False
        self._utterance_start = 0.0
        self._speech = bytearray()
        self._deaf: list[tuple[float, float]] = []
        #: Every utterance the endpointer cut, as (start, end, words decoded or None when
        #: too short or too long to be a command): for ``listen --verbose`` and the benchmark.
        self.utterances: list[tuple[float, float, str | None]] = []

    @property
    def frame_bytes(self) -> int:
        return self._frame_bytes

    def ignore(self, start: float, end: float) -> None:
        """The app sounds from ``start`` to ``end`` (stream seconds, its echo guard included):
        an utterance that touches that time is dropped whole, never decoded. So the app's
        own voice is never taken for a command, and neither is a command said across the
        end of a cue (its first half is under the cue: the rest alone is not a command)."""
        self._deaf.append((start, end))

    def feed(self, pcm: bytes, decode: bytes | None = None) -> list[Heard]:
        """Take more audio; return the commands whose utterance ended within it.

        ``decode``, as long as ``pcm``: the same moments as heard by the decoder, where the
        endpointer must hear something else: with echo cancelling, the endpointer hears the
        microphone with what is left of the app's echo turned down (else it would run a
        command said over a cue into the cue), the decoder what the canceller left whole
        (the turning down cuts into the person's words)."""
        self._pending += pcm
        self._pending_decode += pcm if decode is None else decode
        heard: list[Heard] = []
        size = self._frame_bytes
        while len(self._pending) >= size:
            frame, self._pending = self._pending[:size], self._pending[size:]
            self._decode_frames.append(self._pending_decode[:size])
            self._pending_decode = self._pending_decode[size:]
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
            # The frame handed back is the one fed _delay frames ago: its decoder's version.
            # (Should the endpointer ever hand back another, decode what it handed back.)
            if len(self._decode_frames) > self._delay:
                fed = self._decode_frames[-1 - self._delay]
                speech = fed if len(fed) == len(speech) else speech
            self._speech += speech  # past the longest command it is talk: stop keeping it
        if not (self._in_utterance and not self._endpointer.in_speech):
            return None
        self._in_utterance = False
        end = self._endpointer.speech_end
        length = end - self._utterance_start
        if self._overlaps_app_sound(self._utterance_start, end):
            self.utterances.append((self._utterance_start, end, "(the app was sounding)"))
            return None
        if not self.tuning.min_utterance <= length <= self.tuning.max_utterance:
            self.utterances.append((self._utterance_start, end, None))
            return None
        speech = bytes(self._speech)
        hiss = hissing(speech)
        words = self._words(speech, hiss)
        command = command_in(words, loud_frames(speech), self.tuning, hiss)
        shown = " ".join(w.text for w in words if w.text)
        shown += "" if command or not words else " (rejected)"
        self.utterances.append((self._utterance_start, end, shown))
        return Heard(command, self._utterance_start, end) if command else None

    def _overlaps_app_sound(self, start: float, end: float) -> bool:
        # The endpointer's start can be a little late on a soft onset: count from before it.
        start -= ONSET_MARGIN
        self._deaf = [(a, b) for a, b in self._deaf if b >= start]  # older ones are done with
        return any(a <= end and start <= b for a, b in self._deaf)

    def _words(self, speech: bytes, hiss: Sequence[bool]) -> list[Word]:
        """The utterance decoded; a second time without the command word when that word
        has an /s/ and the audio (``hiss``: :func:`hissing`) none (module notes)."""
        words = self._decode(self._decoder, speech, "timer")
        said = [w for w in words if w.text]
        if len(said) != 2 or said[1].text not in HISSING_WORDS:
            return words
        wake, command = said
        # Only where the microphone carries 4-8 kHz can a missing /s/ tell anything: a
        # headset's 8 kHz stream (Bluetooth) has none, and there the /t/ of "timer" shows
        # no hiss either.
        if not any(hiss[wake.first : command.first]):
            return words
        if sum(hiss[command.first :]) < MIN_HISS_FRAMES:
            return self._decode(self._second_look, speech, f"timer-but-{command.text}")
        return words

    @staticmethod
    def _decode(decoder: Any, speech: bytes, search: str) -> list[Word]:
        """The utterance's words in ``decoder``'s grammar ``search``; silence and fillers as
        ""; alternative pronunciations ("next(2)") by their word."""
        decoder.activate_search(search)
        decoder.start_utt()
        decoder.process_raw(speech, False, True)
        decoder.end_utt()
        if decoder.hyp() is None:
            return []
        words: list[Word] = []
        for segment in decoder.seg():
            word = str(segment.word).split("(")[0]
            real = word not in ("<s>", "</s>", "<sil>") and not word.startswith("+")
            words.append(Word(word if real else "", segment.start_frame, segment.end_frame))
        return words


def loud_frames(speech: bytes) -> list[bool]:
    """For each 10 ms frame of ``speech`` (s16le): is it :data:`LOUD_DB` above the
    utterance's quietest tenth? (The endpointer keeps some quiet on either side.)"""
    import numpy as np

    samples = np.frombuffer(speech[: len(speech) // 2 * 2], dtype="<i2").astype(np.float64)
    count = len(samples) // FRAME_SAMPLES
    if count == 0:
        return []
    frames = samples[: count * FRAME_SAMPLES].reshape(count, FRAME_SAMPLES)
    level = 10 * np.log10((frames**2).mean(axis=1) + 1.0)
    floor = np.sort(level)[count // 10]
    return [bool(loud) for loud in level > floor + LOUD_DB]


def hissing(speech: bytes) -> list[bool]:
    """For each 10 ms frame of ``speech`` (s16le): does it hiss like an /s/, with more
    energy at 4-8 kHz than at 0.1-4 kHz, within :data:`HISS_RANGE_DB` of the utterance's
    loudest band? A vowel or a nasal never does, whatever the voice's pitch."""
    import numpy as np

    samples = np.frombuffer(speech[: len(speech) // 2 * 2], dtype="<i2").astype(np.float64)
    window = 400  # 25 ms, as the decoder's analysis window
    count = max(0, (len(samples) - window) // FRAME_SAMPLES + 1)
    if count == 0:
        return []
    at = np.arange(window)[None, :] + FRAME_SAMPLES * np.arange(count)[:, None]
    power = np.abs(np.fft.rfft(samples[at] * np.hanning(window), axis=1)) ** 2
    hertz = np.fft.rfftfreq(window, 1 / SAMPLE_RATE)
    high = 10 * np.log10(power[:, hertz >= 4000].sum(axis=1) + 1.0)
    low = 10 * np.log10(power[:, (hertz >= 100) & (hertz < 4000)].sum(axis=1) + 1.0)
    loudest = max(high.max(), low.max())
    return [bool(hiss) for hiss in (high > low) & (high > loudest - HISS_RANGE_DB)]


def command_in(
    words: list[Word], loud: Sequence[bool], tuning: SpotterTuning, hiss: Sequence[bool] = ()
) -> str | None:
    """The command word if ``words`` is "timer <command>" covering the loud frames of its
    utterance (``loud``, one flag per 10 ms frame), each word long enough, and no word
    without a hissing sound holding more than a stop's burst of loud hiss (``hiss``:
    :func:`hissing`; module notes)."""
    spoken = [w for w in words if w.text]
    if len(spoken) != 2 or spoken[0].text != WAKE_WORD or spoken[1].text not in COMMAND_WORDS:
        return None
    wake, command = spoken
    long_enough = wake.frames >= tuning.min_wake_frames and command.frames >= max(
        tuning.min_command_frames, tuning.min_frames_per_phone * PHONES[command.text]
    )
    loud_at = [at for at, is_loud in enumerate(loud) if is_loud]
    if not loud_at:
        return None
    inside = sum(1 for at in loud_at if any(w.first <= at <= w.last for w in spoken))
    outside = sum(1 for at in loud_at if at < wake.first or at > command.last)
    fits = inside >= tuning.min_loud_coverage * len(
        loud_at
    ) and outside <= tuning.max_loud_outside * len(loud_at)
    hiss_fits = all(
        sum(1 for at in loud_at if w.first <= at <= w.last and at < len(hiss) and hiss[at])
        <= MAX_BURST_FRAMES
        for w in spoken
        if w.text in HISSLESS_WORDS
    )
    return command.text if fits and long_enough and hiss_fits else None
