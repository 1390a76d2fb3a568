"""Rendered phrase clips on disk: cache keys, and the analysis stored beside each WAV.

A clip is cached under ``cache_dir()/speech`` by (engine, voice, rate, text): the same phrase in
the same voice is rendered once, ever. Volume is applied at playback, so it is not in the key.
Beside ``<key>.wav`` a ``<key>.json`` holds what the player needs without reading audio on the
GUI thread: the speech's length and the pauses between words (where a more urgent cue may take
over without cutting a word). Qt-free, so the render worker process uses it too.
"""

from __future__ import annotations

import array
import hashlib
import json
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

#: Bump when rendering or analysis changes, so old cached clips are not reused.
CACHE_VERSION = 3  # 3: a worker's first phrases could come out at the wrong rate
#: Below this RMS (16-bit) a 10 ms frame counts as silence (about -50 dBFS).
SILENCE_RMS = 100.0
FRAME_SECONDS = 0.01
#: A pause between words must last this long to be a safe place to cut.
MIN_GAP_SECONDS = 0.03
#: Silence kept before the first sound (the sound must start on the cue, not after a pause).
LEAD_IN_SECONDS = 0.005


def cache_key(engine: str, voice: str, rate: int, text: str) -> str:
    """A file-name-safe key for one rendered phrase."""
    payload = json.dumps([CACHE_VERSION, engine, voice, int(rate), text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def speech_cache_dir() -> Path:
    from timer_app.paths import cache_dir

    return cache_dir() / "speech"


@dataclass(frozen=True)
class ClipInfo:
    """What is known about a rendered clip (its WAV and its analysis)."""

    path: str
    duration: float  # seconds of sound, trailing silence excluded
    word_gaps: tuple[float, ...]  # seconds into the clip of pauses between words
    rms: float  # loudness of the sound (to tell speech from a silent failure)

    def save_sidecar(self) -> None:
        Path(self.path).with_suffix(".json").write_text(json.dumps(asdict(self)), "utf-8")

    @classmethod
    def load_sidecar(cls, wav: Path) -> ClipInfo | None:
        """The stored analysis of ``wav``, or None if either file is missing or damaged."""
        try:
            data = json.loads(wav.with_suffix(".json").read_text("utf-8"))
            if not wav.is_file():
                return None
            return cls(
                path=str(wav),
                duration=float(data["duration"]),
                word_gaps=tuple(float(g) for g in data["word_gaps"]),
                rms=float(data["rms"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def read_wav(path: Path) -> tuple[array.array[int], int, int]:
    """(samples of the first channel, sample rate, channel count) of a 16-bit PCM WAV."""
    with wave.open(str(path), "rb") as src:
        if src.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit samples, got {8 * src.getsampwidth()}-bit")
        channels, rate = src.getnchannels(), src.getframerate()
        raw = src.readframes(src.getnframes())
    samples = array.array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    if channels > 1:
        samples = samples[::channels]
    return samples, rate, channels


def frame_levels(samples: array.array[int], rate: int) -> list[float]:
    """RMS of each 10 ms frame."""
    frame = max(1, int(rate * FRAME_SECONDS))
    levels = []
    for i in range(0, len(samples), frame):
        chunk = samples[i : i + frame]
        levels.append((sum(s * s for s in chunk) / max(1, len(chunk))) ** 0.5)
    return levels


def trim_and_analyse(path: Path) -> ClipInfo:
    """Cut the leading silence off a freshly rendered mono WAV (rewriting it) and analyse it.

    Engines put tens of milliseconds of silence before the first word; left in, every cue
    would be heard that much late.
    """
    samples, rate, _ = read_wav(path)
    levels = frame_levels(samples, rate)
    loud = [i for i, level in enumerate(levels) if level >= SILENCE_RMS]
    if not loud:
        return ClipInfo(str(path), 0.0, (), 0.0)
    frame = int(rate * FRAME_SECONDS)
    first = max(0, loud[0] * frame - int(rate * LEAD_IN_SECONDS))
    if first > 0:
        samples = samples[first:]
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(samples.tobytes())
        levels = frame_levels(samples, rate)
    first_loud = next(i for i, level in enumerate(levels) if level >= SILENCE_RMS)
    last_loud = max(i for i, level in enumerate(levels) if level >= SILENCE_RMS)
    gaps: list[float] = []
    run = 0
    for i in range(first_loud, last_loud + 1):
        if levels[i] < SILENCE_RMS:
            run += 1
            continue
        if run * FRAME_SECONDS >= MIN_GAP_SECONDS:
            gaps.append(round((i - run) * FRAME_SECONDS, 3))  # where the pause begins
        run = 0
    speech = [levels[i] for i in range(first_loud, last_loud + 1) if levels[i] >= SILENCE_RMS]
    rms = (sum(v * v for v in speech) / len(speech)) ** 0.5
    return ClipInfo(str(path), round((last_loud + 1) * FRAME_SECONDS, 3), tuple(gaps), rms)
