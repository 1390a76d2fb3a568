"""CPU used while a session runs: CPU seconds per minute of session, app plus its children.

``timer-app --routine FILE --start`` is launched, FILE being quick-hip-check without its
block-height test (which would hold the session at a dialog nobody answers: see
``benchmarks.startup.unmeasured_routine``), with isolated XDG folders and a private PulseAudio
server with a null sink when PulseAudio is installed, so cues are really rendered and played.
After its first paint and 30 s of settling (the session's phrases rendered, and the built-in
routines' phrases the app renders in the background after start-up, so the speech worker is idle
or gone), the utime + stime of the app process and every descendant (the speech worker) are read
from ``/proc/<pid>/stat`` at the start and end of consecutive windows; each window's CPU time is
scaled to one minute. The windows (30 to 90 s in) cover the end of the first passive hold with
its count-down, the PAIL with its climbing effort bar and ramp cues, the RAIL and the switch to
the other side: quiet stretches and cues, as a session is.
Target: under 0.6 CPU-seconds per minute (1 % of one core).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import isolated_env, tree_cpu_seconds
from benchmarks.startup import ROUTINE, end, launch, session_command

TARGET_PER_MINUTE = 0.6
SETTLE_SECONDS = 30.0


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (a process born in between counts whole)."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def measure(
    windows: int, window_s: float, sound: bool = True, settle: float = SETTLE_SECONDS
) -> dict[str, Any]:
    """One launch; ``windows`` consecutive windows of ``window_s`` seconds."""
    from contextlib import ExitStack

    per_minute: list[float] = []
    app_only: list[float] = []
    with tempfile.TemporaryDirectory(prefix="cpu-bench-") as folder, ExitStack() as stack:
        home = Path(folder)
        extra = {"TIMER_APP_BENCH_FIRST_PAINT": str(home / "painted")}
        audio = "none"
        if sound:
            try:
                from tests.audio.rig import PulseServer, RigUnavailable

                server = PulseServer()
                try:
                    server.start()
                    stack.callback(server.stop)
                    extra.update(PULSE_SERVER=server.server, XDG_RUNTIME_DIR=str(server.root))
                    audio = "PulseAudio null sink"
                except RigUnavailable as exc:
                    audio = f"none ({exc})"
            except ImportError as exc:
                audio = f"none ({exc})"
        env = isolated_env(home, **extra)
        proc, _ = launch(session_command(home, ROUTINE), env)
        try:
            time.sleep(settle)
            before = tree_cpu_seconds(proc.pid)
            for _ in range(windows):
                started = time.monotonic()
                time.sleep(window_s)
                if proc.poll() is not None:
                    raise RuntimeError("the app ended during the measurement")
                after = tree_cpu_seconds(proc.pid)
                elapsed = time.monotonic() - started
                per_minute.append(_delta(before, after) * 60 / elapsed)
                app_only.append((after[proc.pid] - before.get(proc.pid, 0.0)) * 60 / elapsed)
                before = after
            processes = len(after)
        finally:
            end(proc)
    return {
        "audio": audio,
        "per_minute": per_minute,
        "app_only_per_minute": app_only,
        "processes": processes,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Full: one launch, three consecutive 20 s windows (30 s to 90 s into the session)."""
    result = measure(1, 1.0, settle=0.5) if quick else measure(3, 20.0)
    values = result["per_minute"]
    return {
        "name": "cpu_usage",
        "routine": ROUTINE,
        "audio": result["audio"],
        "windows": len(values),
        "window_s": 1.0 if quick else 20.0,
        "processes": result["processes"],
        "cpu_s_per_min": {
            "median": round(statistics.median(values), 3),
            "worst": round(max(values), 3),
        },
        "app_process_cpu_s_per_min": {
            "median": round(statistics.median(result["app_only_per_minute"]), 3),
            "worst": round(max(result["app_only_per_minute"]), 3),
        },
        "all_windows": [round(v, 3) for v in values],
        "target": TARGET_PER_MINUTE,
        "met": max(values) < TARGET_PER_MINUTE,
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    c, a = result["cpu_s_per_min"], result["app_process_cpu_s_per_min"]
    return [
        f"CPU while running {result['routine']} ({result['windows']} x {result['window_s']} s, "
        f"audio: {result['audio']}, {result['processes']} processes):",
        f"  app + children: median {c['median']} s/min, worst {c['worst']} s/min "
        f"(target < {TARGET_PER_MINUTE}) -> {'met' if result['met'] else 'MISSED'}",
        f"  app process alone: median {a['median']} s/min, worst {a['worst']} s/min",
        f"  windows: {result['all_windows']}",
    ]


if __name__ == "__main__":
    from benchmarks.common import main_for

    main_for(run, summary_lines)
