"""The session's phrases and their rendered clips, for the current voice and rate.

Clips already on disk (``cache_dir()/speech``, keyed by engine, voice, rate and text) are reused
at once; the others are sent to the render worker, one request per phrase. A reply for an old
voice or rate (the user changed it meanwhile) is ignored. No Qt here: the worker is anything
with ``request(request, callback, timeout)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from timer_app.speech.clips import ClipInfo, cache_key, speech_cache_dir
from timer_app.speech.worker import engine_name

log = logging.getLogger(__name__)

RENDER_TIMEOUT = 15.0  # seconds for one phrase; a hung engine is killed after this


class ClipLibrary:
    """Rendered clips by phrase; ``on_clip(info)`` runs for each clip that becomes available."""

    def __init__(self, renderer: Any, on_clip: Callable[[ClipInfo], None]) -> None:
        self._renderer = renderer
        self._on_clip = on_clip
        self.clips: dict[str, ClipInfo] = {}
        self.requested: set[str] = set()
        self.phrases: list[str] = []
        self.voice = ""
        self.rate = 165

    def configure(self, voice: str, rate: int) -> bool:
        """Use ``voice`` and ``rate`` from now on; True (and the clips forgotten) if changed."""
        if (voice, int(rate)) == (self.voice, self.rate):
            return False
        self.voice, self.rate = voice, int(rate)
        self.clips.clear()
        self.requested.clear()
        return True

    def path_for(self, text: str) -> Path:
        key = cache_key(engine_name(), self.voice, self.rate, text)
        return speech_cache_dir() / f"{key}.wav"

    def prepare(self, phrases: Sequence[str] | None = None) -> None:
        """Make clips of ``phrases`` (default: the last ones given) available."""
        if phrases is not None:
            self.phrases = list(dict.fromkeys(phrases))
        for text in self.phrases:
            if text in self.clips or text in self.requested:
                continue
            path = self.path_for(text)
            cached = ClipInfo.load_sidecar(path)
            if cached is not None:
                self._add(text, cached)
                continue
            self.requested.add(text)
            request = {
                "op": "render",
                "text": text,
                "voice": self.voice,
                "rate": self.rate,
                "path": str(path),
            }
            self._renderer.request(request, self._callback(text, str(path)), RENDER_TIMEOUT)

    def rerequest(self) -> None:
        """Ask again for every phrase without a clip (after the voice turned out missing)."""
        self.requested.clear()
        self.prepare()

    def get(self, text: str) -> ClipInfo | None:
        return self.clips.get(text)

    def coming(self, text: str) -> bool:
        """True while ``text`` is being rendered."""
        return text in self.requested

    def _callback(self, text: str, path: str) -> Callable[[dict[str, Any]], None]:
        return lambda reply: self._on_rendered(text, path, reply)

    def _on_rendered(self, text: str, path: str, reply: dict[str, Any]) -> None:
        self.requested.discard(text)
        if str(self.path_for(text)) != path:
            return  # voice or rate changed meanwhile: this clip is for the old settings
        if not reply.get("ok"):
            log.warning("could not render %r: %s (will speak it live)", text, reply.get("error"))
            return
        info = reply["info"]
        self._add(
            text,
            ClipInfo(
                path=str(info["path"]),
                duration=float(info["duration"]),
                word_gaps=tuple(float(g) for g in info["word_gaps"]),
                rms=float(info["rms"]),
            ),
        )

    def _add(self, text: str, info: ClipInfo) -> None:
        self.clips[text] = info
        self._on_clip(info)
