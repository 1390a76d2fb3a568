"""The rendered clips of phrases, and the one queue of phrases waiting to be rendered.

Clips already on disk (``cache_dir()/speech``, keyed by engine, voice, rate and text) are reused
at once; the others go to the render worker **one at a time**, most urgent first, so the order
can still change while the worker is busy:

1. ``NOW``: a phrase wanted this instant (a cue without a clip, "Test voice", the step
   re-announced on resume);
2. ``SESSION``: the phrases of the session about to start, in the order they will be said (so
   its first two steps are ready first);
3. ``IDLE``: the built-in routines' phrases, rendered in the background so that a first
   session finds them cached.

No Qt here: the worker is anything with ``request(request, callback, timeout)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from timer_app.speech.clips import ClipInfo, cache_key, speech_cache_dir
from timer_app.speech.worker import engine_name

log = logging.getLogger(__name__)

RENDER_TIMEOUT = 15.0  # seconds for one phrase; a hung engine is killed after this


class Urgency(IntEnum):
    """How soon a phrase is needed (lower goes first)."""

    NOW = 0
    SESSION = 1
    IDLE = 2


@dataclass
class _Job:
    text: str
    voice: str
    rate: int
    path: str
    urgency: Urgency


class ClipLibrary:
    """Rendered clips by path; ``on_clip(info)`` runs for each clip a session or a listener
    needs (not for the ones rendered at idle, which only go to the disk cache)."""

    def __init__(self, renderer: Any, on_clip: Callable[[ClipInfo], None]) -> None:
        self._renderer = renderer
        self._on_clip = on_clip
        self._clips: dict[str, ClipInfo] = {}  # by path, any voice and rate
        self._queue: list[_Job] = []
        self._in_flight: _Job | None = None
        self._pumping = False
        self.failed: set[str] = set()  # paths the engine could not render
        self.phrases: list[str] = []  # the session's
        self.voice = ""
        self.rate = 165

    # ------------------------------------------------------------ settings
    def configure(self, voice: str, rate: int) -> bool:
        """Use ``voice`` and ``rate`` from now on; True if that changed them."""
        if (voice, int(rate)) == (self.voice, self.rate):
            return False
        self.voice, self.rate = voice, int(rate)
        # Waiting jobs in the old voice are no use any more; "Test voice" asks afresh.
        self._queue = [j for j in self._queue if j.urgency is Urgency.NOW]
        self.failed.clear()
        return True

    def path_for(self, text: str, voice: str | None = None, rate: int | None = None) -> Path:
        voice = self.voice if voice is None else voice
        rate = self.rate if rate is None else int(rate)
        return speech_cache_dir() / f"{cache_key(engine_name(), voice, rate, text)}.wav"

    # --------------------------------------------------------------- asking
    def prepare(self, phrases: Sequence[str] | None = None) -> None:
        """Make clips of a session's ``phrases`` (default: the last ones given) available,
        in the order given."""
        if phrases is not None:
            self.phrases = list(dict.fromkeys(phrases))
        self._want(self.phrases, Urgency.SESSION)

    def prefetch(self, phrases: Sequence[str], urgency: Urgency = Urgency.IDLE) -> None:
        """Render ``phrases`` when nothing more urgent waits (``IDLE``: to the disk cache
        only; ``SESSION``: also loaded for playing, like a session's phrases)."""
        self._want(list(dict.fromkeys(phrases)), urgency)

    def want_now(self, text: str, voice: str | None = None, rate: int | None = None) -> Path:
        """Render ``text`` before anything else; returns the clip's path."""
        self._want([text], Urgency.NOW, voice, rate)
        return self.path_for(text, voice, rate)

    def rerequest(self) -> None:
        """Ask again for every session phrase without a clip (after the voice turned out
        missing)."""
        self.failed.clear()
        self.prepare()

    # ------------------------------------------------------------- answers
    def get(self, text: str) -> ClipInfo | None:
        """The clip of ``text`` in the current voice and rate, if rendered."""
        return self._clips.get(str(self.path_for(text)))

    def get_path(self, path: str) -> ClipInfo | None:
        return self._clips.get(path)

    def coming(self, path: str) -> bool:
        """True while the clip at ``path`` waits to be rendered or is being rendered."""
        jobs = [*self._queue, *([self._in_flight] if self._in_flight else [])]
        return any(j.path == path for j in jobs)

    def session_clips(self) -> list[ClipInfo]:
        return [c for c in (self.get(t) for t in self.phrases) if c is not None]

    # ----------------------------------------------------------- internals
    def _want(
        self,
        texts: Sequence[str],
        urgency: Urgency,
        voice: str | None = None,
        rate: int | None = None,
    ) -> None:
        voice = self.voice if voice is None else voice
        rate = self.rate if rate is None else int(rate)
        added: list[_Job] = []
        for text in texts:
            path = str(self.path_for(text, voice, rate))
            if path in self.failed and urgency is not Urgency.NOW:
                continue  # the engine could not; rerequest() or a NOW request tries again
            if path in self._clips:
                if urgency < Urgency.IDLE:
                    self._on_clip(self._clips[path])  # known, maybe not loaded for playing
                continue
            cached = ClipInfo.load_sidecar(Path(path))
            if cached is not None:
                self._clips[path] = cached
                if urgency < Urgency.IDLE:
                    self._on_clip(cached)
                continue
            if self._in_flight is not None and self._in_flight.path == path:
                self._in_flight.urgency = min(self._in_flight.urgency, urgency)
                continue
            queued = next((j for j in self._queue if j.path == path), None)
            if queued is not None:
                if urgency < queued.urgency:
                    self._queue.remove(queued)
                    queued.urgency = urgency
                    added.append(queued)
                continue
            added.append(_Job(text, voice, rate, path, urgency))
        if urgency is Urgency.NOW:
            self._queue[0:0] = added
        else:
            self._queue.extend(added)
        self._queue.sort(key=lambda j: j.urgency)  # stable: keeps each level's order
        self._pump()

    def _pump(self) -> None:
        # Re-entrant-safe: a renderer may answer inside request() (tests' fake does).
        if self._pumping:
            return
        self._pumping = True
        try:
            while self._in_flight is None and self._queue:
                job = self._queue.pop(0)
                self._in_flight = job
                request = {
                    "op": "render",
                    "text": job.text,
                    "voice": job.voice,
                    "rate": job.rate,
                    "path": job.path,
                }
                self._renderer.request(request, self._callback(job), RENDER_TIMEOUT)
        finally:
            self._pumping = False

    def _callback(self, job: _Job) -> Callable[[dict[str, Any]], None]:
        return lambda reply: self._on_rendered(job, reply)

    def _on_rendered(self, job: _Job, reply: dict[str, Any]) -> None:
        if self._in_flight is job:
            self._in_flight = None
        if not reply.get("ok"):
            log.warning("could not render %r: %s", job.text, reply.get("error"))
            self.failed.add(job.path)
        else:
            info = reply["info"]
            clip = ClipInfo(
                path=str(info["path"]),
                duration=float(info["duration"]),
                word_gaps=tuple(float(g) for g in info["word_gaps"]),
                rms=float(info["rms"]),
            )
            self._clips[job.path] = clip
            if job.urgency < Urgency.IDLE:
                self._on_clip(clip)
        self._pump()
