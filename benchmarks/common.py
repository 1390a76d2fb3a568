"""Shared helpers for the benchmarks: machine description, statistics, an X server, a CPU hog,
isolated user folders, /proc readings of a process tree, and the fuzzers' tally and
hypothesis settings.

Nothing here imports Qt at module level, so ``run_all`` can describe the machine and start
Xvfb before any benchmark process creates a QApplication.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: A busy loop, one per core, for the "under load" measurements.
HOG_CODE = "while True:\n    pass\n"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# ----------------------------------------------------------------------------- the machine
def machine_info() -> dict[str, Any]:
    """nproc, CPU model, RAM, OS, Python, Qt and PySide6 versions, date (UTC)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.release()})"
                break
    except OSError:
        pass
    qt = pyside = "?"
    try:
        import PySide6
        from PySide6 import QtCore

        qt, pyside = QtCore.qVersion(), PySide6.__version__
    except ImportError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": ram_gib,
        "os": os_name,
        "python": platform.python_version(),
        "qt": qt,
        "pyside6": pyside,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# ------------------------------------------------------------------------------ statistics
def median_worst(values: Iterable[float], digits: int = 2) -> dict[str, float | None]:
    """Median and worst (largest absolute value, sign kept) of ``values``."""
    data = list(values)
    if not data:
        return {"median": None, "worst": None}
    return {
        "median": round(statistics.median(data), digits),
        "worst": round(max(data, key=abs), digits),
    }


def across_runs(runs: list[dict[str, Any]], key: str) -> dict[str, float | None]:
    """Median of the runs' ``key`` values and the worst (largest absolute) of them."""
    return median_worst([r[key] for r in runs if r.get(key) is not None])


# ---------------------------------------------------------------------------- an X server
def have_display() -> bool:
    return bool(os.environ.get("DISPLAY")) or bool(os.environ.get("WAYLAND_DISPLAY"))


@contextmanager
def x_server(size: tuple[int, int] = (1280, 800)) -> Iterator[str]:
    """Make sure an X server is there: keep ``$DISPLAY`` if set, else start Xvfb (through
    PyVirtualDisplay, which pytest-xvfb depends on) and set ``$DISPLAY`` for children too."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    from pyvirtualdisplay import Display

    display = Display(visible=False, size=size, color_depth=24)
    display.start()
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = f":{display.display}"
    try:
        yield os.environ["DISPLAY"]
    finally:
        display.stop()
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old


# ------------------------------------------------------------------------------ a CPU hog
@contextmanager
def cpu_hog(processes: int = 2) -> Iterator[list[int]]:
    """``processes`` busy-loop Python processes (both cores busy on a 2-core machine), killed
    by their own pid afterwards."""
    hogs = [
        subprocess.Popen([sys.executable, "-c", HOG_CODE], stdin=subprocess.DEVNULL)
        for _ in range(processes)
    ]
    try:
        time.sleep(0.5)  # let them reach full speed
        yield [h.pid for h in hogs]
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait(timeout=10)


# ------------------------------------------------------------------- isolated user folders
def isolated_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment with every XDG folder inside ``root``: the user's data is untouched
    and every launch is a first launch."""
    env = dict(os.environ)
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env.setdefault("XDG_RUNTIME_DIR", str(runtime))
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def installed_env(root: Path, bytecode: Path, **extra: str) -> dict[str, str]:
    """A first launch's environment (:func:`isolated_env`) with compiled bytecode read from
    and written to ``bytecode``, as from an installed wheel (nothing written into the
    checkout; see benchmarks/startup.py's module notes)."""
    env = isolated_env(root, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return env


# ----------------------------------------------------------------------------- /proc reading
def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces.
    return text[text.rindex(")") + 2 :].split()


def children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid``."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == parent]
        found.extend(kids)
        frontier.extend(kids)
    return found


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` plus its waited-for children (cutime + cstime)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    # Fields after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS


def tree_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU seconds of ``pid`` and each live descendant, by pid."""
    return {p: cpu_seconds(p) for p in [pid, *children_of(pid)]}


def status_kib(pid: int, key: str) -> int | None:
    """A ``/proc/<pid>/status`` value in KiB, e.g. ``VmHWM`` or ``VmRSS``."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def tool(name: str) -> str | None:
    return shutil.which(name)


def main_for(
    run: Callable[..., dict[str, Any]],
    summary_lines: Callable[[dict[str, Any]], list[str]],
    needs_x: bool = True,
) -> None:
    """``python -m benchmarks.<name> [--quick] [--json]``: run one benchmark (under Xvfb when
    it needs a display and none is set), print its summary, and the raw numbers on request."""
    import json

    with x_server() if needs_x else nullcontext():
        result = run(quick="--quick" in sys.argv)
    print("\n".join(summary_lines(result)))
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))


# ------------------------------------------------------------------------------ fuzzing
class Tally:
    """Counts examples by kind and keeps the first few unexpected outcomes."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.unexpected: list[str] = []
        self.unexpected_count = 0

    def bad(self, kind: str, text: str) -> None:
        self.unexpected_count += 1
        if len(self.unexpected) < 5:
            self.unexpected.append(f"{kind}: {text}")

    def summary(self, started: float) -> dict[str, Any]:
        return {
            "examples": sum(self.kinds.values()),
            "by_mutation": dict(sorted(self.kinds.items())),
            "outcomes": dict(sorted(self.outcomes.items())),
            "unexpected": self.unexpected_count,
            "unexpected_first": self.unexpected,
            "seconds": round(time.monotonic() - started, 1),
        }


def hypothesis_settings(examples: int) -> Any:
    """A fuzzer's hypothesis settings: ``examples`` fixed examples, failures tallied."""
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: failures are recorded, not raised
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same examples on every machine
    )
