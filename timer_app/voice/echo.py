"""Takes the app's own sound out of the microphone, so that a command said during a cue is heard.

The microphone hears the person and, from the speakers, whatever the computer plays: the
app's cues and tones. :class:`EchoCanceller` subtracts the second with SpeexDSP's adaptive
echo canceller (MDF, through the ``pyaec`` wheel), given the played sound as a reference
(the default output's monitor, recorded beside the microphone: ``listen.py``). What is left
of the echo (15-25 dB below it once the filter has adapted, measured in
``benchmarks/echo_cancel.py``) is still speech to the recogniser's endpointer: it would glue
the cue and a command said over it into one long utterance, which is then never decoded. So
:class:`ResidualGate` lets through, while the reference sounds, only the 10 ms frames the
canceller took little out of (the person's voice passes the canceller almost untouched: its
frames lose ~1 dB, where echo-only ones lose 15-25 dB), five frames in a row, and turns the
rest down to below the room's hiss. In a row because the reference is a recording too: where
it loses a few milliseconds (the sound server dropped or zeroed them under load), the
canceller has nothing to subtract and the echo comes through whole, looking like the person
for a frame or a few.

Until the canceller has adapted (the session's first seconds of sound, or after the speakers
or room changed) nothing played through is trusted: the gate stays closed while the reference
sounds, and the listener is as deaf as without echo cancellation.

Why not drop echo cancellation's output entirely during a cue and wait: that is what the
app does when this cannot run (no ``pyaec``, no monitor source): a command said then must be
said again. No Qt, no PulseAudio here: bytes in, bytes out.
"""

from __future__ import annotations

import ctypes
from collections import deque
from typing import Any

import numpy as np

from timer_app.voice.spotter import FRAME_SAMPLES, SAMPLE_RATE

#: The canceller's filter: how much delay plus room echo it can model (0.5 s). The
#: reference and the microphone are two recordings lined up by their arrival times; the
#: filter absorbs what is left (sound card buffers, the echo's tail).
FILTER_SAMPLES = 8192
#: A 10 ms reference frame quieter than this (RMS, about -60 dBFS) plays nothing.
REFERENCE_FLOOR = 32.0
#: After the reference falls silent, the room's echo and the output's buffers still sound
#: this long: the gate keeps judging frames till then.
ECHO_TAIL = 0.3
#: The canceller counts as adapted when, over the last :data:`ADAPT_WINDOW` frames in which
#: the reference sounded, it took out at least this much (median, dB).
ADAPTED_DB = 10.0
ADAPT_WINDOW = 200
#: Of the last :data:`PERSON_WINDOW` loud frames with something playing, at most this share
#: may be judged the person's (a command lasts under 2 s; a canceller that lost the echo
#: makes every frame look like the person).
PERSON_WINDOW = 400
MAX_PERSON_SHARE = 0.6
#: A frame passes the gate while the reference sounds when the canceller took at most this
#: much out of each of the last :data:`NEAR_END_FRAMES` frames (dB; each, not their mean:
#: where the reference's recording lost a few milliseconds, the canceller has nothing to
#: subtract and the echo comes through whole, loud and nearly untouched, for as long as the
#: hole plus the room's reverberation: up to 20 + 30 ms, which would carry a mean. A vowel
#: lasts longer; the hangover below keeps the gate open over a quiet consonant) ...
NEAR_END_DB = 8.0
NEAR_END_FRAMES = 5
#: ... and carries sound at least this far above the microphone's own hiss (dB) and above the
#: echo expected to be left in it (the last :data:`ECHO_LEVEL_WINDOW` s of the microphone less
#: what the canceller takes out lately): the canceller leaves a floor of its own (its filter
#: is never exact) that the quiet parts of a cue hardly rise above, so there a frame that
#: lost little is still echo; and it may not be louder than the microphone (3 dB: the
#: canceller's own error where a cue starts).
ABOVE_HISS_DB = 12.0
ABOVE_RESIDUAL_DB = 8.0
ECHO_LEVEL_WINDOW = 0.3
#: The hiss's level is tracked as the quietest frame lately: it may rise this fast (dB a
#: second) and falls at once.
HISS_RISE_DB = 1.0
#: ... and stays open this long after (the quiet ends of words) and opens this long before
#: (a word's first sound is soft: the gate's output is this much late, so that it can).
HANGOVER = 0.2
LOOKAHEAD = 0.05
#: How far a closed gate turns a frame down (dB): the echo left after cancelling, turned down
#: this much more, lies below a microphone's own hiss.
GATE_DB = 30.0

_FRAMES_PER_SECOND = SAMPLE_RATE // FRAME_SAMPLES


def available() -> bool:
    """Whether the echo canceller's library is installed and loads."""
    try:
        import pyaec
    except (ImportError, OSError, AttributeError):
        return False
    return getattr(pyaec, "lib", None) is not None


