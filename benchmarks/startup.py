"""Start-up: launch to first painted window, against a bare PySide6 window; peak memory.

The ``timer-app`` command (the venv's console script, as a user starts it) is launched as a
subprocess with every XDG folder in a temporary folder (the user's data is untouched) and
``TIMER_APP_BENCH_FIRST_PAINT=<file>``. The main figures are *later launches*: each program
keeps its folders from launch to launch, as a user's are, so the app finds what its first
launch left (the start-screen cache, ``timer_app/core/start_cache.py``: the start screen is
drawn without parsing a routine file); the app's *very first launch* (new, empty folders each
time, every routine file parsed) is timed alongside as its own figure. The app writes
``time.monotonic()`` to
that file on the event-loop turn after its window's first Paint event (the window's own, not
any widget's seen through a filter on the whole application: that filter calls into Python for
every event of every widget, ~40 ms of CPU for the app, which no user pays), with the CPU time
the process has
used by then (``time.process_time()``, less at the mercy of other load than wall time; the hook
is in ``timer_app/ui/app.py``). The clock is system-wide, so the launch-to-paint time is that
value minus the parent's clock just before the spawn. A bare window (``QApplication`` + an empty
1280x800 ``QMainWindow``, the same hook) is launched the same way, alternately, in the same run.
One untimed launch of each warms the file cache and writes each program's bytecode (the app's
is kept running until it has written its start-screen cache).

Bytecode: ``pip install`` compiles every module of a wheel to ``.pyc`` (and the venv's
packages have theirs), so an installed app never compiles its sources at launch. A checkout
run with ``PYTHONDONTWRITEBYTECODE=1`` (as CI sets) would compile the app's ~60 modules on
every launch, which no user pays. So both programs run with bytecode caching on and a private
``PYTHONPYCACHEPREFIX`` in the run's temporary folder (nothing is written into the checkout);
the untimed launch fills it, and the timed ones read it, as an installed copy does.

The same is measured from outside the process, as a user sees it: ``xev -root -event
substructure`` (started before the launch) reports the X server's ``MapNotify`` for the new
top-level window the moment it is mapped; its arrival time minus the spawn time is the
*mapped* figure. ``xdotool search --sync --onlyvisible --pid`` runs alongside as a second
witness, but it polls every 0.5 s, so its figure is only good to half a second.

Peak memory: the app is launched with ``--routine FILE --start`` (FILE: quick-hip-check without
its block-height test, see ``unmeasured_routine``) and ``VmHWM``
(peak resident set) of the app process is read 10 s into the session; the speech worker
process is reported apart. Run under X (``run_all`` starts Xvfb; ``python -m
benchmarks.startup`` starts one if ``$DISPLAY`` is unset).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, children_of, installed_env, isolated_env, status_kib

TARGET_RATIO = 1.5
TARGET_PEAK_MIB = 150.0
#: The whole session process tree (app + speech helpers), resident (issue 16).
TARGET_TREE_MIB = 150.0
ROUTINE = "quick-hip-check"
TREE_ROUTINE = "hip-ir-lying"

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
            window.removeEventFilter(self)
            QTimer.singleShot(
                0, lambda: Path(target).write_text(f"{time.monotonic()} {time.process_time()}\n")
            )
        return False

window = QMainWindow()
window.installEventFilter(FirstPaint(window))
window.resize(1280, 800)
window.show()
app.exec()
"""


def spawn(command: list[str], env: dict[str, str], *, stderr: int) -> subprocess.Popen[bytes]:
    """Start a measured program from the repository, in its own process group (so the speech
    worker ends with it), with no input and its output discarded."""
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )


