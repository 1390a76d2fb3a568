"""Clip cache keys and the analysis stored beside each rendered clip."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest

from timer_app.speech.clips import ClipInfo, cache_key, read_wav, speech_cache_dir, trim_and_analyse

RATE = 22050


def write_wav(path: Path, parts: list[tuple[str, float]]) -> Path:
    """parts: ("tone"|"silence", seconds)."""
    frames = bytearray()
    for kind, seconds in parts:
        for i in range(int(RATE * seconds)):
            value = int(6000 * math.sin(2 * math.pi * 440 * i / RATE)) if kind == "tone" else 0
            frames += struct.pack("<h", value)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


def test_cache_key_changes_with_engine_voice_rate_and_text() -> None:
    base = cache_key("espeak", "gmw/en", 165, "Three.")
    assert base == cache_key("espeak", "gmw/en", 165, "Three.")
    others = {
        cache_key("sapi5", "gmw/en", 165, "Three."),
        cache_key("espeak", "gmw/en-us", 165, "Three."),
        cache_key("espeak", "gmw/en", 180, "Three."),
        cache_key("espeak", "gmw/en", 165, "Two."),
    }
    assert base not in others and len(others) == 4
    assert base.isalnum()  # safe as a file name on every platform


def test_clips_are_cached_in_the_users_cache_folder(isolated_dirs: Path) -> None:
    assert speech_cache_dir().is_relative_to(isolated_dirs)
    assert speech_cache_dir().name == "speech"


def test_leading_silence_is_cut_so_the_sound_starts_on_the_cue(tmp_path: Path) -> None:
    wav = write_wav(
        tmp_path / "a.wav",
        [("silence", 0.2), ("tone", 0.3), ("silence", 0.1), ("tone", 0.4), ("silence", 0.5)],
    )
    info = trim_and_analyse(wav)
    samples, rate, _ = read_wav(wav)
    assert len(samples) / rate == pytest.approx(1.3, abs=0.011)  # 0.2 s off the front
    assert info.duration == pytest.approx(0.8, abs=0.03)  # trailing pause excluded
    assert len(info.word_gaps) == 1 and 0.28 <= info.word_gaps[0] <= 0.33
    assert info.rms > 3000


def test_a_silent_render_is_recognised(tmp_path: Path) -> None:
    info = trim_and_analyse(write_wav(tmp_path / "s.wav", [("silence", 0.5)]))
    assert info.duration == 0 and info.rms == 0


def test_sidecar_round_trip_and_damage(tmp_path: Path) -> None:
    wav = write_wav(tmp_path / "b.wav", [("tone", 0.3)])
    info = trim_and_analyse(wav)
    info.save_sidecar()
    assert ClipInfo.load_sidecar(wav) == info
    wav.with_suffix(".json").write_text("{not json", "utf-8")
    assert ClipInfo.load_sidecar(wav) is None
    assert ClipInfo.load_sidecar(tmp_path / "missing.wav") is None
