"""How the history store scales: 20 years of daily sessions, each with results.

Builds ~7300 sessions of the hip IR routine (a realistic ~33-entry log each, left and right
results after every session, before values once a week) in a temporary folder, then times
what the app does: open the store, list sessions (all, and one routine's), latest results
and personal bests, import + open + list in a fresh interpreter, one progress save (the
fsync'd commit made on every step change), CSV export and import.
Run ``python -m benchmarks.history_scale``; ``run()`` returns the numbers.
"""

from __future__ import annotations

import io
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Side
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline
from timer_app.storage.csv_io import export_csv, import_csv
from timer_app.storage.history import History

ROUTINES = Path(__file__).resolve().parent.parent / "routines"
YEARS = 20


def _median_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and worst time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def _log_for(steps: int, rng: random.Random) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = [{"t": 0.0, "event": "started", "step": 0, "detail": {}}]
    t = 0.0
    for step in range(1, steps):
        t += rng.choice((15.0, 20.0, 30.0, 120.0))
        log.append({"t": t, "event": "step", "step": step, "detail": {}})
    log.append({"t": t, "event": "finished", "step": steps - 1, "detail": {}})
    return log


def build(path: Path, days: int, seed: int = 20) -> float:
    """Fill a new store with one session a day for ``days`` days; return seconds taken."""
    rng = random.Random(seed)
    routine = load_routine(ROUTINES / "hip-ir-lying.toml")
    timeline = build_timeline(routine)
    first = datetime(2006, 1, 1, 7, 0, tzinfo=UTC)
    left, right = 15.0, 22.5
    start = time.perf_counter()
    with History(path) as history, history.batch():
        for day in range(days):
            when = first + timedelta(days=day, minutes=rng.randint(0, 120))
            sid = history.start_session(routine, timeline, started_at=when)
            log = _log_for(len(timeline.steps), rng)
            history.update_progress(sid, len(timeline.steps) - 1, 0.0, log[-1]["t"], log)
            history.end_session(
                sid, "completed", log[-1]["t"], log, ended_at=when + timedelta(minutes=21)
            )
            left = min(60.0, max(5.0, left + rng.uniform(-1.0, 1.1)))
            right = min(60.0, max(5.0, right + rng.uniform(-1.0, 1.05)))
            entries = [
                ResultEntry(Side.LEFT, round(left, 2), round(left / 7.5, 2), "blocks"),
                ResultEntry(Side.RIGHT, round(right, 2), round(right / 7.5, 2), "blocks", pain=1),
            ]
            if day % 7 == 0:
                entries.append(
                    ResultEntry(Side.LEFT, round(left - 3, 2), round(left - 3, 2), "cm", "before")
                )
            history.save_results(sid, entries)
    return time.perf_counter() - start


# Import, open and list in a new interpreter: what opening the history window first costs.
_FRESH = """
import sys, time
start = time.perf_counter()
from timer_app.storage.history import History
with History(sys.argv[1]) as history:
    count = len(history.sessions())
print((time.perf_counter() - start) * 1000, count)
"""


def _fresh_process_ms(path: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _FRESH, str(path)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[0])


def run(days: int = YEARS * 365, repeat: int = 5) -> dict[str, float]:
    """Build the history and time the operations; numbers in ms unless the key says so."""
    with tempfile.TemporaryDirectory(prefix="history-scale-") as folder:
        path = Path(folder) / "history.sqlite3"
        build_seconds = build(path, days)
        results: dict[str, float] = {
            "sessions": days,
            "build_s": round(build_seconds, 2),
            "file_mb": round(sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6, 2),
        }

        def open_close() -> None:
            History(path).close()

        results["open_ms"], results["open_max_ms"] = _median_ms(open_close, repeat)
        with History(path) as history:
            records: list[Any] = []

            def list_all() -> None:
                records[:] = history.sessions()

            results["sessions_ms"], results["sessions_max_ms"] = _median_ms(list_all, repeat)
            assert len(records) == days
            results["sessions_routine_ms"], _ = _median_ms(
                lambda: history.sessions("hip-ir-lying"), repeat
            )
            results["latest_and_bests_ms"], _ = _median_ms(
                lambda: (history.latest_results("hip-ir-lying"),
                         history.personal_bests("hip-ir-lying")),
                repeat,
            )  # fmt: skip
            start = time.perf_counter()
            with History(path) as fresh:
                records = fresh.sessions()
            results["open_plus_sessions_ms"] = (time.perf_counter() - start) * 1000

            routine = load_routine(ROUTINES / "hip-ir-lying.toml")
            live = history.start_session(routine, build_timeline(routine))
            log = _log_for(29, random.Random(1))
            step = iter(range(10_000))
            results["progress_commit_ms"], results["progress_commit_max_ms"] = _median_ms(
                lambda: history.update_progress(live, next(step), 1.0, 100.0, log), 50
            )
            history.end_session(live, "stopped")

            out = io.StringIO()
            start = time.perf_counter()
            export_csv(history, out)
            results["export_csv_ms"] = (time.perf_counter() - start) * 1000
            results["csv_mb"] = round(len(out.getvalue().encode()) / 1e6, 2)
        results["fresh_process_ms"] = _fresh_process_ms(path)
        with History(Path(folder) / "copy.sqlite3") as copy:
            start = time.perf_counter()
            imported = import_csv(copy, io.StringIO(out.getvalue()), "export.csv")
            results["import_csv_ms"] = (time.perf_counter() - start) * 1000
            assert imported == days + 1
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in results.items()}


def main() -> None:
    numbers = run()
    print(f"History store, {numbers['sessions']:.0f} daily sessions ({YEARS} years) with results")
    for key, value in numbers.items():
        print(f"  {key:<24} {value}")


if __name__ == "__main__":
    main()