class EchoCanceller:
    """SpeexDSP's echo canceller, 10 ms at a time, on numpy buffers (``pyaec``'s own
    ``cancel_echo`` goes through Python lists: ten times the CPU)."""

    def __init__(self, filter_samples: int = FILTER_SAMPLES) -> None:
        import pyaec

        self._lib: Any = pyaec.lib
        # No "preprocess" (SpeexDSP's noise suppressor): the recogniser was tuned on the plain
        # microphone, and with no reference sounding the output must be the microphone's.
        self._state = self._lib.AecNew(FRAME_SAMPLES, filter_samples, SAMPLE_RATE, False)
        if not self._state:
            raise RuntimeError("the echo canceller would not start")
        self._pointer = ctypes.POINTER(ctypes.c_int16)

    def cancel(self, mic: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """``mic`` less the echo of ``reference`` (int16, the same whole number of frames)."""
        mic = np.ascontiguousarray(mic, dtype=np.int16)
        reference = np.ascontiguousarray(reference, dtype=np.int16)
        out = np.empty_like(mic)
        pointer = self._pointer
        for at in range(0, len(mic) - FRAME_SAMPLES + 1, FRAME_SAMPLES):
            end = at + FRAME_SAMPLES
            self._lib.AecCancelEcho(
                self._state,
                mic[at:end].ctypes.data_as(pointer),
                reference[at:end].ctypes.data_as(pointer),
                out[at:end].ctypes.data_as(pointer),
                FRAME_SAMPLES,
            )
        return out

    def __del__(self) -> None:
        state, self._state = getattr(self, "_state", None), None
        if state:
            self._lib.AecDestroy(state)


def frame_energy(samples: np.ndarray) -> np.ndarray:
    """Mean square of each 10 ms frame (float)."""
    frames = samples[: len(samples) // FRAME_SAMPLES * FRAME_SAMPLES].astype(np.float64)
    energy: np.ndarray = np.mean(frames.reshape(-1, FRAME_SAMPLES) ** 2, axis=1)
    return energy


class ResidualGate:
    """Decides, frame by frame, what of the cancelled signal the recogniser may hear (module
    notes): everything while nothing plays; while something plays, only what the canceller
    left nearly whole, once it has adapted."""

    def __init__(self) -> None:
        self._tail_frames = int(ECHO_TAIL * _FRAMES_PER_SECOND)
        self._hangover_frames = int(HANGOVER * _FRAMES_PER_SECOND)
        self._lookahead_frames = int(LOOKAHEAD * _FRAMES_PER_SECOND)
        self._since_reference = self._tail_frames + 1
        self._frame = 0  # frames judged so far
        self._last_near_end = -(10**9)  # the last frame judged the person's
        #: Frames judged but not yet let out: (the microphone's, the canceller's, whether
        #: something played lately).
        self._waiting: deque[tuple[np.ndarray, np.ndarray, bool]] = deque()
        self._taken_out: deque[float] = deque(maxlen=ADAPT_WINDOW)
        self._taken_median = 0.0
        self._untrusted: list[tuple[int, int]] = []
        self._person: deque[bool] = deque(
            maxlen=PERSON_WINDOW
        )  # output frame numbers, first and last
        #: Whether each of the last frames, judged as it came, sounded like the person.
        self._person_like: deque[bool] = deque(maxlen=NEAR_END_FRAMES)
        self._echo_level: deque[float] = deque(maxlen=int(ECHO_LEVEL_WINDOW * _FRAMES_PER_SECOND))
        self._closed_gain = 10 ** (-GATE_DB / 20)
        self._hiss = 1.0e12  # the microphone's quietest frame lately (energy): from above
        self._hiss_rise = 10 ** (HISS_RISE_DB / 10 / _FRAMES_PER_SECOND)
        #: Frames let out while something played (or its echo could sound), and how many of
        #: them were let through open.
        self.echo_frames = 0
        self.passed_frames = 0

    def restart(self) -> None:
        """The echo path jumped (the listener lined the reference up anew, or part of it
        went missing): count as not adapted until the canceller shows it has caught up."""
        self._taken_out.clear()
        self._taken_median = 0.0
        self._person.clear()

    def untrusted(self) -> list[tuple[float, float]]:
        """The stretches (seconds of output, from its first frame) let out while something
        played and the canceller had not adapted, since the last call: the listener drops an
        utterance that touches one, as it does without echo cancelling (a command said
        across one is only half heard, and what passed the gate there may be echo)."""
        spans, self._untrusted = self._untrusted, []
        return [(a / _FRAMES_PER_SECOND, (b + 1) / _FRAMES_PER_SECOND) for a, b in spans]

    def _note_untrusted(self, index: int) -> None:
        if self._untrusted and self._untrusted[-1][1] == index - 1:
            self._untrusted[-1] = (self._untrusted[-1][0], index)
        else:
            self._untrusted.append((index, index))

    @property
    def adapted(self) -> bool:
        """Whether the canceller has been taking out at least :data:`ADAPTED_DB` lately."""
        if len(self._taken_out) < ADAPT_WINDOW // 4:
            return False
        # ... and while the "person" fills most of the last seconds of sound, the canceller
        # has more likely lost track of the echo (which then looks like a person throughout).
        if sum(self._person) > MAX_PERSON_SHARE * PERSON_WINDOW:
            return False
        return self._taken_median >= ADAPTED_DB

    def apply(
        self, mic: np.ndarray, cleaned: np.ndarray, reference: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``cleaned`` with the frames that are (mostly) the app's echo turned down, and
        ``cleaned`` as it is, both :data:`LOOKAHEAD` late (as many samples out as in, once
        the first are through). Where nothing played lately, both are ``mic`` itself: the
        canceller filters out the lowest tones (its DC filter: -10 dB at 100-300 Hz), and the
        recogniser's limits were measured on the microphone as it is."""
        mic_e, out_e, ref_e = frame_energy(mic), frame_energy(cleaned), frame_energy(reference)
        let_out: list[np.ndarray] = []
        as_is: list[np.ndarray] = []
        for i in range(len(out_e)):
            frame = slice(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES)
            judged = self._judge(mic_e[i], out_e[i], ref_e[i])
            self._waiting.append((mic[frame], cleaned[frame], judged))
            self._frame += 1
            if len(self._waiting) > self._lookahead_frames:
                gated, whole = self._let_out()
                let_out.append(gated)
                as_is.append(whole)
        if not let_out:
            return np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int16)
        return np.concatenate(let_out), np.concatenate(as_is)

    def _judge(self, mic_e: float, out_e: float, ref_e: float) -> bool:
        """Take in one frame's energies; whether something played lately (so the frame
        must be judged), noting whether it is the person's."""
        self._hiss = min(self._hiss * self._hiss_rise, mic_e + 1.0)
        audible = self._hiss * 10 ** (ABOVE_HISS_DB / 10)
        if ref_e >= REFERENCE_FLOOR**2:
            self._since_reference = 0
            if mic_e >= audible:
                # How well it cancels: the median over the frames where the person was not
                # heard lately (a long command said over a cue would pull it down), once it
                # has adapted (before, every frame counts: the person cannot be told apart).
                # A frame spent not adapted counts as not the person's: the share below
                # then falls, and the median alone says when it has adapted again.
                adapted = self.adapted
                person = adapted and self._frame - self._last_near_end <= self._hangover_frames
                self._person.append(person)
                if not person:
                    taken = 10 * np.log10((mic_e + 1.0) / (out_e + 1.0))
                    self._taken_out.append(float(taken))
                    self._taken_median = float(np.median(self._taken_out))
            if self._frame - self._last_near_end > NEAR_END_FRAMES:
                self._echo_level.append(mic_e)  # the echo's level: not the person's
        else:
            self._since_reference += 1
        echo_level = sum(self._echo_level) / max(1, len(self._echo_level))
        residual = echo_level * 10 ** (-self._taken_median / 10)
        self._person_like.append(
            out_e >= audible
            and out_e >= residual * 10 ** (ABOVE_RESIDUAL_DB / 10)
            and 10 * np.log10((mic_e + 1.0) / (out_e + 1.0)) <= NEAR_END_DB
            and out_e <= 2.0 * mic_e
        )
        if self._since_reference > self._tail_frames:
            return False  # nothing played lately: the microphone is the person's
        if len(self._person_like) == NEAR_END_FRAMES and all(self._person_like):
            self._last_near_end = self._frame
        return True

    def _let_out(self) -> tuple[np.ndarray, np.ndarray]:
        """The oldest waiting frame, turned down unless it may be heard, and as it is."""
        mic, frame, judged = self._waiting.popleft()
        if not judged:
            return mic, mic
        self.echo_frames += 1
        index = self._frame - len(self._waiting) - 1  # this frame's number
        if not self.adapted:
            self._note_untrusted(index)
        elif index - self._hangover_frames <= self._last_near_end:
            # The person spoke within the hangover before it, or within the lookahead
            # after it (the last near-end frame is at most the newest judged one).
            self.passed_frames += 1
            return frame, frame
        return (frame.astype(np.float64) * self._closed_gain).astype(np.int16), frame


class EchoRemover:
    """The canceller and its gate, on s16le bytes as the listener reads them (in pieces of
    any length: what does not fill a 10 ms frame waits for the next piece)."""

    def __init__(self) -> None:
        self.canceller = EchoCanceller()
        self.gate = ResidualGate()
        self._mic = b""
        self._reference = b""

    def process(self, mic: bytes, reference: bytes) -> tuple[bytes, bytes]:
        """The microphone's ``mic`` with the echo of ``reference`` (as long: what played at
        the same time) taken out, as far as whole frames go: with what is left of the echo
        turned down (for the endpointer), and as the canceller left it (for the decoder)."""
        self._mic += mic
        self._reference += reference
        whole = len(self._mic) // (2 * FRAME_SAMPLES) * 2 * FRAME_SAMPLES
        mic_samples = np.frombuffer(self._mic[:whole], dtype="<i2")
        ref_samples = np.frombuffer(self._reference[:whole], dtype="<i2")
        self._mic, self._reference = self._mic[whole:], self._reference[whole:]
        cleaned = self.canceller.cancel(mic_samples, ref_samples)
        gated, as_is = self.gate.apply(mic_samples, cleaned, ref_samples)
        return gated.astype("<i2").tobytes(), as_is.astype("<i2").tobytes()
