"""Voice commands: recognition rate, latency, false triggers per hour, CPU while listening.

Run: ``python -m benchmarks.voice_commands`` (prints JSON; ``run()`` returns it for ``make
bench``).

A private PulseAudio server's null sink is the microphone (its monitor made the default
source, faint white noise always playing into it, as a real microphone's hiss), and the app's
real listening process (``python -m timer_app.voice.listen``: parec + the pocketsphinx
spotter) listens to it. espeak-ng speaks into the sink (``tests/audio/voice_rig.py``):

* **commands**: every command word after "timer", in two voices (``en-us``, ``en-us+f3``) at
  two rates (130 and 160 words a minute), :data:`ROUNDS` times over (the same phrase can come
  out differently: the noise and the resampler's phase differ); a command counts as acted on
  if the listener's line for the right word arrives within 1.5 s of the phrase's last sound.
  The same at 180 words a minute is reported on its own (espeak-ng at 180 is faster than a
  deliberate command). The voices and rates were chosen once, as a stand-in for people, and
  are not fitted to the recogniser.
* **own cues**: every phrase of a whole built-in routine (hip-ir-lying, with its "Get ready"),
  in the app's default voice at its default rate, in session order: nothing may be heard.
* **other speech**: the user guide read aloud (``en-us``, 160 wpm), ten minutes of it.
* **short talk**: :func:`short_phrases` said one at a time (``en-us``, 160 wpm), with a pause
  after each: a short phrase on its own is what a command looks like to the endpointer, so
  this is where a closed grammar is weakest. Reported as phrases that triggered, apart from
  the per-hour rate (running speech and cues).
* **CPU**: user + system time of the listening process and its parec over the whole run,
  divided by the run's wall time.

All of the above is the listener without echo cancelling (the microphone is the sink the
"app" plays into, so there is nothing to cancel: the listener sees that and falls back to
ignoring the app's sound, which these parts do not tell it about). Then, with echo cancelling:

* **during cues**: a :class:`Room` (the app's sound goes into the speakers, a 60 ms loopback
  carries it into the room, the person speaks into the room, the room is the microphone),
  a new listener, and the routine's first five cues played so the canceller adapts. Then,
  for every command word in both voices at both rates, a 4 s cue in the app's voice plays and
  the person says the command 1.2 s into it. The app acts on a command heard while it sounds
  once the cue has ended (``VoiceInbox``: the cue's end + 0.3 s, seen within 50 ms), so a
  command counts as acted on when ``max(line's arrival, cue end + 0.35 s)`` is within 1.5 s
  of the *later of the phrase's end and the cue's end*.
* **own cues through the speakers**: every phrase of hip-ir-lying again, now into the
  speakers, so the listener hears them through the room and cancels them: nothing may be
  heard.
* **CPU with echo cancelling**: the listener (and its two parecs) over this part's wall time.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO

COMMAND_WORDS = ("pause", "continue", "go", "next", "back", "repeat", "stop")
VOICES = ("en-us", "en-us+f3")
RATES = (130, 160)
FAST_RATE = 180
ROUNDS = 2
WITHIN = 1.5
OTHER_SPEECH_SECONDS = 600.0
TARGETS = {"acted_rate": 0.95, "false_per_hour": 0.0, "cpu_share": 0.10}
#: Said over, in the app's voice (about 4 s).
CUE = "Slowly rotate the knee inward, keep the pelvis still, and breathe out."
#: How far into the cue the person starts the command.
SAID_INTO_CUE = 1.2
#: When the app acts on a command heard while it sounds: the cue's end, its echo guard, and
#: the app's 50 ms watch (timer_app/ui/voice_commands.py).
HELD_UNTIL_AFTER_CUE = 0.3 + 0.05


def _tally(trials: list[dict[str, Any]]) -> dict[str, Any]:
    """How the spoken commands fared: acted on, wrong word, missed, latency of those acted on."""
    latencies = [t["latency_s"] for t in trials if t["acted"]]
    return {
        "acted": sum(t["acted"] for t in trials),
        "wrong_word": sum(1 for t in trials if t["heard"] and t["heard"][0] != t["word"]),
        "missed": sum(1 for t in trials if not t["heard"]),
        "acted_rate": round(sum(t["acted"] for t in trials) / len(trials), 3),
        "latency_s": {
            "median": round(statistics.median(latencies), 3) if latencies else None,
            "worst": round(max(latencies), 3) if latencies else None,
        },
    }


def _commands(
    listener: Any,
    server: Any,
    folder: Path,
    voices: tuple[str, ...],
    rates: tuple[int, ...],
    words: tuple[str, ...],
) -> dict[str, Any]:
    from tests.audio.voice_rig import speak

    trials: list[dict[str, Any]] = []
    for voice in voices:
        for rate in rates:
            for word in words:
                since = time.monotonic()
                ended = speak(f"timer {word}", voice, rate, server, folder)
                while time.monotonic() < ended + WITHIN + 0.5 and not listener.heard(since):
                    time.sleep(0.02)
                time.sleep(0.3)
                heard = listener.heard(since)
                first = heard[0] if heard else None
                latency = first[1] - ended if first else None
                trials.append(
                    {
                        "voice": voice,
                        "rate": rate,
                        "word": word,
                        "heard": [w for w, _ in heard],
                        "latency_s": round(latency, 3) if latency is not None else None,
                        "decoded": listener.decoded(since),
                        "acted": bool(
                            first and first[0] == word and latency is not None and latency <= WITHIN
                        ),
                    }
                )
    return {
        "trials": trials,
        "spoken": len(trials),
        **_tally(trials),
    }


def routine_phrases() -> list[str]:
    """Every phrase of hip-ir-lying in session order, with the "Get ready" lead-in."""
    from timer_app.core.routine_file import load_routine
    from timer_app.core.timeline import build_timeline, lead_in_timeline

    routine = load_routine(REPO / "routines" / "hip-ir-lying.toml")
    timeline = build_timeline(routine)
    phrases: list[str] = []
    for part in (lead_in_timeline(timeline, 10), timeline):
        for step in part.steps:
            phrases += [cue.text for cue in step.cues if cue.text]
    return phrases


def _own_cues(listener: Any, server: Any, folder: Path, limit: int | None) -> dict[str, Any]:
    from tests.audio.voice_rig import speak

    phrases = routine_phrases()[:limit]
    since = time.monotonic()
    for phrase in phrases:
        speak(phrase, "en", 165, server, folder)  # the app's default voice and rate
        time.sleep(0.3)
    time.sleep(1.0)
    seconds = time.monotonic() - since
    heard = listener.heard(since)
    return {
        "phrases": len(phrases),
        "seconds": round(seconds, 1),
        "false_triggers": len(heard),
        "heard": [w for w, _ in heard],
        "per_hour": round(len(heard) * 3600 / seconds, 1),
    }


#: Near misses: a command word without the wake word, the wake word in other talk.
NEAR_MISSES = (
    "pause", "next one", "go back", "stop it now", "repeat that", "continue", "the timer",
    "my timer", "timer app", "timer settings", "time to rest", "time for a pause",
    "time is up", "what time is it", "tighter", "Tyler, stop", "fine, go", "five more",
)  # fmt: skip


def short_phrases(guide_count: int = 40) -> list[str]:
    """The near misses, every distinct cue of hip-ir-lying, and the guide's first
    ``guide_count`` distinct clauses of one to four words (none starting with "timer ")."""
    clauses = [c.strip(" -") for c in re.split(r"[.,;:!?()\n\"]+", guide_text())]
    short = [
        c
        for c in clauses
        if 1 <= len(c.split()) <= 4 and re.search("[a-z]", c) and not c.lower().startswith("timer ")
    ]
    guide = list(dict.fromkeys(short))[:guide_count]
    return [*NEAR_MISSES, *dict.fromkeys(routine_phrases()), *guide]


def _short_talk(listener: Any, server: Any, folder: Path, limit: int | None) -> dict[str, Any]:
    from tests.audio.voice_rig import speak

    triggered: list[dict[str, str]] = []
    phrases = short_phrases()[:limit]
    for phrase in phrases:
        since = time.monotonic()
        speak(phrase, "en-us", 160, server, folder)
        time.sleep(1.0)  # the endpointer's tail: its line has come by now
        triggered += [{"phrase": phrase, "heard": w} for w, _ in listener.heard(since)]
    return {"phrases": len(phrases), "triggered": len(triggered), "heard": triggered}


def guide_text() -> str:
    """The user guide as plain sentences (markup and tables' rules taken out)."""
    text = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    text = re.sub(r"[`*#|>_]|-{3,}", " ", text)
    return re.sub(r"[ \t]+", " ", text)


def _other_speech(listener: Any, server: Any, folder: Path, seconds: float) -> dict[str, Any]:
    import subprocess

    from tests.audio.voice_rig import play

    source = folder / "guide.txt"
    source.write_text(guide_text(), encoding="utf-8")
    full, cut = folder / "guide-full.wav", folder / "guide.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "160", "-f", str(source), "-w", str(full)],
        check=True,
        capture_output=True,
    )
    subprocess.run(["sox", str(full), str(cut), "trim", "0", str(seconds)], check=True)
    since = time.monotonic()
    play(cut, 0.0, server)
    time.sleep(1.0)
    played = time.monotonic() - since
    heard = listener.heard(since)
    return {
        "seconds": round(played, 1),
        "false_triggers": len(heard),
        "heard": [w for w, _ in heard],
        "per_hour": round(len(heard) * 3600 / played, 1),
    }