def launch(
    command: list[str], env: dict[str, str], timeout: float = 30.0
) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``command``; return the process once it has painted and the seconds it took."""
    proc, seconds, _cpu = launch_timed(command, env, timeout)
    return proc, seconds


def launch_timed(
    command: list[str], env: dict[str, str], timeout: float = 30.0
) -> tuple[subprocess.Popen[bytes], float, float]:
    """Start ``command``; return the process once it has painted, the seconds it took and the
    CPU seconds the process had used by then (less at the mercy of other load than wall
    time)."""
    marker = Path(env["TIMER_APP_BENCH_FIRST_PAINT"])
    marker.unlink(missing_ok=True)
    spawned = time.monotonic()
    proc = spawn(command, env, stderr=subprocess.PIPE)
    while time.monotonic() - spawned < timeout:
        if marker.exists() and marker.read_text().endswith("\n"):
            painted, cpu = (float(field) for field in marker.read_text().split())
            return proc, painted - spawned, cpu
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


def unmeasured_routine(folder: Path, routine_id: str) -> Path:
    """The built-in routine ``routine_id`` without its block-height test, as a file in
    ``folder`` (id ``bench-<id>``, so it is not taken for the built-in). Every built-in asks
    the heights before it starts, in a dialog nobody answers here: with ``--start`` it would
    wait there, and what is measured would be an app showing a dialog, not a session."""
    import tomllib

    import tomli_w

    data = tomllib.loads((REPO / "routines" / f"{routine_id}.toml").read_text())
    data.pop("measurement", None)
    data["id"] = f"bench-{routine_id}"
    path = folder / f"bench-{routine_id}.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def session_command(folder: Path, routine_id: str) -> list[str]:
    """``timer-app --routine FILE --start``: a session of ``routine_id`` running at once."""
    return app_command("--routine", str(unmeasured_routine(folder, routine_id)), "--start")


def app_command(*extra: str) -> list[str]:
    """The ``timer-app`` command of this venv (``python -m timer_app`` if not installed)."""
    script = Path(sys.executable).with_name("timer-app")
    if script.exists():
        return [str(script), *extra]
    return [sys.executable, "-m", "timer_app", *extra]


def bare_command() -> list[str]:
    return [sys.executable, "-c", BARE_WINDOW]


def hooked_env(home: Path, bytecode: Path) -> dict[str, str]:
    """An installed launch's environment (XDG folders in ``home``) that has the app note its
    first paint."""
    return installed_env(home, bytecode, TIMER_APP_BENCH_FIRST_PAINT=str(home / "painted"))


def start_cache_file(home: Path) -> Path:
    """Where the app launched with ``hooked_env(home, ...)`` keeps its start-screen cache."""
    return home / "cache" / "timer-app" / "start-screen.json"


def first_launch_done(home: Path, timeout: float = 10.0) -> None:
    """Wait until the app's first launch in ``home`` has left what a later launch finds (the
    start-screen cache, written after the first paint), so ending it does not cut that off."""
    deadline = time.monotonic() + timeout
    while not start_cache_file(home).exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"no start-screen cache in {home} after {timeout} s")
        time.sleep(0.01)


def first_paint(runs: int) -> dict[str, Any]:
    """``runs`` timed launches of each program (alternating), after one untimed launch of
    each. ``bare`` and ``app`` are later launches: each keeps its XDG folders from launch to
    launch, as a user's do, so the app finds the start-screen cache its untimed first launch
    wrote. ``app_first`` is the app's very first launch: new, empty folders every time."""
    wall: dict[str, list[float]] = {"app": [], "bare": [], "app_first": []}
    cpu: dict[str, list[float]] = {"app": [], "bare": [], "app_first": []}
    with tempfile.TemporaryDirectory(prefix="startup-bench-", ignore_cleanup_errors=True) as folder:
        root = Path(folder)
        for n in range(runs + 1):
            for name, command in (
                ("bare", bare_command()),
                ("app", app_command()),
                ("app_first", app_command()),
            ):
                home = root / (f"first{n}" if name == "app_first" else name)
                proc, seconds, cpu_s = launch_timed(command, hooked_env(home, root / "pyc"))
                if n == 0 and name == "app":
                    first_launch_done(home)
                end(proc)
                if n > 0:
                    wall[name].append(seconds * 1000)
                    cpu[name].append(cpu_s * 1000)
    app_s, bare_s, first_s = wall["app"], wall["bare"], wall["app_first"]
    ratios = [a / b for a, b in zip(app_s, bare_s, strict=True)]
    return {
        "runs": runs,
        "app_ms": _stats(app_s),
        "bare_ms": _stats(bare_s),
        "ratio_median": round(statistics.median(app_s) / statistics.median(bare_s), 2),
        "ratio_worst": round(max(ratios), 2),
        # The process's own CPU time (all its threads) up to the first paint: the work each
        # program does, whatever else the machine runs.
        "app_cpu_ms": _stats(cpu["app"]),
        "bare_cpu_ms": _stats(cpu["bare"]),
        "cpu_ratio_median": round(
            statistics.median(cpu["app"]) / statistics.median(cpu["bare"]), 2
        ),
        # The very first launch: no start-screen cache yet, every routine file parsed.
        "app_first_launch_ms": _stats(first_s),
        "first_launch_ratio_median": round(
            statistics.median(first_s) / statistics.median(bare_s), 2
        ),
        "app_first_launch_cpu_ms": _stats(cpu["app_first"]),
    }


