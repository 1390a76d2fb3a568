"""A virtual microphone for voice commands: the rig's null sink, whose monitor is made the
default PulseAudio source, so whatever is played into the sink is what the "microphone" hears.

:class:`Listener` runs the app's real listening process (``timer_app.voice.listen``) against
it and notes when each of its lines arrives; :func:`speak` has espeak-ng say a phrase into
the sink and returns the monotonic time the phrase's last sound ended. Used by
``tests/audio/test_voice_commands.py`` and ``benchmarks/voice_commands.py``.
"""

from __future__ import annotations

import array
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from tests.audio.rig import PulseServer, end_process

#: Below this (about -50 dBFS) a sample is silence: espeak-ng ends its files with ~0.2 s of it.
SILENCE = 100


def use_sink_as_microphone(server: PulseServer) -> None:
    """Make ``recsink.monitor`` the default source: the virtual microphone."""
    subprocess.run(
        ["pactl", "set-default-source", "recsink.monitor"],
        env=server.env(),
        check=True,
        capture_output=True,
        timeout=10,
    )


class Room:
    """A room with a microphone and speakers: the app plays into the default sink
    (``recsink``, the speakers), a loopback carries the speakers' sound into a second null
    sink, ``room``, after :data:`ECHO_LATENCY_MS` (the echo), and the person speaks into
    ``room`` too; ``room.monitor`` is the default source, the microphone. So the microphone
    hears the app and the person, and the speakers' monitor (the listener's echo reference)
    holds the app only, as on a laptop. :meth:`close` puts the server back as it was."""

    #: The loopback's delay: a laptop's speakers to its microphone, through the sound
    #: card's buffers. It must stay within the echo canceller's filter (0.5 s).
    ECHO_LATENCY_MS = 60
    SINK = "room"

    def __init__(self, server: PulseServer) -> None:
        self._server = server
        self._modules: list[str] = []
        self._source_before = self._pactl("get-default-source").strip()

    def _pactl(self, *args: str) -> str:
        return subprocess.run(
            ["pactl", *args],
            env=self._server.env(),
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def open(self) -> Room:
        self._modules.append(
            self._pactl("load-module", "module-null-sink", f"sink_name={self.SINK}", "rate=48000")
        )
        self._modules.append(
            self._pactl(
                "load-module",
                "module-loopback",
                "source=recsink.monitor",
                f"sink={self.SINK}",
                f"latency_msec={self.ECHO_LATENCY_MS}",
                # No rate adjusting: both null sinks run on the same clock, and a loopback
                # that keeps adjusting its latency is an echo path that keeps moving (5 ms in
                # 40 s), which no canceller keeps up with; a laptop's speakers and microphone
                # share one sound card's clock.
                "adjust_time=0",
                "source_dont_move=true",
                "sink_dont_move=true",
            )
        )
        self._pactl("set-default-sink", "recsink")
        self._pactl("set-default-source", f"{self.SINK}.monitor")
        return self

    def close(self) -> None:
        for module in reversed(self._modules):
            self._pactl("unload-module", module.strip())
        self._modules = []
        if self._source_before:
            self._pactl("set-default-source", self._source_before)


class RoomNoise:
    """Faint white noise (about -66 dBFS) played into the sink for as long as it runs.

    A real microphone always delivers sound, at least its own hiss; an idle null sink's
    monitor delivers nothing, and then the first words played are cut off at their start."""

    def __init__(self, server: PulseServer, sink: str = "recsink") -> None:
        self._server = server
        self._sink = sink
        self._procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> RoomNoise:
        source = subprocess.Popen(
            [
                "sox",
                "-q",
                "-n",
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed",
                "-t",
                "raw",
                "-",
                "synth",
                "36000",
                "whitenoise",
                "vol",
                "0.0005",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        sink = subprocess.Popen(
            [
                "pacat",
                "-d",
                self._sink,
                "--raw",
                "--rate=16000",
                "--channels=1",
                "--format=s16le",
                "--latency-msec=250",
            ],
            stdin=source.stdout,
            env=self._server.env(),
            stderr=subprocess.DEVNULL,
        )
        assert source.stdout is not None
        source.stdout.close()  # pacat owns the pipe now
        self._procs = [source, sink]
        time.sleep(0.3)  # the stream is connected and the monitor runs
        return self

    def stop(self) -> None:
        for proc in reversed(self._procs):
            end_process(proc)
        self._procs = []


@dataclass(frozen=True)
class Line:
    """A line the listening process printed, and when it arrived (monotonic seconds)."""

    arrived: float
    event: dict[str, object]


class Listener:
    """The app's listening process on the rig's server; :attr:`lines` fills in as it runs."""

    def __init__(self, server: PulseServer, *, verbose: bool = False) -> None:
        self._server = server
        #: Run it with ``--verbose``: a line for every utterance it cut, with what it decoded.
        self._verbose = verbose
        self.lines: list[Line] = []
        self.proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self.cpu_seconds = 0.0

    def start(self, timeout: float = 20.0) -> Listener:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "timer_app.voice.listen", *(["--verbose"] * self._verbose)],
            env=self._server.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while not any(line.event.get("ready") for line in self.lines):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"the listener did not start: {self.lines}")
            time.sleep(0.02)
        return self

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.append(Line(time.monotonic(), json.loads(raw)))

    def app_sounds_for(self, seconds: float) -> None:
        """Tell the listener, as the app does when it starts a cue, to ignore the microphone
        for ``seconds`` from now."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"deaf": seconds}).encode() + b"\n")
        self.proc.stdin.flush()

    def heard(self, since: float = 0.0) -> list[tuple[str, float]]:
        """(word, arrival) of each command heard after ``since``."""
        return [
            (str(line.event["heard"]), line.arrived)
            for line in self.lines
            if "heard" in line.event and line.arrived >= since
        ]

    def decoded(self, since: float = 0.0) -> list[str | None]:
        """What it decoded in each utterance reported after ``since`` (``verbose`` only):
        the words (" (rejected)" when the rules turned them down), or None when the
        utterance was too short or too long to be decoded."""
        return [
            None if line.event["words"] is None else str(line.event["words"])
            for line in self.lines
            if "utterance" in line.event and line.arrived >= since
        ]

    def stop(self) -> None:
        """End it (its stdin closes, as when the app goes away); note the CPU it used, with
        its parec."""
        proc = self.proc
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            _, _, usage = os.wait4(proc.pid, 0)
            self.cpu_seconds = usage.ru_utime + usage.ru_stime
            proc.returncode = 0
        except ChildProcessError:
            pass
        if self._reader is not None:
            self._reader.join(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
        self.proc = None


def render(text: str, voice: str, rate: int, folder: Path) -> tuple[Path, float]:
    """espeak-ng's WAV of ``text``, and the seconds of silence at its end."""
    handle, name = tempfile.mkstemp(suffix=".wav", dir=folder)
    os.close(handle)
    path = Path(name)
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), "--", text],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with wave.open(str(path)) as wav:
        rate_hz = wav.getframerate()
        samples = array.array("h")
        samples.frombytes(wav.readframes(wav.getnframes()))
    last = len(samples)
    while last > 0 and abs(samples[last - 1]) < SILENCE:
        last -= 1
    return path, (len(samples) - last) / rate_hz


def play(path: Path, trailing_silence: float, server: PulseServer, sink: str = "recsink") -> float:
    """Play ``path`` into the sink; the monotonic time its last sound ended. paplay returns
    once the sink has played everything (drained), so that moment less the file's trailing
    silence is when the phrase ended, give or take the drain's few milliseconds."""
    subprocess.run(
        ["paplay", "-d", sink, "--latency-msec=250", str(path)],
        env=server.env(),
        check=True,
        capture_output=True,
        timeout=3600,
    )
    return time.monotonic() - trailing_silence


def speak(
    text: str, voice: str, rate: int, server: PulseServer, folder: Path, sink: str = "recsink"
) -> float:
    """espeak-ng says ``text`` into ``sink`` (the virtual microphone's, unless a :class:`Room`
    is open); returns when the phrase ended."""
    path, trailing = render(text, voice, rate, folder)
    try:
        return play(path, trailing, server, sink)
    finally:
        path.unlink(missing_ok=True)