def _said_during_cues(
    listener: Any, server: Any, folder: Path, words: tuple[str, ...], voices: tuple[str, ...]
) -> dict[str, Any]:
    import threading

    from tests.audio.voice_rig import Room, speak

    trials: list[dict[str, Any]] = []
    for voice in voices:
        for rate in RATES:
            for word in words:
                since = time.monotonic()
                cue_end: list[float] = []
                cue = threading.Thread(
                    target=lambda ends=cue_end: ends.append(speak(CUE, "en", 165, server, folder))
                )
                cue.start()
                time.sleep(SAID_INTO_CUE)
                ended = speak(f"timer {word}", voice, rate, server, folder, sink=Room.SINK)
                cue.join()
                later = max(ended, cue_end[0])
                while time.monotonic() < later + WITHIN + 0.5 and not listener.heard(since):
                    time.sleep(0.02)
                time.sleep(0.3)
                heard = listener.heard(since)
                first = heard[0] if heard else None
                acted_at = max(first[1], cue_end[0] + HELD_UNTIL_AFTER_CUE) if first else None
                latency = acted_at - later if acted_at is not None else None
                trials.append(
                    {
                        "voice": voice,
                        "rate": rate,
                        "word": word,
                        "heard": [w for w, _ in heard],
                        "during_cue": ended < cue_end[0],
                        "heard_before_cue_end": bool(first and first[1] < cue_end[0]),
                        "latency_s": round(latency, 3) if latency is not None else None,
                        "decoded": listener.decoded(since),
                        "acted": bool(
                            first and first[0] == word and latency is not None and latency <= WITHIN
                        ),
                    }
                )
    return {
        "trials": trials,
        "spoken": len(trials),
        "said_during_cue": sum(t["during_cue"] for t in trials),
        **_tally(trials),
    }


