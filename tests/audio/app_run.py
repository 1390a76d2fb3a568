"""Running ``timer-app --routine FILE --start`` as a user would, on the private PulseAudio server,
and reading what its sink plays: used by the session-edge audio tests and by
``benchmarks/cue_latency.py``.

The app gets its own config, data and cache folders (a first run: nothing rendered yet unless
the caller keeps the cache), a routine of short steps whose announcements fit inside them, and
settings with no lead-in and no tones, so every onset on the sink is a step's announcement. When
a step *really* started is not visible from outside; the later steps' onsets give it: they are
heard a steady few milliseconds after their boundaries, which lie ``STEP_SECONDS`` apart.
"""

from __future__ import annotations

import array
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.audio.rig import RATE, Aligner, PulseServer, Recorder, frame_rms, onsets

STEP_SECONDS = 6
#: Five steps of six seconds, each announced ("Left side. Passive hold, six seconds." ~2.5 s).
ROUTINE = f"""
schema = 1
id = "edges"
name = "Edges"

[main]
rounds = 1
sides = "both"
first_side = "left"
switch_sides = {STEP_SECONDS}

[[main.phases]]
kind = "passive"
seconds = {STEP_SECONDS}

[[main.phases]]
kind = "rail"
seconds = {STEP_SECONDS}
"""
STEPS = 5  # left passive, left RAIL, switch, right passive, right RAIL
SETTINGS = 'lead_in_seconds = 0\ntones = false\nlast_routine_id = "edges"\n'
#: RMS (16-bit) above which a 2 ms frame is sound (-50 dBFS), as in the cue latency benchmark.
SOUND_RMS = 100.0


def app_command() -> list[str]:
    """The installed ``timer-app`` script beside this interpreter, else ``-m timer_app``."""
    script = Path(sys.executable).with_name("timer-app")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "timer_app"]


class SoundWatch:
    """Tells, without blocking, whether the sink has played anything since the watch began."""

    def __init__(self, recorder: Recorder) -> None:
        self._raw = recorder.raw_path
        self._seen = self._raw.stat().st_size // 2 if self._raw.exists() else 0

    def heard(self) -> bool:
        frame = RATE // 500  # 2 ms
        with self._raw.open("rb") as raw:
            raw.seek(self._seen * 2)
            data = raw.read()
        usable = len(data) // (2 * frame) * frame
        if not usable:
            return False
        samples = array.array("h")
        samples.frombytes(data[: usable * 2])
        self._seen += usable
        return any(level >= SOUND_RMS for level in frame_rms(samples, frame))


@dataclass
class AppRun:
    """One launched app, recorded from before its start until :meth:`finish`."""

    home: Path
    server: PulseServer
    proc: subprocess.Popen[bytes]
    recorder: Recorder
    launched: float

    @classmethod
    def launch(cls, home: Path, server: PulseServer, keep_cache: bool = False) -> AppRun:
        for name in ("config", "data") + (() if keep_cache else ("cache",)):
            shutil.rmtree(home / name, ignore_errors=True)
        config = home / "config" / "timer-app"
        config.mkdir(parents=True)
        (config / "settings.toml").write_text(SETTINGS)
        routine = home / "edges.toml"
        routine.write_text(ROUTINE)
        env = server.env()
        env.update(
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CACHE_HOME=str(home / "cache"),
        )
        env.pop("QT_QPA_PLATFORM", None)  # a real X window (Xvfb), so keys can be sent to it
        recorder = Recorder(server).start()
        launched = time.monotonic()
        proc = subprocess.Popen(
            [*app_command(), "--routine", str(routine), "--start"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return cls(home, server, proc, recorder, launched)

    def wait_for_sound(self, timeout: float = 20.0) -> float:
        """Block until the sink plays something; returns when that was noticed (monotonic,
        a few ms after the sound itself)."""
        watch = SoundWatch(self.recorder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if watch.heard():
                return time.monotonic()
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}")
            time.sleep(0.003)
        raise RuntimeError(f"no sound within {timeout} s")

    def press(self, key: str) -> float:
        """Press ``key`` in the app's window (xdotool through XTEST, as a keyboard would);
        returns the moment just before the key went out."""
        found = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(self.proc.pid)],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        window = found.stdout.split()[-1]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], timeout=10, check=True)
        at = time.monotonic()
        subprocess.run(["xdotool", "key", key], timeout=10, check=True)
        return at

    def finish(self) -> tuple[array.array[int], Aligner]:
        """Stop the app (its process group; its speech worker exits with its pipe) and the
        recording; returns the recording."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        return self.recorder.stop()


def first_announcement_delay(heard: list[float]) -> tuple[float, list[float]]:
    """(how late the first onset is against the schedule the later ones give, the later
    onsets' offsets from that schedule). ``heard``: the onsets, one per step, in order."""
    later = [heard[k] - k * STEP_SECONDS for k in range(1, len(heard))]
    start = statistics.median(later)
    return heard[0] - start, [t - start for t in later]


def step_onsets(samples: array.array[int], aligner: Aligner) -> list[float]:
    return onsets(samples, aligner, threshold=SOUND_RMS, min_gap=0.5)


def loudest_after(samples: array.array[int], aligner: Aligner, start: float, end: float) -> float:
    """The loudest 10 ms frame (RMS) between monotonic times ``start`` and ``end``."""
    frame = RATE // 100
    rms = frame_rms(samples, frame)
    picked = [v for i, v in enumerate(rms) if start <= aligner(i * frame) < end]
    return max(picked, default=0.0)
