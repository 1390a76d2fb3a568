"""A private PulseAudio server with a null sink, and a recorder of what that sink "plays".

Used by the audio tests and by ``benchmarks/cue_latency.py``. The server gets its own runtime
folder and socket (so it never clashes with a desktop's or another test's server, and works as
root on a CI machine with no sound card); clients find it through ``PULSE_SERVER``.

Recording time is aligned to :func:`time.monotonic` from the arrival of ``parec``'s chunks: a
chunk ending at sample ``n`` cannot arrive before the sample was played, so the earliest
``arrival - n / rate`` over chunks bounds the recording's start from above. The minimum is
taken over the second after each sample rather than the whole recording, so that samples lost
to an overrun on a busy machine shift later times instead of making them look early.
"""

from __future__ import annotations

import array
import bisect
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RATE = 48000  # Hz, mono s16le: the sink's own rate, so no resampler filters the onsets


class RigUnavailable(RuntimeError):
    """PulseAudio or parec is missing or would not start; the message says which."""


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


class Recorder:
    """Records ``recsink.monitor`` with parec into memory, aligned to time.monotonic()."""

    def __init__(self, server: PulseServer) -> None:
        self._server = server
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._chunks: list[bytes] = []
        self._offset_estimates: list[tuple[int, float]] = []  # (samples so far, estimate)
        self._nbytes = 0

    def start(self) -> Recorder:
        self._proc = subprocess.Popen(
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
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()
        # Wait for the first data so the caller knows recording has begun.
        deadline = time.monotonic() + 5
        while not self._chunks and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._chunks:
            self.stop()
            raise RigUnavailable("parec produced no audio within 5 s")
        return self

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while True:
            data = os.read(fd, 4096)
            arrived = time.monotonic()
            if not data:
                return
            self._chunks.append(data)
            self._nbytes += len(data)
            count = self._nbytes // 2
            self._offset_estimates.append((count, arrived - count / RATE))

    def stop(self) -> tuple[array.array[int], Aligner]:
        """Stop; return (samples, a function giving the monotonic time of sample ``n``)."""
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._proc is not None and self._proc.stdout is not None:
            self._proc.stdout.close()
        samples = array.array("h")
        raw = b"".join(self._chunks)
        samples.frombytes(raw[: len(raw) // 2 * 2])
        return samples, Aligner(self._offset_estimates)


class Aligner:
    """The monotonic time of a sample: n / RATE plus the best offset seen in the next second."""

    def __init__(self, estimates: list[tuple[int, float]]) -> None:
        self._counts = [c for c, _ in estimates]
        self._offsets = [o for _, o in estimates]

    def __call__(self, n: int) -> float:
        lo = bisect.bisect_left(self._counts, n)
        hi = bisect.bisect_right(self._counts, n + RATE)
        window = self._offsets[lo:hi] or self._offsets[-1:] or [0.0]
        return min(window) + n / RATE

    def shifted(self, seconds: float) -> Aligner:
        out = Aligner([])
        out._counts = self._counts
        out._offsets = [o + seconds for o in self._offsets]
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
