"""The listening process: ``python -m timer_app.voice.listen``.

Records the default PulseAudio source with ``parec`` (16 kHz mono), runs the spotter and
prints one JSON line per event on stdout: ``{"ready": true}`` once listening,
``{"heard": "pause", "ended": <monotonic s>}`` for each command, ``{"error": "..."}`` before
exiting when it cannot listen. It ends when its stdin closes (the app went away).

The app's own sound is taken out of the microphone when it can be (``timer_app/voice/
echo.py``): a second ``parec`` records the default output's monitor (what the computer plays:
the app's cues and tones, and any other sound), and the echo canceller subtracts it from the
microphone, the two lined up by when their chunks arrive. Then a command said during a cue is
heard (the app acts on it once the cue has ended). ``{"ready": true, "echo_cancel": true}``
says so.

When it cannot (no ``pyaec``, no monitor to record, or the microphone *is* that monitor), the
app's ``{"deaf": <seconds>}`` lines, written to its stdin when it starts making sound, make
the microphone ignored from that moment (a little before, for the reader's delay) until that
many seconds later (the sound's end and its echo guard); an utterance that touches that time
is dropped, never decoded (:meth:`CommandSpotter.ignore`), and ``"echo_cancel"`` is false.
With
``--verbose`` it also prints every utterance the endpointer cut:
``{"utterance": [start, end], "words": "timer go" | null}`` (stream seconds).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections import deque

from timer_app.voice import echo
from timer_app.voice.echo import EchoRemover
from timer_app.voice.spotter import SAMPLE_RATE, CommandSpotter

CHUNK_BYTES = 3200  # 100 ms: a command is acted on at most this much after its endpoint
BYTES_PER_SECOND = SAMPLE_RATE * 2
#: How long before a "deaf" line arrived the app's sound may already have begun (the app
#: notices its own sound within 50 ms; the line then crosses a pipe).
DEAF_LEAD = 0.1
#: PulseAudio's (and PipeWire's) name for the default output's monitor.
REFERENCE_SOURCE = "@DEFAULT_MONITOR@"
#: The reference is taken this much ahead of the microphone: the two recordings are lined
#: up by arrival time, which a busy machine puts tens of milliseconds off, and the canceller
#: can only model an echo that comes after its reference (its 0.5 s filter holds this, the
#: error the other way, and the room's echo).
REFERENCE_LEAD = 0.1
#: How long to wait for the reference to catch up with a microphone chunk before going on
#: with silence in its place.
REFERENCE_WAIT = 0.5
#: The lining-up is re-estimated all along but changed only when it moved by more than this
#: (a stream that lost samples): both recordings come from one sound server at one rate, so
#: the estimate's wobble on a busy machine (a reader woken late) is not a real move, and each
#: change is a jump the canceller must adapt to again (measured: 6-14 moves of 20 ms in a
#: minute with three busy loops on two cores, and no command said over a cue heard).
REALIGN = 0.1


class StreamClock:
    """Maps monotonic time to stream seconds (the audio's own time line).

    Each chunk arrives some delay after it was recorded; the smallest delay seen in the last
    :data:`WINDOW` chunks is the best guess of the recorder's latency (a recent window, so
    that the sound card's clock drifting from the computer's does not add up)."""

    WINDOW = 100

    def __init__(self) -> None:
        self._offsets: deque[float] = deque(maxlen=self.WINDOW)

    def chunk_arrived(self, monotonic: float, stream_seconds: float) -> None:
        self._offsets.append(monotonic - stream_seconds)

    def stream_time(self, monotonic: float) -> float:
        return monotonic - min(self._offsets, default=monotonic)


def _say(event: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def _record(device: str | None) -> subprocess.Popen[bytes]:
    """``parec`` of ``device`` (the default source when None): 16 kHz mono s16le on stdout."""
    command = ["parec", "--raw", "--format=s16le", f"--rate={SAMPLE_RATE}", "--channels=1"]
    command.append("--latency-msec=50")
    if device is not None:
        command += ["-d", device]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _defaults() -> tuple[str, str] | None:
    """The server's default (sink, source) names, or None when ``pactl`` cannot say."""
    try:
        info = subprocess.run(
            ["pactl", "info"], capture_output=True, text=True, timeout=5, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = dict(line.split(": ", 1) for line in info.splitlines() if line.startswith("Default S"))
    sink, source = found.get("Default Sink"), found.get("Default Source")
    return (sink, source) if sink and source else None


class Reference:
    """What the computer plays (the default output's monitor), recorded beside the microphone
    and kept until the echo canceller has taken it; :meth:`take` lines it up with the
    microphone's stream by the two recordings' clocks."""

    def __init__(self, parec: subprocess.Popen[bytes]) -> None:
        self.parec = parec
        self.clock = StreamClock()
        self._data = bytearray()
        self._first = 0  # the stream byte that self._data starts at
        self._end = 0  # bytes recorded so far
        self._changed = threading.Condition()
        self.ended = False
        self._shift: int | None = None  # reference byte = microphone byte + this
        self._last_arrival = time.monotonic()
        #: For ``--verbose``: how often the lining-up moved, and the bytes of silence that
        #: stood in for a reference that had not come (or had been let go).
        self.realigned = 0
        self.missing = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.parec.stdout is not None
        while data := os.read(self.parec.stdout.fileno(), CHUNK_BYTES):
            with self._changed:
                self._data += data
                self._end += len(data)
                self._last_arrival = time.monotonic()
                self.clock.chunk_arrived(self._last_arrival, self._end / BYTES_PER_SECOND)
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def take(self, mic_clock: StreamClock, mic_start: int, length: int) -> bytes:
        """The reference for the microphone's bytes ``mic_start`` on (``length`` of them):
        what played at the same time, :data:`REFERENCE_LEAD` ahead; silence where it has
        not got that far within :data:`REFERENCE_WAIT` or has already let it go."""
        now = time.monotonic()
        with self._changed:
            # The same moment on both time lines: the microphone's stream second s was
            # recorded at monotonic now - mic_clock.stream_time(now) + s.
            offset = self.clock.stream_time(now) - mic_clock.stream_time(now) + REFERENCE_LEAD
            shift = int(offset * SAMPLE_RATE) * 2
            if self._shift is None or abs(shift - self._shift) > REALIGN * BYTES_PER_SECOND:
                self.realigned += self._shift is not None
                self._shift = shift
            start = mic_start + self._shift
            # Wait for it, unless the monitor has stopped sending (a stalled server): then
            # the microphone must not be held up, and silence stands in.
            stalled = now - self._last_arrival > 2 * REFERENCE_WAIT
            deadline = now + (0.0 if stalled else REFERENCE_WAIT)
            while self._end < start + length and not self.ended:
                if not self._changed.wait(max(0.0, deadline - time.monotonic())):
                    break
            begin, finish = start - self._first, start + length - self._first
            piece = bytes(max(0, min(-begin, length)))  # already let go: silence
            self.missing += len(piece)
            piece += self._data[max(0, begin) : max(0, finish)]
            done = max(0, min(finish, len(self._data)))  # later takes start after this
            del self._data[:done]
            self._first += done
        self.missing += length - len(piece)
        return piece + bytes(length - len(piece))


def _start_reference(verbose: bool) -> tuple[Reference, EchoRemover] | None:
    """The monitor's recording and the echo remover, or None when echo cannot be cancelled
    here (no library, no monitor, or the microphone is that monitor: a test rig, or a
    desktop set to record what it plays)."""
    if not echo.available():
        return None
    defaults = _defaults()
    if defaults is None or defaults[1] == f"{defaults[0]}.monitor":
        return None
    try:
        parec = _record(REFERENCE_SOURCE)
        remover = EchoRemover()
    except (OSError, RuntimeError) as exc:
        if verbose:
            _say({"note": f"no echo cancelling: {exc}"})
        return None
    return Reference(parec), remover


def _read_app_lines(
    recorders: list[subprocess.Popen[bytes]], deaf: queue.Queue[tuple[float, float]]
) -> None:
    """The app's lines: each "deaf" one goes to ``deaf`` as (monotonic now, seconds); when
    stdin closes, recording stops and so does the process."""
    for line in sys.stdin.buffer:
        try:
            event = json.loads(line)
            seconds = float(event["deaf"])
        except (ValueError, KeyError, TypeError):
            continue
        deaf.put((time.monotonic(), seconds))
    for parec in recorders:
        parec.terminate()


def main() -> int:
    verbose = "--verbose" in sys.argv[1:]
    try:
        spotter = CommandSpotter()
    except ImportError:
        _say({"error": "the speech recogniser (pocketsphinx) is not installed"})
        return 1
    try:
        parec = _record(None)
    except OSError as exc:
        _say({"error": f"cannot record: {exc.strerror}"})
        return 1
    cancelling = _start_reference(verbose)
    deaf: queue.Queue[tuple[float, float]] = queue.Queue()
    recorders = [parec] + ([cancelling[0].parec] if cancelling else [])
    threading.Thread(target=_read_app_lines, args=(recorders, deaf), daemon=True).start()
    assert parec.stdout is not None
    ready = False
    clock = StreamClock()
    recorded = 0
    noted = (0, 0)
    while True:
        recording = os.read(parec.stdout.fileno(), CHUNK_BYTES)
        if not recording:
            break
        if not ready:
            ready = True
            _say({"ready": True, "echo_cancel": cancelling is not None})
        arrived = time.monotonic()
        clock.chunk_arrived(arrived, (recorded + len(recording)) / BYTES_PER_SECOND)
        data, decode = recording, None  # what the endpointer and the decoder hear
        if cancelling is not None:
            reference, remover = cancelling
            played = reference.take(clock, recorded, len(recording))
            data, decode = remover.process(recording, played)
            if (reference.realigned, reference.missing) != noted:
                # The echo path as the canceller sees it jumped: not trusted till it adapts.
                noted = (reference.realigned, reference.missing)
                remover.gate.restart()
                if verbose:
                    _say({"note": "reference", "realigned": noted[0], "missing_bytes": noted[1]})
            for start, end in remover.gate.untrusted():
                spotter.ignore(start, end)
            if reference.ended:  # the monitor went away: back to ignoring the app's sound
                cancelling = None
                _say({"echo_cancel": False})
        recorded += len(recording)
        while not deaf.empty():
            said_at, seconds = deaf.get()
            if cancelling is None:
                start = clock.stream_time(said_at)
                spotter.ignore(start - DEAF_LEAD, start + seconds)
        for heard in spotter.feed(data, decode):
            _say({"heard": heard.word, "ended": arrived})
        if verbose:
            for start, end, words in spotter.utterances:
                _say({"utterance": [round(start, 2), round(end, 2)], "words": words})
        spotter.utterances.clear()
    code = parec.wait()
    if code not in (0, -15) and parec.stderr is not None:
        reason = parec.stderr.read().decode(errors="replace").strip().splitlines()
        _say({"error": f"no microphone: {reason[-1] if reason else f'parec exit {code}'}"})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
