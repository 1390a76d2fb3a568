"""Event-loop stalls while phrases render and play: how late a 5 ms timer ticks.

The GUI must stay responsive while a session's phrases are rendered (in the worker process)
and played (on miniaudio's thread). A precise 5 ms ``QTimer`` ticks on the GUI thread while a
:class:`ClipSpeaker` renders nine phrases at a rate not cached yet (a fresh cache folder per
run) and plays, silences and plays again three of them, as in
``tests/audio/test_playback.py``; the gaps between ticks are the event loop's reaction time.
The test there asserts, load-proof, that the app itself neither works nor waits on the GUI
thread; the milliseconds belong here, on a quiet machine (target: worst gap < 30 ms).

The sound libraries are imported before the ticks start. Their one-time import (~0.2 s of
CPU) comes shortly after the app's first paint; it used to run on the GUI thread when the
device probe answered and froze the window for that long (issue 16), and now runs on a worker
thread (``timer_app/speech/sound_libraries.py``). *After the first paint* measures that
stretch in the real app: ``timer-app`` (a first launch, a sound server present, so the probe
says yes and the output is created) with the same 5 ms timer started by the start-up
benchmark's first-paint hook, for 2.5 s: the work the app defers to just after the paint
(crash handler, routines, the session part, voice check, speaker, history) runs one step per
event-loop turn until ``steps_left`` is 0 (``timer_app/ui/first_paint.py``); the longest gap
until then is the window's longest freeze at start-up, the worst gap after that is what the
user meets while the window is already up (the history chart's
library is loaded 3 s after start-up, past the window, at an idle moment).

Run: ``python -m benchmarks.event_loop_stall [--quick]`` (prints JSON).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, machine_info

PHRASES = [
    "Left side. Passive hold, two minutes. Relax into the stretch.",
    "Build to half effort.",
    "Halfway. One minute left.",
]
TARGET_WORST_MS = 30.0
#: How long after the first paint the app's event loop is watched.
AFTER_PAINT_SECONDS = 2.5
#: The app, run as ``timer-app`` runs it, with a 5 ms ticker started at its first paint (the
#: start-up benchmark's hook); prints the gaps (ms, and when each began, ms after the paint).
AFTER_PAINT_DRIVER = r"""
import json, os, sys, time
os.environ["TIMER_APP_BENCH_FIRST_PAINT"] = os.devnull
import timer_app.ui.app as gui_start
from timer_app.__main__ import main

seconds = float(sys.argv[1])

def watch(_target):
    from PySide6.QtCore import QTimer, Qt
    from PySide6.QtWidgets import QApplication
    from timer_app.ui.first_paint import steps_left
    window = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow")
    painted = time.monotonic()
    last, gaps, steps_done = [painted], [], []
    def tick():
        now = time.monotonic()
        gaps.append(((now - last[0]) * 1000, (last[0] - painted) * 1000))
        last[0] = now
        if not steps_done and steps_left(window) == 0:
            steps_done.append((now - painted) * 1000)
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)
    ticker.start(5)
    watch.ticker = ticker
    def report():
        loaded = "miniaudio" in sys.modules and "numpy" in sys.modules
        done = steps_done[0] if steps_done else None
        report = {"gaps": gaps, "sound_libraries_loaded": loaded, "steps_done_ms": done}
        print(json.dumps(report), flush=True)
        os._exit(0)
    QTimer.singleShot(int(seconds * 1000), report)

