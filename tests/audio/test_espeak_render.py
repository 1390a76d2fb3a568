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
    return render_in_fresh_workers(qtbot, folder, [rate])[0]


def render_in_fresh_workers(
    qtbot: Any, folder: Path, rates: list[int]
) -> list[dict[str, dict[str, Any]]]:
    """Every phrase at each of ``rates``, each rate in its own new worker process, all
    workers at once (the app's start: a fresh worker's first phrases, on a busy machine)."""
    clients = [WorkerClient() for _ in rates]
    replies: list[dict[str, dict[str, Any]]] = [{} for _ in rates]
    for n, (client, rate) in enumerate(zip(clients, rates, strict=True)):
        for i, text in enumerate(PHRASES):
            request = {"op": "render", "text": text, "voice": "", "rate": rate}
            request["path"] = str(folder / f"{n}-{rate}-{i}.wav")
            client.request(
                request, lambda r, got=replies[n], text=text: got.__setitem__(text, r), timeout=20
            )
    qtbot.waitUntil(lambda: all(len(got) == len(PHRASES) for got in replies), timeout=30000)
    for client in clients:
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
    normal, again, fast = render_in_fresh_workers(qtbot, tmp_path, [165, 165, 260])
    long_text, short_text = list(PHRASES)[:2]
    a = Path(clip_info(normal, long_text)["path"]).read_bytes()
    b = Path(clip_info(normal, short_text)["path"]).read_bytes()
    assert a != b
    # A worker's first phrase is spoken at the asked rate, however busy the machine: the same
    # phrase and rate give the same clip in every worker. (A rate espeak-ng had not applied
    # yet when the phrase started gave a 260 wpm phrase the length of a 200 wpm one.)
    for text in PHRASES:
        first = Path(clip_info(normal, text)["path"]).read_bytes()
        assert first == Path(clip_info(again, text)["path"]).read_bytes(), text
    # 165 -> 260 words a minute is 0.63 of the length; 0.8 leaves room for fixed pauses.
    assert clip_info(fast, long_text)["duration"] < 0.8 * clip_info(normal, long_text)["duration"]
