"""Event-loop stalls while phrases render and play: how late a 5 ms timer ticks.

The GUI must stay responsive while a session's phrases are rendered (in the worker process)
and played (on miniaudio's thread). A precise 5 ms ``QTimer`` ticks on the GUI thread while a
:class:`ClipSpeaker` renders nine phrases at a rate not cached yet (a fresh cache folder per
run) and plays, silences and plays again three of them, as in
``tests/audio/test_playback.py``; the gaps between ticks are the event loop's reaction time.
The test there asserts, load-proof, that the app itself neither works nor waits on the GUI
thread; the milliseconds belong here, on a quiet machine (target: worst gap < 30 ms).

The sound libraries are imported before the ticks start: their one-time import, when the
device probe answers after the first paint, is a start-up cost (``benchmarks/startup.py``).

Run: ``python -m benchmarks.event_loop_stall [--quick]`` (prints JSON).
"""

from __future__ import annotations

import json
import os
import statistics
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
    return {
        "name": "event_loop_stall",
        "machine": machine_info(),
        "runs": runs,
        "worst_ms": worst,
        "median_ms": statistics.median(r["median_ms"] for r in runs),
        "met": {"worst": worst < TARGET_WORST_MS},
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