class MapWatcher:
    """``xev`` on the root window: the monotonic time of each top-level window's MapNotify."""

    def __init__(self) -> None:
        command = ["xev", "-root", "-event", "substructure"]
        if shutil.which("stdbuf"):
            command = ["stdbuf", "-oL", *command]  # a line as soon as the event comes
        self._proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self._mapped: queue.Queue[float] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        time.sleep(0.3)  # xev connected and selecting events before anything is launched

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith("MapNotify"):
                self._mapped.put(time.monotonic())

    def next_map(self, timeout: float) -> float | None:
        try:
            return self._mapped.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain(self) -> None:
        while not self._mapped.empty():
            self._mapped.get_nowait()

    def close(self) -> None:
        self._proc.kill()
        self._proc.wait(timeout=5)


def window_mapped(runs: int) -> dict[str, Any]:
    """Launch to the window mapped, seen from outside (xev; xdotool as a coarse witness)."""
    if not (shutil.which("xev") and shutil.which("xdotool")):
        return {"error": "xev or xdotool missing (Debian packages x11-utils, xdotool)"}
    mapped: dict[str, list[float]] = {"app": [], "bare": []}
    xdotool: dict[str, list[float]] = {"app": [], "bare": []}
    watcher = MapWatcher()
    try:
        # Cleaning up may race a killed process group's last writes (bytecode): not an error.
        with tempfile.TemporaryDirectory(
            prefix="mapped-bench-", ignore_cleanup_errors=True
        ) as folder:
            for n in range(runs + 1):
                for name, command in (("bare", bare_command()), ("app", app_command())):
                    # Later launches, as in first_paint: the same folders each time.
                    home = Path(folder) / name
                    env = hooked_env(home, Path(folder) / "pyc")
                    watcher.drain()
                    spawned = time.monotonic()
                    proc = spawn(command, env, stderr=subprocess.DEVNULL)
                    witness = subprocess.Popen(
                        ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(proc.pid)],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    try:
                        at = watcher.next_map(timeout=30)
                        witness.wait(timeout=30)
                        seen = time.monotonic()
                        if n == 0 and name == "app":
                            first_launch_done(home)
                    finally:
                        if witness.poll() is None:
                            witness.kill()
                            witness.wait()
                        end(proc)
                    if at is None:
                        raise RuntimeError(f"{command} mapped no window within 30 s")
                    if n > 0:
                        mapped[name].append((at - spawned) * 1000)
                        xdotool[name].append((seen - spawned) * 1000)
    finally:
        watcher.close()
    return {
        "runs": runs,
        "app_ms": _stats(mapped["app"]),
        "bare_ms": _stats(mapped["bare"]),
        "ratio_median": round(
            statistics.median(mapped["app"]) / statistics.median(mapped["bare"]), 2
        ),
        "ratio_worst": round(
            max(a / b for a, b in zip(mapped["app"], mapped["bare"], strict=True)), 2
        ),
        "xdotool_app_ms": _stats(xdotool["app"], 0),
        "xdotool_bare_ms": _stats(xdotool["bare"], 0),
    }


def peak_memory(runs: int, seconds: float) -> dict[str, Any]:
    """VmHWM of the app ``seconds`` into a session of ``quick-hip-check`` (MiB)."""
    app_mib: list[float] = []
    worker_mib: list[float] = []
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as folder:
        for n in range(runs):
            home = Path(folder) / f"run{n}"
            env = isolated_env(home, TIMER_APP_BENCH_FIRST_PAINT=str(home / "painted"))
            proc, _ = launch(session_command(home, ROUTINE), env)
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


def session_tree(seconds: float) -> dict[str, Any]:
    """Resident memory (VmRSS, and VmHWM) of the app and of each helper process it started,
    ``seconds`` into a session of ``TREE_ROUTINE`` (MiB)."""
    with tempfile.TemporaryDirectory(prefix="tree-bench-") as folder:
        env = isolated_env(Path(folder), TIMER_APP_BENCH_FIRST_PAINT=str(Path(folder) / "p"))
        proc, _ = launch(session_command(Path(folder), TREE_ROUTINE), env)
        try:
            time.sleep(seconds)
            if proc.poll() is not None:
                raise RuntimeError("the app ended during the session")
            helpers = [
                {
                    "pid": pid,
                    "command": _command_line(pid),
                    "rss_mib": round((status_kib(pid, "VmRSS") or 0) / 1024, 1),
                    "hwm_mib": round((status_kib(pid, "VmHWM") or 0) / 1024, 1),
                }
                for pid in children_of(proc.pid)
            ]
            app_rss = round((status_kib(proc.pid, "VmRSS") or 0) / 1024, 1)
            app_hwm = round((status_kib(proc.pid, "VmHWM") or 0) / 1024, 1)
        finally:
            end(proc)
    tree = round(app_rss + sum(h["rss_mib"] for h in helpers), 1)
    return {
        "routine": TREE_ROUTINE,
        "seconds_into_session": seconds,
        "app_rss_mib": app_rss,
        "app_hwm_mib": app_hwm,
        "helpers": helpers,
        "tree_rss_mib": tree,
    }


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:80]


