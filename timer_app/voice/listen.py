"""The listening process: ``python -m timer_app.voice.listen``.

Records the default PulseAudio source with ``parec`` (16 kHz mono), runs the spotter and
prints one JSON line per event on stdout: ``{"ready": true}`` once listening,
``{"heard": "pause", "ended": <monotonic s>}`` for each command, ``{"error": "..."}`` before
exiting when it cannot listen. It ends when its stdin closes (the app went away).

The app writes ``{"deaf": <seconds>}`` lines to its stdin when it starts making sound: the
microphone is ignored from that moment (a little before, for the reader's delay) until that
many seconds later (the sound's end and its echo guard); an utterance that touches that time
is dropped, never decoded (:meth:`CommandSpotter.ignore`). With
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

from timer_app.voice.spotter import SAMPLE_RATE, CommandSpotter

CHUNK_BYTES = 3200  # 100 ms: a command is acted on at most this much after its endpoint
BYTES_PER_SECOND = SAMPLE_RATE * 2
#: How long before a "deaf" line arrived the app's sound may already have begun (the app
#: notices its own sound within 50 ms; the line then crosses a pipe).
DEAF_LEAD = 0.1


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


def _read_app_lines(parec: subprocess.Popen[bytes], deaf: queue.Queue[tuple[float, float]]) -> None:
    """The app's lines: each "deaf" one goes to ``deaf`` as (monotonic now, seconds); when
    stdin closes, recording stops and so does the process."""
    for line in sys.stdin.buffer:
        try:
            event = json.loads(line)
            seconds = float(event["deaf"])
        except (ValueError, KeyError, TypeError):
            continue
        deaf.put((time.monotonic(), seconds))
    parec.terminate()


def main() -> int:
    verbose = "--verbose" in sys.argv[1:]
    try:
        spotter = CommandSpotter()
    except ImportError:
        _say({"error": "the speech recogniser (pocketsphinx) is not installed"})
        return 1
    command = ["parec", "--raw", "--format=s16le", f"--rate={SAMPLE_RATE}", "--channels=1"]
    command.append("--latency-msec=50")
    try:
        parec = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        _say({"error": f"cannot record: {exc.strerror}"})
        return 1
    deaf: queue.Queue[tuple[float, float]] = queue.Queue()
    threading.Thread(target=_read_app_lines, args=(parec, deaf), daemon=True).start()
    assert parec.stdout is not None
    ready = False
    clock = StreamClock()
    recorded = 0
    while True:
        data = os.read(parec.stdout.fileno(), CHUNK_BYTES)
        if not data:
            break
        if not ready:
            ready = True
            _say({"ready": True})
        arrived = time.monotonic()
        recorded += len(data)
        clock.chunk_arrived(arrived, recorded / BYTES_PER_SECOND)
        while not deaf.empty():
            said_at, seconds = deaf.get()
            start = clock.stream_time(said_at)
            spotter.ignore(start - DEAF_LEAD, start + seconds)
        for heard in spotter.feed(data):
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
