"""Echo cancellation for voice commands, offline: how much of the app's own voice it takes out
of the microphone, whether a command said over a cue is then heard, and that a whole routine's
cues let through it trigger nothing.

Run: ``python -m benchmarks.echo_cancel`` (prints JSON; ``run()`` returns it).

No sound server: the audio is rendered and mixed here, so the same input gives the same
numbers. The "microphone" is the cue as it reaches it (an *echo path*: 40 ms late, -3 dB, and
either as it is, as the live rig's loopback delivers it, or through a synthetic room: an
exponentially decaying 150 ms impulse response) plus the person's command and faint hiss
(about -66 dBFS); the reference is the cue as played. Before the cue with the command, the
routine's "Get ready" lead-in plays (the canceller adapts during a session's first cues; a
command said during the very first seconds of sound is not caught, see
``timer_app/voice/echo.py``).

* **commands over a cue**: every command word, both test voices (``en-us``, ``en-us+f3``) at
  130 and 160 wpm, centred on a 4 s cue in the app's voice; heard means the spotter
  (:class:`CommandSpotter`, fed 100 ms at a time like the listener) reports that word.
* **echo suppression**: the cue's echo power over what is left of it, in dB (ERLE), where the
  person is silent: after the canceller alone, and after the residual gate too.
* **own cues**: every phrase of hip-ir-lying in session order, 0.3 s apart, through the echo
  path and the canceller, no person: commands heard with the gate (the listener's path) and
  without it (the canceller alone).
* **reference holes**: the same, but the reference's recording loses 4-20 ms (zeros) every
  0.03-0.6 s while the microphone still hears the echo, as a loaded sound server may record
  the monitor: commands heard over the cue (after five cues of warm-up), and false triggers
  on the routine's cues.
* **CPU**: process time of the canceller and gate per second of audio.
"""

from __future__ import annotations

import json
import subprocess
import time
from functools import cache
from typing import Any

import numpy as np

COMMAND_WORDS = ("pause", "continue", "go", "next", "back", "repeat", "stop")
VOICES = ("en-us", "en-us+f3")
RATES = (130, 160)
SAMPLE_RATE = 16000
ECHO_DELAY = 0.04
ECHO_GAIN = 0.7  # -3 dB: the cue reaches the microphone about as loud as the person
HISS = 16
#: The cue the commands are said over (the app's voice, "en" at 165 wpm: about 4 s).
CUE = "Slowly rotate the knee inward, keep the pelvis still, and breathe out."


TO_RAW = ["-e", "signed", "-b", "16", "-c", "1", "-"]


@cache
def render(text: str, voice: str, rate: int) -> np.ndarray:
    """espeak-ng's ``text`` at 16 kHz, float, its leading and trailing silence cut."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "--stdout", "--", text],
        check=True,
        capture_output=True,
    ).stdout
    raw = subprocess.run(
        ["sox", "-D", "-t", "wav", "-", "-t", "raw", "-r", str(SAMPLE_RATE), *TO_RAW],
        input=wav,
        check=True,
        capture_output=True,
    ).stdout
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float64)
    loud = np.nonzero(np.abs(samples) > 100)[0]
    return samples[loud[0] : loud[-1] + 1]


def echo_path(played: np.ndarray, room: bool) -> np.ndarray:
    """``played`` as the microphone hears it (module notes)."""
    heard = played
    if room:
        taps = int(0.15 * SAMPLE_RATE)
        response = np.random.default_rng(1).normal(0, 1, taps)
        response *= np.exp(-np.arange(taps) / (0.03 * SAMPLE_RATE))
        response[0] = 3.0  # the direct sound
        response /= np.sqrt(np.sum(response**2))
        heard = np.convolve(played, response)[: len(played)]
    delay = int(ECHO_DELAY * SAMPLE_RATE)
    return np.concatenate([np.zeros(delay), heard * ECHO_GAIN])[: len(played)]


def _to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.round(samples), -32768, 32767).astype(np.int16)


def _hiss(length: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-HISS, HISS, length)


def with_holes(reference: np.ndarray, seed: int) -> np.ndarray:
    """``reference`` with 4-20 ms stretches zeroed every 0.03-0.6 s (module notes)."""
    rng = np.random.default_rng(seed)
    holed = reference.copy()
    at = int(rng.uniform(0.03, 0.6) * SAMPLE_RATE)
    while at < len(holed):
        length = int(rng.uniform(0.004, 0.020) * SAMPLE_RATE)
        holed[at : at + length] = 0
        at += length + int(rng.uniform(0.03, 0.6) * SAMPLE_RATE)
    return holed


def listen(mic: np.ndarray, reference: np.ndarray, gated: bool = True) -> dict[str, Any]:
    """The listener's path offline: canceller (+ gate), then the spotter, 100 ms at a time."""
    from timer_app.voice.echo import EchoRemover
    from timer_app.voice.spotter import CommandSpotter

    remover = EchoRemover()
    spotter = CommandSpotter()
    mic_bytes, ref_bytes = _to_int16(mic).tobytes(), _to_int16(reference).tobytes()
    cleaned = bytearray()
    words: list[str] = []
    cpu = 0.0
    for at in range(0, len(mic_bytes), 3200):
        chunk_start = time.process_time()
        out, decode = remover.process(mic_bytes[at : at + 3200], ref_bytes[at : at + 3200])
        cpu += time.process_time() - chunk_start
        if not gated:
            out = decode
        else:
            for start, end in remover.gate.untrusted():  # as the listener does
                spotter.ignore(start, end)
        cleaned += out
        words += [h.word for h in spotter.feed(out, decode)]
    return {
        "words": words,
        "cleaned": np.frombuffer(bytes(cleaned), dtype="<i2").astype(np.float64),
        "cpu_share": cpu / (len(mic) / SAMPLE_RATE),
        "utterances": [(round(a, 2), round(b, 2), w) for a, b, w in spotter.utterances],
    }