gui_start._note_time = watch
sys.argv[1:] = []
main()
"""


def one_run(app: Any, rate: int) -> list[float]:
    """The gaps (ms) between 5 ms ticks while one speaker renders and plays."""
    import miniaudio  # noqa: F401
    import numpy  # noqa: F401
    from PySide6.QtCore import Qt, QTimer

    from timer_app.core.cues import Cue, CueKind
    from timer_app.settings import Settings
    from timer_app.speech.clip_speaker import ClipSpeaker

    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    def wait(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)
    ticker.start(5)
    speaker = ClipSpeaker(Settings(speech_rate=rate))
    speaker.start_probing()
    speaker.prepare([f"{p} Round {n}." for p in PHRASES for n in ("one", "two", "three")])
    deadline = time.monotonic() + 30
    while not speaker.is_prepared() and time.monotonic() < deadline:
        wait(0.005)
    for text in PHRASES:
        speaker.play(Cue(CueKind.ANNOUNCE, text + " Round one.", 0.0), 0.0)
        wait(0.3)
        speaker.silence()
    speaker.shutdown()
    ticker.stop()
    return gaps[1:]


def after_first_paint(folder: Path, env: dict[str, str]) -> dict[str, Any]:
    """One launch of the app: the gap starting at its first paint (the deferred start-up
    work) and the worst gap after it, up to AFTER_PAINT_SECONDS."""
    from benchmarks.common import installed_env

    sound = {k: env[k] for k in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}
    child = installed_env(folder, folder.parent / "pyc", **sound)
    done = subprocess.run(
        [sys.executable, "-c", AFTER_PAINT_DRIVER, str(AFTER_PAINT_SECONDS)],
        cwd=REPO,
        env=child,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"the app ended without a report: {done.stderr[-500:]}")
    report = json.loads(lines[-1])
    gaps = report["gaps"]
    # The deferred start-up steps run one per turn from the paint until steps_done_ms: the
    # longest gap among them is the window's longest freeze at start-up.
    done = report.get("steps_done_ms") or 1.0
    deferred = [gap for gap, began in gaps if began < done]
    later = [gap for gap, began in gaps if began >= done]
    return {
        "deferred_start_ms": round(max(deferred, default=0.0), 1),
        "deferred_steps_done_ms": round(done, 1),
        "worst_after_ms": round(max(later, default=0.0), 1),
        "sound_libraries_loaded": report["sound_libraries_loaded"],
        "load_1min": os.getloadavg()[0],
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Median and worst tick gap over a few runs, with ``uptime``'s load beside them."""
    sys.path.insert(0, str(REPO))
    from tests.audio.rig import PulseServer

    with tempfile.TemporaryDirectory(prefix="bench-stall-") as tmp:
        server = PulseServer(root=Path(tmp) / "pulse").start()
        os.environ["PULSE_SERVER"] = server.server
        os.environ["XDG_RUNTIME_DIR"] = str(server.root)
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # every phrase rendered anew
        try:
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance() or QApplication([])
            # First the app's own start (one untimed launch writes its bytecode).
            launches = []
            for n in range(2 if quick else 6):
                launch = after_first_paint(Path(tmp) / f"app{n}", dict(os.environ))
                if n > 0:
                    launches.append(launch)
            runs = []
            for n in range(1 if quick else 5):
                gaps = one_run(app, rate=170 + n)
                runs.append(
                    {
                        "ticks": len(gaps),
                        "median_ms": round(statistics.median(gaps), 2),
                        "worst_ms": round(max(gaps), 1),
                        "over_30_ms": sum(1 for g in gaps if g > TARGET_WORST_MS),
                        "load_1min": os.getloadavg()[0],
                    }
                )
        finally:
            server.stop()
    worst = max(r["worst_ms"] for r in runs)
    worst_after = max(launch["worst_after_ms"] for launch in launches)
    return {
        "name": "event_loop_stall",
        "machine": machine_info(),
        "runs": runs,
        "worst_ms": worst,
        "median_ms": statistics.median(r["median_ms"] for r in runs),
        "after_first_paint": {
            "launches": launches,
            "deferred_start_ms_median": statistics.median(
                launch["deferred_start_ms"] for launch in launches
            ),
            "worst_after_ms_median": statistics.median(
                launch["worst_after_ms"] for launch in launches
            ),
            "worst_after_ms": worst_after,
        },
        "met": {
            "worst": worst < TARGET_WORST_MS,
            "after_first_paint": worst_after < TARGET_WORST_MS
            and all(launch["sound_libraries_loaded"] for launch in launches),
        },
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