def with_echo_cancelling(server: Any, folder: Path, quick: bool) -> dict[str, Any]:
    """Commands said during cues, and the routine's cues through the speakers, with the
    listener cancelling the speakers' sound out of the room's microphone."""
    from tests.audio.voice_rig import Listener, Room, RoomNoise, speak

    room = Room(server).open()
    noise: RoomNoise | None = None
    listener: Listener | None = None
    try:
        noise = RoomNoise(server, sink=Room.SINK).start()
        listener = Listener(server, verbose=True).start()
        ready = next(line.event for line in listener.lines if line.event.get("ready"))
        started = time.monotonic()
        for phrase in routine_phrases()[:5]:  # the session's first cues: it adapts
            speak(phrase, "en", 165, server, folder)
        if quick:
            during = _said_during_cues(listener, server, folder, ("pause",), VOICES[:1])
            cues = _own_cues(listener, server, folder, limit=2)
        else:
            during = _said_during_cues(listener, server, folder, COMMAND_WORDS, VOICES)
            cues = _own_cues(listener, server, folder, limit=None)
        wall = time.monotonic() - started
        listener.stop()
        return {
            "echo_cancel": bool(ready.get("echo_cancel")),
            "during_cues": during,
            "own_cues": cues,
            "cpu_share": round(listener.cpu_seconds / wall, 4),
            "wall_s": round(wall, 1),
        }
    finally:
        if listener is not None:
            listener.stop()
        if noise is not None:
            noise.stop()
        room.close()