def _db(a: np.ndarray, b: np.ndarray) -> float:
    return round(float(10 * np.log10(np.mean(a**2) / max(np.mean(b**2), 1e-9))), 1)


def command_over_cue(
    word: str,
    voice: str,
    rate: int,
    room: bool,
    holes_seed: int | None = None,
    warm_cues: int = 2,
) -> dict[str, Any]:
    """``timer WORD`` said over :data:`CUE`, after the routine's first ``warm_cues`` cues;
    with ``holes_seed``, the reference loses pieces (:func:`with_holes`)."""
    from benchmarks.voice_commands import routine_phrases

    warm = np.concatenate([render(p, "en", 165) for p in routine_phrases()[:warm_cues]])
    cue = render(CUE, "en", 165)
    command = render(f"timer {word}", voice, rate)
    cue_at = len(warm) + SAMPLE_RATE
    length = cue_at + len(cue) + int(1.5 * SAMPLE_RATE)
    played = np.zeros(length)
    played[: len(warm)] = warm
    played[cue_at : cue_at + len(cue)] = cue
    echo = echo_path(played, room)
    person = np.zeros(length)
    said_at = cue_at + (len(cue) - len(command)) // 2
    person[said_at : said_at + len(command)] = command
    mic = echo + person + _hiss(length, 2)
    reference = played if holes_seed is None else with_holes(played, holes_seed)
    result = listen(mic, reference)
    alone = listen(mic, reference, gated=False)
    # Where the person is silent and the cue sounds, after the command.
    quiet = slice(said_at + len(command) + SAMPLE_RATE // 10, cue_at + len(cue))
    return {
        "word": word,
        "voice": voice,
        "rate": rate,
        "room": room,
        "heard": result["words"],
        "heard_without_gate": alone["words"],
        "erle_db": _db(echo[quiet], alone["cleaned"][quiet]),
        "erle_gated_db": _db(echo[quiet], result["cleaned"][quiet]),
        "cpu_share": result["cpu_share"],
    }


def own_cues(room: bool, holes_seed: int | None = None) -> dict[str, Any]:
    from benchmarks.voice_commands import routine_phrases

    gap = np.zeros(int(0.3 * SAMPLE_RATE))
    parts: list[np.ndarray] = []
    phrases = routine_phrases()
    for phrase in phrases:
        parts += [render(phrase, "en", 165), gap]
    played = np.concatenate([np.zeros(SAMPLE_RATE), *parts, np.zeros(SAMPLE_RATE)])
    mic = echo_path(played, room) + _hiss(len(played), 3)
    reference = played if holes_seed is None else with_holes(played, holes_seed)
    gated = listen(mic, reference)
    alone = listen(mic, reference, gated=False)
    return {
        "room": room,
        "reference_holes": holes_seed is not None,
        "phrases": len(phrases),
        "seconds": round(len(played) / SAMPLE_RATE, 1),
        "false_triggers": len(gated["words"]),
        "heard": gated["words"],
        "false_triggers_without_gate": len(alone["words"]),
        "heard_without_gate": alone["words"],
        "cpu_share": round(gated["cpu_share"], 4),
    }


def run(quick: bool = False) -> dict[str, Any]:
    words = COMMAND_WORDS[:2] if quick else COMMAND_WORDS
    voices = VOICES[:1] if quick else VOICES
    said = [
        (word, voice, rate, room)
        for room in (False, True)
        for voice in voices
        for rate in RATES
        for word in words
    ]
    trials = [command_over_cue(*how) for how in said]
    cues = [own_cues(room) for room in (False, True)] if not quick else []
    heard = sum(t["heard"] == [t["word"]] for t in trials)
    # Each with its own pattern of holes (the seed): tests/audio/test_echo_cancel.py names two.
    holed = [command_over_cue(*how, holes_seed=seed, warm_cues=5) for seed, how in enumerate(said)]
    holed_cues = [own_cues(room, holes_seed=99) for room in (False, True)] if not quick else []
    return {
        "name": "echo_cancel",
        "commands_over_cue": {
            "said": len(trials),
            "heard": heard,
            "heard_without_gate": sum(t["heard_without_gate"] == [t["word"]] for t in trials),
            "wrong_word": sum(1 for t in trials if t["heard"] and t["heard"] != [t["word"]]),
            "erle_db_median": float(np.median([t["erle_db"] for t in trials])),
            "erle_db_worst": min(t["erle_db"] for t in trials),
            "erle_gated_db_median": float(np.median([t["erle_gated_db"] for t in trials])),
            "cpu_share_median": round(float(np.median([t["cpu_share"] for t in trials])), 4),
            "trials": trials,
        },
        "own_cues": cues,
        "reference_holes": {
            "said": len(holed),
            "heard": sum(t["heard"] == [t["word"]] for t in holed),
            "wrong_word": sum(1 for t in holed if t["heard"] and t["heard"] != [t["word"]]),
            "missed": [
                (t["word"], t["voice"], t["rate"], t["room"]) for t in holed if not t["heard"]
            ],
            "own_cues_false_triggers": [c["false_triggers"] for c in holed_cues],
        },
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
