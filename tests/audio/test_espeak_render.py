"""Real espeak-ng through pyttsx3 in the worker process: the clips are speech, not silence."""

from __future__ import annotations

import ctypes.util
import shutil
import wave
from pathlib import Path
from typing import Any

import pytest

from timer_app.speech.clips import read_wav
from timer_app.speech.worker_client import WorkerClient

pytestmark = [
    pytest.mark.audio,
    pytest.mark.usefixtures("qapp"),
    pytest.mark.skipif(
        ctypes.util.find_library("espeak-ng") is None and shutil.which("espeak-ng") is None,
        reason="espeak-ng is not installed (Debian packages espeak-ng libespeak-ng1)",
    ),
]

PHRASES = {
    "Left side. Passive hold, two minutes. Relax into the stretch.": 10,
    "Build to half effort.": 4,
    "Three.": 1,
}


def render_all(qtbot: Any, folder: Path, rate: int = 165) -> dict[str, dict[str, Any]]:
    client = WorkerClient()
    replies: dict[str, dict[str, Any]] = {}
    for i, text in enumerate(PHRASES):
        request = {"op": "render", "text": text, "voice": "", "rate": rate}
        request["path"] = str(folder / f"{rate}-{i}.wav")
        client.request(request, lambda r, text=text: replies.__setitem__(text, r), timeout=20)
    qtbot.waitUntil(lambda: len(replies) == len(PHRASES), timeout=30000)
    client.shutdown()
    return replies


def clip_info(replies: dict[str, dict[str, Any]], text: str) -> dict[str, Any]:
    """The rendered clip's info; a failed render fails the test with the worker's reason
    (an error reply has no "info", and a KeyError would hide why)."""
    reply = replies[text]
    assert reply["ok"], f"{text!r}: {reply.get('error')}"
    info: dict[str, Any] = reply["info"]
    return info


def test_rendered_phrases_are_speech_of_a_plausible_length(qtbot: Any, tmp_path: Path) -> None:
    replies = render_all(qtbot, tmp_path)
    for text, words in PHRASES.items():
        info = clip_info(replies, text)
        samples, _rate, _ = read_wav(Path(info["path"]))
        rms = (sum(s * s for s in samples) / len(samples)) ** 0.5
        assert rms > 500, f"{text!r} is (nearly) silent: RMS {rms:.0f}"
        # 165 words a minute is 0.36 s a word; allow slow short words and quick long phrases.
        assert 0.15 * words <= info["duration"] <= 0.9 * words + 0.4, (text, info["duration"])
        assert info["rms"] > 500
        if words >= 4:
            assert info["word_gaps"], f"{text!r}: no pause between words found"
        with wave.open(info["path"]) as clip:  # a well-formed WAV Qt can load
            assert clip.getnchannels() == 1 and clip.getsampwidth() == 2


def test_different_phrases_give_different_audio_and_rate_changes_speed(
    qtbot: Any, tmp_path: Path
) -> None:
    normal = render_all(qtbot, tmp_path, rate=165)
    fast = render_all(qtbot, tmp_path, rate=260)
    long_text, short_text = list(PHRASES)[:2]
    a = Path(clip_info(normal, long_text)["path"]).read_bytes()
    b = Path(clip_info(normal, short_text)["path"]).read_bytes()
    assert a != b
    assert clip_info(fast, long_text)["duration"] < 0.8 * clip_info(normal, long_text)["duration"]
