"""Start-up: launch to first painted window, against a bare PySide6 window; peak memory.

``python -m timer_app`` is launched as a subprocess with every XDG folder in a fresh temporary
folder (a first launch; the user's data is untouched) and ``TIMER_APP_BENCH_FIRST_PAINT=<file>``:
the app writes ``time.monotonic()`` to that file on the event-loop turn after its first Paint
event (the hook is ``_note_first_paint`` in ``timer_app/ui/app.py``). The clock is system-wide,
so the launch-to-paint time is that value minus the parent's clock just before the spawn.
A bare window (``QApplication`` + an empty 1280x800 ``QMainWindow``, the same hook) is launched
the same way, alternately, in the same run. One untimed launch of each warms the file cache.

Peak memory: the app is launched with ``--routine quick-hip-check --start`` and ``VmHWM``
(peak resident set) of the app process is read 10 s into the session; the speech worker
process is reported apart. Run under X (``run_all`` starts Xvfb; ``python -m
benchmarks.startup`` starts one if ``$DISPLAY`` is unset).
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, children_of, isolated_env, status_kib

TARGET_RATIO = 2.0
TARGET_PEAK_MIB = 150.0
ROUTINE = "quick-hip-check"

BARE_WINDOW = r"""
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
target = os.environ["TIMER_APP_BENCH_FIRST_PAINT"]

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            app.removeEventFilter(self)
            QTimer.singleShot(0, lambda: Path(target).write_text(f"{time.monotonic()}\n"))
        return False

app.installEventFilter(FirstPaint(app))
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.exec()
"""


def launch(
    command: list[str], env: dict[str, str], timeout: float = 30.0
) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``command``; return the process once it has painted and the seconds it took."""
    marker = Path(env["TIMER_APP_BENCH_FIRST_PAINT"])
    marker.unlink(missing_ok=True)
    spawned = time.monotonic()
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the speech worker ends with it
    )
    while time.monotonic() - spawned < timeout:
        if marker.exists() and marker.read_text().endswith("\n"):
            return proc, float(marker.read_text()) - spawned
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"{command} exited with {proc.returncode} before painting:\n{err}")
        time.sleep(0.002)
    end(proc)
    raise RuntimeError(f"{command} did not paint within {timeout} s")


def end(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process we started, and its process group (speech worker), by its id."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group may outlive its leader
    if proc.stderr:
        proc.stderr.close()


def app_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "timer_app", *extra]


def bare_command() -> list[str]:
    return [sys.executable, "-c", BARE_WINDOW]


def first_paint(runs: int) -> dict[str, Any]:
    """``runs`` timed launches of each (alternating), after one untimed launch of each."""
    app_s: list[float] = []
    bare_s: list[float] = []
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        for n in range(runs + 1):
            for name, command, into in (
                ("bare", bare_command(), bare_s),
                ("app", app_command(), app_s),
            ):
                home = Path(folder) / f"{name}{n}"
                env = isolated_env(home, TIMER_APP_BENCH_FIRST_PAINT=str(home / "painted"))
                proc, seconds = launch(command, env)
                end(proc)
                if n > 0:
                    into.append(seconds * 1000)
    ratios = [a / b for a, b in zip(app_s, bare_s, strict=True)]
    return {
        "runs": runs,
        "app_ms": _stats(app_s),
        "bare_ms": _stats(bare_s),
        "ratio_median": round(statistics.median(app_s) / statistics.median(bare_s), 2),
        "ratio_worst": round(max(ratios), 2),
    }


def peak_memory(runs: int, seconds: float) -> dict[str, Any]:
    """VmHWM of the app ``seconds`` into a session of ``quick-hip-check`` (MiB)."""
    app_mib: list[float] = []
    worker_mib: list[float] = []
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as folder:
        for n in range(runs):
            home = Path(folder) / f"run{n}"
            env = isolated_env(home, TIMER_APP_BENCH_FIRST_PAINT=str(home / "painted"))
            proc, _ = launch(app_command("--routine", ROUTINE, "--start"), env)
            try:
                time.sleep(seconds)
                if proc.poll() is not None:
                    raise RuntimeError("the app ended during the session")
                hwm = status_kib(proc.pid, "VmHWM")
                kids = [status_kib(pid, "VmHWM") for pid in children_of(proc.pid)]
            finally:
                end(proc)
            if hwm is not None:
                app_mib.append(hwm / 1024)
            worker_mib.append(sum(k for k in kids if k is not None) / 1024)
    return {
        "runs": runs,
        "seconds_into_session": seconds,
        "app_peak_mib": _stats(app_mib, 1),
        "children_peak_mib": _stats(worker_mib, 1),
    }


def _stats(values: list[float], digits: int = 1) -> dict[str, float]:
    return {"median": round(statistics.median(values), digits), "worst": round(max(values), digits)}


def run(quick: bool = False) -> dict[str, Any]:
    paint = first_paint(1 if quick else 5)
    memory = peak_memory(1, 2.0) if quick else peak_memory(2, 10.0)
    return {
        "name": "startup",
        "platform": os.environ.get("QT_QPA_PLATFORM") or "xcb",
        "first_paint": paint,
        "memory": memory,
        "targets": {"ratio_to_bare": TARGET_RATIO, "peak_mib": TARGET_PEAK_MIB},
        "met": {
            "ratio_to_bare": paint["ratio_median"] <= TARGET_RATIO,
            "peak_memory": memory["app_peak_mib"]["worst"] < TARGET_PEAK_MIB,
        },
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    p, m = result["first_paint"], result["memory"]
    return [
        f"Start-up to first paint ({p['runs']} runs, {result['platform']}):",
        f"  app   median {p['app_ms']['median']} ms, worst {p['app_ms']['worst']} ms",
        f"  bare  median {p['bare_ms']['median']} ms, worst {p['bare_ms']['worst']} ms",
        f"  ratio median {p['ratio_median']}x (target <= {TARGET_RATIO}x),"
        f" worst {p['ratio_worst']}x",
        f"Peak memory {m['seconds_into_session']} s into a session: app VmHWM median "
        f"{m['app_peak_mib']['median']} MiB, worst {m['app_peak_mib']['worst']} MiB "
        f"(target < {TARGET_PEAK_MIB:.0f}); children {m['children_peak_mib']['worst']} MiB",
        f"  targets met: {result['met']}",
    ]


if __name__ == "__main__":
    from benchmarks.common import main_for

    main_for(run, summary_lines)
