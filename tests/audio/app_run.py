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

STEP_SECONDS = 5
#: Five steps of five seconds, each announced ("Left side. Passive hold, five seconds." ~3 s).
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


#: No key auto-repeat (delay and interval of ten minutes), a laptop-sized screen.
XVFB = ["Xvfb", "-nolisten", "tcp", "-screen", "0", "1280x800x24", "-ardelay", "600000"]
XVFB += ["-arinterval", "600000"]


class KeyboardDisplay:
    """A private Xvfb for the launched app, with key auto-repeat off: on a busy machine the X
    server may process a key's press and release far enough apart to repeat it, and a repeated
    Space pauses and resumes at random. (Which is also why the app is not simply shown on the
    test session's display.)"""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.name = ""

    def start(self) -> KeyboardDisplay:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [*XVFB, "-displayfd", str(write)],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(write)
        with os.fdopen(read) as answer:
            number = answer.readline().strip()  # written once the server accepts clients
        if not number:
            self.stop()
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


def app_command() -> list[str]:
    """The installed ``timer-app`` script beside this interpreter, else ``-m timer_app``."""
    script = Path(sys.executable).with_name("timer-app")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "timer_app"]


class SoundWatch:
    """Tells, without blocking, whether a sound has *begun* on the sink since the watch began:
    sound after at least ``QUIET_BEFORE`` of silence. (The recording file may lag the sink by
    a moment on a busy machine, so the tail of a sound that was already playing when the watch
    began must not count as a new one.)"""

    QUIET_BEFORE = 0.1

    def __init__(self, recorder: Recorder) -> None:
        self._raw = recorder.raw_path
        self._seen = self._raw.stat().st_size // 2 if self._raw.exists() else 0
        self._quiet_frames = 0

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
        needed = round(self.QUIET_BEFORE / 0.002)
        for level in frame_rms(samples, frame):
            if level < SOUND_RMS:
                self._quiet_frames += 1
            elif self._quiet_frames >= needed:
                return True
            else:
                self._quiet_frames = 0
        return False


@dataclass
class AppRun:
    """One launched app, recorded from before its start until :meth:`finish`."""

    home: Path
    server: PulseServer
    proc: subprocess.Popen[bytes]
    recorder: Recorder
    launched: float
    display: str
    #: When the last :meth:`press` began (before xdotool started): a bound from below.
    last_press_started: float = 0.0

    @classmethod
    def launch(
        cls, home: Path, server: PulseServer, display: str, keep_cache: bool = False
    ) -> AppRun:
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
        env["DISPLAY"] = display
        recorder = Recorder(server).start()
        launched = time.monotonic()
        with (home / "app.log").open("wb") as log:
            proc = subprocess.Popen(
                [*app_command(), "--routine", str(routine), "--start"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(home, server, proc, recorder, launched, display)

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

    def _xdotool(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DISPLAY": self.display}
        return subprocess.run(
            ["xdotool", *args], env=env, capture_output=True, text=True, timeout=10, check=True
        )

    def press(self, key: str) -> float:
        """Press ``key`` in the app's window (xdotool through XTEST, as a keyboard would);
        returns the moment the key had surely gone out (xdotool done: its own start-up of
        15-30 ms is the rig's, not the app's)."""
        found = self._xdotool("search", "--sync", "--onlyvisible", "--pid", str(self.proc.pid))
        self._xdotool("windowfocus", "--sync", found.stdout.split()[-1])
        self.last_press_started = time.monotonic()
        self._xdotool("key", key)
        return time.monotonic()

    def log(self) -> str:
        """What the app wrote to stdout and stderr (for a failing test's message)."""
        path = self.home / "app.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

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
