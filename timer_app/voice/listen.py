"""The listening process: ``python -m timer_app.voice.listen``.

Records the default PulseAudio source with ``parec`` (16 kHz mono), runs the spotter and
prints one JSON line per event on stdout: ``{"ready": true}`` once listening,
``{"heard": "pause", "ended": <monotonic s>}`` for each command, ``{"error": "..."}`` before
exiting when it cannot listen. It ends when its stdin closes (the app went away). With
``--verbose`` it also prints every utterance the endpointer cut:
``{"utterance": [start, end], "words": "timer go" | null}`` (stream seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

from timer_app.voice.spotter import SAMPLE_RATE, CommandSpotter

CHUNK_BYTES = 3200  # 100 ms: a command is acted on at most this much after its endpoint


def _say(event: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def _exit_when_stdin_closes(parec: subprocess.Popen[bytes]) -> None:
    while sys.stdin.buffer.read(1):
        pass
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
    threading.Thread(target=_exit_when_stdin_closes, args=(parec,), daemon=True).start()
    assert parec.stdout is not None
    ready = False
    while True:
        data = os.read(parec.stdout.fileno(), CHUNK_BYTES)
        if not data:
            break
        if not ready:
            ready = True
            _say({"ready": True})
        arrived = time.monotonic()
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