def _stats(values: list[float], digits: int = 1) -> dict[str, float]:
    return {"median": round(statistics.median(values), digits), "worst": round(max(values), digits)}


def run(quick: bool = False) -> dict[str, Any]:
    paint = first_paint(1 if quick else 7)
    mapped = window_mapped(1 if quick else 7)
    memory = peak_memory(1, 2.0) if quick else peak_memory(2, 10.0)
    tree = session_tree(3.0 if quick else 25.0)
    return {
        "name": "startup",
        "platform": os.environ.get("QT_QPA_PLATFORM") or "xcb",
        "first_paint": paint,
        "mapped": mapped,
        "memory": memory,
        "session_tree": tree,
        "targets": {
            "ratio_to_bare": TARGET_RATIO,
            "peak_mib": TARGET_PEAK_MIB,
            "tree_rss_mib": TARGET_TREE_MIB,
        },
        "met": {
            "ratio_to_bare": paint["ratio_median"] <= TARGET_RATIO
            and mapped.get("ratio_median", 99) <= TARGET_RATIO,
            "peak_memory": memory["app_peak_mib"]["worst"] < TARGET_PEAK_MIB,
            "session_tree": tree["tree_rss_mib"] <= TARGET_TREE_MIB,
        },
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    p, m = result["first_paint"], result["memory"]
    return [
        f"Start-up to first paint, later launches ({p['runs']} runs, {result['platform']}):",
        f"  app   median {p['app_ms']['median']} ms, worst {p['app_ms']['worst']} ms",
        f"  bare  median {p['bare_ms']['median']} ms, worst {p['bare_ms']['worst']} ms",
        f"  ratio median {p['ratio_median']}x (target <= {TARGET_RATIO}x),"
        f" worst {p['ratio_worst']}x",
        f"  CPU time to first paint: app median {p['app_cpu_ms']['median']} ms, bare"
        f" {p['bare_cpu_ms']['median']} ms, ratio {p['cpu_ratio_median']}x",
        f"  the app's very first launch (no start-screen cache): median"
        f" {p['app_first_launch_ms']['median']} ms, ratio {p['first_launch_ratio_median']}x,"
        f" CPU {p['app_first_launch_cpu_ms']['median']} ms",
        *_mapped_lines(result.get("mapped") or {}),
        *_tree_lines(result.get("session_tree") or {}),
        f"Peak memory {m['seconds_into_session']} s into a session: app VmHWM median "
        f"{m['app_peak_mib']['median']} MiB, worst {m['app_peak_mib']['worst']} MiB "
        f"(target < {TARGET_PEAK_MIB:.0f}); children {m['children_peak_mib']['worst']} MiB",
        f"  targets met: {result['met']}",
    ]


def _mapped_lines(w: dict[str, Any]) -> list[str]:
    if "app_ms" not in w:
        return [f"Launch to window mapped: {w.get('error', 'not measured')}"]
    return [
        f"Launch to window mapped, seen by xev ({w['runs']} runs): app median"
        f" {w['app_ms']['median']} ms, bare {w['bare_ms']['median']} ms, ratio"
        f" {w['ratio_median']}x (worst {w['ratio_worst']}x); xdotool --sync (0.5 s polls): app"
        f" {w['xdotool_app_ms']['median']} ms, bare {w['xdotool_bare_ms']['median']} ms",
    ]


def _tree_lines(t: dict[str, Any]) -> list[str]:
    if "tree_rss_mib" not in t:
        return []
    helpers = ", ".join(f"{h['rss_mib']} MiB ({h['command']})" for h in t["helpers"]) or "none"
    return [
        f"Session tree {t['seconds_into_session']} s into {t['routine']}: {t['tree_rss_mib']} MiB"
        f" resident (target <= {TARGET_TREE_MIB:.0f}); app {t['app_rss_mib']} MiB; helpers:"
        f" {helpers}",
    ]


if __name__ == "__main__":
    from benchmarks.common import main_for

    main_for(run, summary_lines)
