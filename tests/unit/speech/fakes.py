"""Fakes for the speaker's collaborators: an audio output and a worker that answer at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from tests.helpers.clock import FakeClock
from timer_app.settings import Settings
from timer_app.speech.clip_speaker import ClipSpeaker
from timer_app.speech.clips import ClipInfo
from timer_app.speech.output import AudioUnavailable


class FakeOutput:
    """Records plays and stops; every clip is ready at once. With ``refuse`` set, opening the
    device (warm-up or play) fails as a busy or vanished sound device does."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.closed = False
        self.loaded: list[str] = []
        self.plays: list[str] = []
        self.at_once: list[bool] = []
        self.stops: list[str | None] = []
        self.warmed = 0
        self.suspended = 0

    def load(self, path: str) -> None:
        self.loaded.append(path)

    def is_ready(self, path: str) -> bool:
        return path in self.loaded

    def _open(self) -> None:
        if self.refuse:
            raise AudioUnavailable("cannot open a sound device: device busy")

    def play(self, path: str, volume: float, at_once: bool = False) -> None:
        self._open()
        self.plays.append(path)
        self.at_once.append(at_once)

    def stop(self, path: str | None = None) -> None:
        self.stops.append(path)

    def warm_up(self) -> None:
        self._open()
        self.warmed += 1

    def suspend(self) -> None:
        self.suspended += 1

    def close(self) -> None:
        self.closed = True

    @property
    def spoken(self) -> list[str]:
        """Names of speech clips played (tones excluded)."""
        return [Path(p).stem for p in self.plays if "/sounds/" not in p]

    @property
    def tones(self) -> list[str]:
        return [Path(p).stem for p in self.plays if "/sounds/" in p]


class FakeWorker:
    """Answers render requests by writing a clip record; ``hello`` lists one voice.

    ``durations`` maps a phrase to its clip length (default 1 s, pauses every 0.3 s).
    """

    def __init__(self, ok: bool = True, durations: dict[str, float] | None = None) -> None:
        self.ok = ok
        #: While True, render requests wait in :attr:`held` until :meth:`release` answers them.
        self.hold = False
        self.held: list[tuple[dict[str, Any], Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.cancelled = 0
        self.durations = durations or {}
        self.shut = False

    def request(self, request: dict[str, Any], callback: Any, timeout: float = 10.0) -> None:
        self.requests.append(request)
        if self.hold and request["op"] == "render":
            self.held.append((request, callback))
            return
        self._answer(request, callback)

    def release(self, count: int | None = None) -> None:
        """Answer held requests, oldest first (each answer may send the next request)."""
        self.hold = count is not None
        while self.held and (count is None or count > 0):
            request, callback = self.held.pop(0)
            self._answer(request, callback)
            count = None if count is None else count - 1

    def _answer(self, request: dict[str, Any], callback: Any) -> None:
        if not self.ok:
            callback({"ok": False, "error": "no speech engine"})
            return
        if request["op"] == "hello":
            callback({"ok": True, "voices": [{"id": "gmw/en", "name": "English", "lang": "en"}]})
        elif request["op"] == "render":
            path = Path(request["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"RIFF")
            length = self.durations.get(request["text"], 1.0)
            gaps = tuple(round(0.3 * k, 2) for k in range(1, int(length / 0.3) + 1))
            info = ClipInfo(str(path), length, gaps, 3000.0)
            callback({"ok": True, "info": info.__dict__})

    def cancel_all(self) -> None:
        self.cancelled += 1

    def shutdown(self) -> None:
        self.shut = True

    def rendered(self) -> list[str]:
        return [r["text"] for r in self.requests if r["op"] == "render"]


def make_speaker(
    settings: Settings | None = None,
    *,
    device: bool = True,
    engine: bool = True,
    durations: dict[str, float] | None = None,
    **speaker_options: Any,
) -> tuple[ClipSpeaker, FakeOutput, FakeWorker, FakeClock]:
    """A ClipSpeaker on fakes, probes answered (device and engine present or not)."""
    output = FakeOutput()
    renderer = FakeWorker(ok=engine, durations=durations)
    clock = FakeClock()
    speaker = ClipSpeaker(
        settings or Settings(),
        renderer=renderer,
        output_factory=lambda: output,
        clock=clock,
        output_latency=0.0,
        device_probe=lambda parent, done: done(device, ""),
        **speaker_options,
    )
    speaker.start_probing()  # the fakes answer the device probe and the hello at once
    return speaker, output, renderer, clock


class LateProbe:
    """A device probe that answers only when told (the sound server is slow to reply)."""

    def __init__(self) -> None:
        self.done: Any = None

    def __call__(self, parent: object, done: Any) -> None:
        self.done = done

    def answer(self, ok: bool) -> None:
        assert self.done is not None, "the speaker never probed"
        self.done(ok, "")


class LateLibraries(QObject):
    """The output's libraries, loaded only when told (a slow import on a busy machine); in
    place of :class:`~timer_app.speech.sound_libraries.SoundLibraries`."""

    loaded = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.started = False
        self.is_loaded = False

    def start(self) -> None:
        self.started = True

    def finish(self) -> None:
        self.is_loaded = True
        self.loaded.emit()
