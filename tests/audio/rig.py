"""A private PulseAudio server with a null sink, and a recorder of what that sink "plays".

Used by the audio tests and by ``benchmarks/cue_latency.py``. The server gets its own runtime
folder and socket (so it never clashes with a desktop's or another test's server, and works as
root on a CI machine with no sound card); clients find it through ``PULSE_SERVER``.

Recording time is aligned to :func:`time.monotonic` from the arrival of ``parec``'s chunks: a
chunk ending at sample ``n`` cannot arrive before the sample was played, so the earliest
``arrival - n / rate`` over all chunks bounds the recording's start from above (a reader
thread starved by a busy event loop only makes some estimates late, never early). The first
half second is left out: while streams connect, the null sink may render ahead of real time.
"""

from __future__ import annotations

import array
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RATE = 48000  # Hz, mono s16le: the sink's own rate, so no resampler filters the onsets


class RigUnavailable(RuntimeError):
    """PulseAudio or parec is missing or would not start; the message says which."""


def end_process(proc: subprocess.Popen[bytes], *, terminate: bool = True) -> None:
    """End a helper process of the rig: ask it to stop (``terminate``) or let it finish, and
    kill it if it has not within 5 s, so a stuck helper never hangs the test."""
    if terminate:
        proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@dataclass
class PulseServer:
    """``pulseaudio`` with a null sink ``recsink``, in a temp runtime dir; stop() kills it."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="timer-pa-")))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        return self.root / "native"

    @property
    def server(self) -> str:
        return f"unix:{self.socket}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PULSE_SERVER"] = self.server
        env["XDG_RUNTIME_DIR"] = str(self.root)
        return env

    def start(self, timeout: float = 10.0) -> PulseServer:
        exe = shutil.which("pulseaudio")
        if exe is None:
            raise RigUnavailable("pulseaudio is not installed (Debian package pulseaudio)")
        if shutil.which("parec") is None or shutil.which("pactl") is None:
            raise RigUnavailable("parec/pactl are not installed (Debian package pulseaudio-utils)")
        cmd = [
            exe,
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-n",  # no default.pa: only the modules below, no hardware probing
            "--log-target=stderr",
            "--log-level=error",
            f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
            "--load=module-null-sink sink_name=recsink rate=48000",
        ]
        env = self.env()
        env["HOME"] = str(self.root)  # cookie and state files stay in the temp folder
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RigUnavailable(f"pulseaudio exited at start: {err.strip()[:300]}")
            if self.socket.exists() and self._pactl_ok():
                return self
            time.sleep(0.05)
        self.stop()
        raise RigUnavailable(f"pulseaudio did not answer on {self.socket} within {timeout} s")

    def _pactl_ok(self) -> bool:
        result = subprocess.run(
            ["pactl", "info"], env=self.env(), capture_output=True, timeout=5, check=False
        )
        return result.returncode == 0

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()
        self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)


#: Reads parec's output in a process of its own (no GIL shared with a busy Qt event loop, which
#: would delay the reads and so the time stamps), noting when each chunk arrived.
READER = r"""
import json, os, sys, time
raw_path, times_path = sys.argv[1], sys.argv[2]
count, stamps = 0, []
with open(raw_path, "wb") as raw:
    while True:
        data = os.read(0, 65536)
        arrived = time.monotonic()
        if not data:
            break
        raw.write(data)
        raw.flush()
        count += len(data) // 2
        stamps.append((count, arrived))
with open(times_path, "w") as out:
    json.dump(stamps, out)
"""


class Recorder:
    """Records ``recsink.monitor`` with parec, aligned to time.monotonic()."""

    def __init__(self, server: PulseServer) -> None:
        self._server = server
        self._parec: subprocess.Popen[bytes] | None = None
        self._reader: subprocess.Popen[bytes] | None = None
        self._dir = Path(tempfile.mkdtemp(prefix="timer-rec-"))

    @property
    def raw_path(self) -> Path:
        """The recording so far (mono s16le at :data:`RATE`), growing while it runs."""
        return self._dir / "rec.raw"

    def start(self) -> Recorder:
        self._parec = subprocess.Popen(
            [
                "parec",
                "-d",
                "recsink.monitor",
                "--raw",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=5",
            ],
            env=self._server.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(self._dir / "rec.raw"), str(self._dir / "t.json")],
            stdin=self._parec.stdout,
            start_new_session=True,
        )
        assert self._parec.stdout is not None
        self._parec.stdout.close()  # the reader owns the pipe now
        # Wait for the first data so the caller knows recording has begun.
        deadline = time.monotonic() + 5
        raw = self._dir / "rec.raw"
        while time.monotonic() < deadline and not (raw.exists() and raw.stat().st_size > 0):
            time.sleep(0.01)
        if not (raw.exists() and raw.stat().st_size > 0):
            self.stop()
            raise RigUnavailable("parec produced no audio within 5 s")
        return self

    def stop(self) -> tuple[array.array[int], Aligner]:
        """Stop; return (samples, a function giving the monotonic time of sample ``n``)."""
        for proc in (self._parec, self._reader):
            if proc is None:
                continue
            # The reader ends by itself once parec closes its pipe.
            end_process(proc, terminate=proc is self._parec)
        samples = array.array("h")
        raw_path, times_path = self._dir / "rec.raw", self._dir / "t.json"
        raw = raw_path.read_bytes() if raw_path.exists() else b""
        samples.frombytes(raw[: len(raw) // 2 * 2])
        stamps = json.loads(times_path.read_text()) if times_path.exists() else []
        shutil.rmtree(self._dir, ignore_errors=True)
        return samples, Aligner([(c, at - c / RATE) for c, at in stamps])


class Aligner:
    """The monotonic time of sample ``n``: the recording's start plus ``n / RATE``."""

    def __init__(self, estimates: list[tuple[int, float]]) -> None:
        settled = [o for c, o in estimates if c >= RATE // 2]
        offsets = settled or [o for _, o in estimates] or [0.0]
        self.start = min(offsets)

    def __call__(self, n: int) -> float:
        return self.start + n / RATE

    def shifted(self, seconds: float) -> Aligner:
        out = Aligner([])
        out.start = self.start + seconds
        return out


def frame_rms(samples: array.array[int], frame: int) -> list[float]:
    """RMS of consecutive frames of ``frame`` samples."""
    out: list[float] = []
    for i in range(0, len(samples) - frame + 1, frame):
        chunk = samples[i : i + frame]
        out.append((sum(s * s for s in chunk) / frame) ** 0.5)
    return out


def onsets(
    samples: array.array[int],
    start: float | Callable[[int], float],
    threshold: float = 300.0,
    min_gap: float = 0.25,
    frame_ms: float = 2.0,
) -> list[float]:
    """Monotonic times where sound starts after at least ``min_gap`` s of silence.

    Energy in 2 ms frames; an onset is the first frame above ``threshold`` RMS (about -40 dBFS).
    """
    frame = max(1, int(RATE * frame_ms / 1000))
    rms = frame_rms(samples, frame)
    found: list[float] = []
    quiet_frames = int(min_gap * 1000 / frame_ms)
    quiet = quiet_frames  # the recording starts in silence
    at = start if callable(start) else (lambda n: float(start) + n / RATE)
    for i, value in enumerate(rms):
        if value >= threshold:
            if quiet >= quiet_frames:
                found.append(at(i * frame))
            quiet = 0
        else:
            quiet += 1
    return found