def run(quick: bool = False) -> dict[str, Any]:
    from tests.audio.rig import PulseServer
    from tests.audio.voice_rig import Listener, RoomNoise, use_sink_as_microphone

    server = PulseServer().start()
    room: RoomNoise | None = None
    listener: Listener | None = None
    try:
        use_sink_as_microphone(server)
        room = RoomNoise(server).start()
        listener = Listener(server, verbose=True).start()
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="voice-bench-") as name:
            folder = Path(name)
            if quick:
                commands = _commands(listener, server, folder, VOICES[:1], RATES[:1], ("pause",))
                fast = _commands(listener, server, folder, VOICES[:1], (FAST_RATE,), ("next",))
                cues = _own_cues(listener, server, folder, limit=2)
                other = _other_speech(listener, server, folder, 10.0)
                short = _short_talk(listener, server, folder, limit=2)
            else:
                commands = _commands(
                    listener, server, folder, VOICES, RATES, COMMAND_WORDS * ROUNDS
                )
                fast = _commands(listener, server, folder, VOICES, (FAST_RATE,), COMMAND_WORDS)
                cues = _own_cues(listener, server, folder, limit=None)
                other = _other_speech(listener, server, folder, OTHER_SPEECH_SECONDS)
                short = _short_talk(listener, server, folder, limit=None)
            wall = time.monotonic() - started
            listener.stop()
            cpu_share = listener.cpu_seconds / wall
            room.stop()  # its hiss went into the sink that is now the speakers
            room = None
            echo = with_echo_cancelling(server, folder, quick)
    finally:
        if listener is not None:
            listener.stop()
        if room is not None:
            room.stop()
        server.stop()
    hours = (cues["seconds"] + other["seconds"]) / 3600
    false_total = cues["false_triggers"] + other["false_triggers"]
    return {
        "name": "voice_commands",
        "commands": commands,
        "fast_commands": fast,
        "own_cues": cues,
        "other_speech": other,
        "short_talk": short,
        "false_per_hour": round(false_total / hours, 1),
        "cpu_share": round(cpu_share, 4),
        "wall_s": round(wall, 1),
        "echo_cancelling": echo,
        "targets": TARGETS,
        "met": {
            "acted_rate": commands["acted_rate"] >= TARGETS["acted_rate"],
            "false_per_hour": false_total == 0,
            "cpu_share": cpu_share < TARGETS["cpu_share"],
            "during_cues_rate": echo["during_cues"]["acted_rate"] >= TARGETS["acted_rate"],
            "echo_false": echo["own_cues"]["false_triggers"] == 0,
            "echo_cpu_share": echo["cpu_share"] < TARGETS["cpu_share"],
        },
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
