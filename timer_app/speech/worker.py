"""The speech worker process: ``python -m timer_app.speech.worker``.

pyttsx3 blocks and can hang; neither may happen in the GUI process. The app starts this module
as one child process (a fresh interpreter, like multiprocessing's "spawn") and talks to it with
one JSON object per line. It only ever renders to files: speaking through pyttsx3 ``say()``
would play through an ``aplay`` child whose queued audio outlives it (a pause could not cut it),
so every phrase, even one wanted at once, is rendered here and played by the app.

``{"op": "hello"}``  -> ``{"ok": true, "engine": "espeak", "voices": [{"id", "name", "lang"}]}``
``{"op": "render", "id": 1, "text", "voice", "rate", "path"}`` -> ``{"id": 1, "ok": true,
"info": {...ClipInfo}}`` (one phrase per ``runAndWait()``, the only reliable way in 2.99)

A failure answers ``{"ok": false, "error": "..."}``. pyttsx3 prints to stdout, so the protocol
uses a private copy of the original stdout and everything else goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO


def engine_name() -> str:
    """The pyttsx3 driver used on this platform (part of the clip cache key)."""
    if sys.platform == "win32":
        return "sapi5"
    if sys.platform == "darwin":
        return "nsss"
    return "espeak"


class _Engine:
    def __init__(self) -> None:
        import pyttsx3

        self.engine = pyttsx3.init()
        self._voice = ""
        self._rate = 0
        self._espeak = engine_name() == "espeak"
        if self._espeak:
            # pyttsx3's espeak driver starts "busy": until a first run loop, properties and
            # save_to_file() only queue up, and that first runAndWait() returns before espeak-ng
            # has synthesised anything (its retrieval mode works on espeak-ng's own thread). An
            # empty run loop here makes every later runAndWait() wait for its phrase. It runs
            # once the driver's own start-up settings are applied: with them still queued, the
            # loop would cancel them and leave a "stopping" mark that cancels the next phrase.
            self._settle()
            self.engine.runAndWait()
            self._settle()

    def _settle(self) -> None:
        """Wait until espeak-ng has carried out every queued command (a voice, rate, volume).

        runAndWait() cancels whatever espeak-ng is still "playing", and a rate still in its
        queue counts: the phrase would then come out at the previous rate (seen as a 260 wpm
        phrase as long as a 200 wpm one on a loaded machine)."""
        if self._espeak:
            from pyttsx3.drivers import _espeak

            _espeak.Synchronize()

    def configure(self, voice: str, rate: int, volume: float = 1.0) -> None:
        if voice and voice != self._voice:
            self.engine.setProperty("voice", voice)
            self._voice = voice
        if rate and rate != self._rate:
            self.engine.setProperty("rate", int(rate))
            self._rate = rate
        self.engine.setProperty("volume", max(0.0, min(1.0, float(volume))))
        self._settle()

    def voices(self) -> list[dict[str, str]]:
        out = []
        for v in self.engine.getProperty("voices") or []:
            langs = getattr(v, "languages", None) or [""]
            lang = langs[0]
            if isinstance(lang, bytes):
                lang = lang.decode("utf-8", "ignore")
            out.append({"id": str(v.id), "name": str(v.name or v.id), "lang": str(lang)})
        return out

    def render(self, text: str, path: Path) -> dict[str, Any]:
        from dataclasses import asdict

        from timer_app.speech.clips import trim_and_analyse

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.wav")
        # No retry: asking again while espeak-ng still works on the phrase would cancel it,
        # and with it a rate not yet applied (see _settle).
        self.engine.save_to_file(text, str(tmp))
        self.engine.runAndWait()
        if not (tmp.is_file() and tmp.stat().st_size > 44):
            raise RuntimeError("the engine wrote no audio")
        info = trim_and_analyse(tmp)
        if info.duration <= 0:
            tmp.unlink(missing_ok=True)
            raise RuntimeError("the engine wrote only silence")
        os.replace(tmp, path)  # atomic: a reader never sees half a clip
        final = info.__class__(str(path), info.duration, info.word_gaps, info.rms)
        final.save_sidecar()
        return asdict(final)


def handle(engine: _Engine | None, request: dict[str, Any]) -> dict[str, Any]:
    """Answer one request (``engine`` is None when it could not start)."""
    op = request.get("op")
    reply: dict[str, Any] = {"id": request.get("id")}
    if engine is None:
        return {**reply, "ok": False, "error": "no speech engine"}
    if op == "hello":
        return {**reply, "ok": True, "engine": engine_name(), "voices": engine.voices()}
    if op == "render":
        engine.configure(str(request.get("voice", "")), int(request.get("rate", 0)))
        info = engine.render(str(request["text"]), Path(str(request["path"])))
        return {**reply, "ok": True, "info": info}
    return {**reply, "ok": False, "error": f"unknown op {op!r}"}


def serve(lines: TextIO, out: TextIO) -> None:
    engine: _Engine | None = None
    start_error = ""
    try:
        engine = _Engine()
    except Exception as exc:  # any engine failure becomes a message, never a crash
        start_error = f"{type(exc).__name__}: {exc}"
    for line in lines:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            reply = handle(engine, request)
            if engine is None:
                reply["error"] = f"no speech engine ({start_error})"
        except Exception as exc:
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            if isinstance(locals().get("request"), dict):
                reply["id"] = request.get("id")
        out.write(json.dumps(reply) + "\n")
        out.flush()


def main() -> None:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # pyttsx3's prints go to stderr
    serve(sys.stdin, protocol)


if __name__ == "__main__":
    main()
