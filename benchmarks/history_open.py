"""How long the history window takes to open on 20 years of daily sessions (target < 300 ms).

The store is filled once by :func:`benchmarks.history_scale.build` (~7,300 sessions with
logs and results). Each measurement runs in a fresh Python process, as the user meets it:

* ``cold``: the first open in a process whose main window is already up, so it includes
  importing pyqtgraph (timed on its own too);
* ``warm``: a second window in the same process (pyqtgraph already loaded);
* ``first_in_app``: the first open in a process that loaded the chart library at an idle
  moment beforehand, as the app does 3 s after start-up (``MainWindow.preload_history_chart``):
  what a user pressing H on the start screen meets. The target applies to this one.

"Open" is from ``HistoryWindow(...)`` to the moment both the table's and the chart's
viewports have painted, taken from their Paint events (nothing is forced). It includes
reading every session from the store. Sorting the whole table by a column and switching
the routine filter are timed too. Qt runs on the ``offscreen`` platform unless ``DISPLAY``
is set and ``HISTORY_BENCH_QPA`` does not say otherwise.

Run ``python -m benchmarks.history_open``; ``run()`` returns the numbers.
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

YEARS = 20
TARGET_MS = 300.0
REPO = Path(__file__).resolve().parent.parent


def _measure(db: Path, preload: bool = False) -> dict[str, float]:
    """One process's measurements (called in the child process)."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from timer_app.settings import Settings
    from timer_app.storage.history import History
    from timer_app.ui.history_model import Column

    class PaintWatch(QObject):
        """Records when a viewport first paints."""

        def __init__(self) -> None:
            super().__init__()
            self.painted: dict[int, float] = {}

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.painted.setdefault(id(watched), time.perf_counter())
            return False

    # The real app has its main window up when H is pressed: warm Qt's style, fonts and
    # item views the same way, so "cold" measures what is really first-time (pyqtgraph).
    from PySide6.QtWidgets import QMainWindow, QTableView

    main = QMainWindow()
    main.setCentralWidget(QTableView())
    main.show()
    for _ in range(5):
        app.processEvents()

    history = History(db)
    out: dict[str, float] = {"sessions": float(len(history.sessions()))}
    if preload:  # what the app does at an idle moment on its start screen
        from timer_app.ui.history_view import preload_chart

        preload_chart()

    def open_once() -> tuple[float, Any]:
        # Imported inside the timed region on the first call: cold includes pyqtgraph.
        start = time.perf_counter()
        from timer_app.ui.history_view import HistoryWindow

        watch = PaintWatch()
        window = HistoryWindow(history, Settings())
        targets = [window.table.viewport(), window.chart.canvas.viewport()]
        for target in targets:
            target.installEventFilter(watch)
        window.show()
        deadline = start + 10.0
        while len(watch.painted) < len(targets) and time.perf_counter() < deadline:
            app.processEvents()
        if len(watch.painted) < len(targets):
            raise RuntimeError("the window never painted")
        return (max(watch.painted.values()) - start) * 1000, window

    out["pyqtgraph_loaded_before"] = float("pyqtgraph" in sys.modules)
    out["cold_ms"], window = open_once()
    start = time.perf_counter()
    window.model.sort(Column.LEFT, Qt.SortOrder.AscendingOrder)
    out["sort_ms"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    window.routine_filter.setCurrentIndex(1)
    app.processEvents()
    out["filter_ms"] = (time.perf_counter() - start) * 1000
    window.close()
    window.deleteLater()
    app.processEvents()
    warm = []
    for _ in range(3):
        ms, window = open_once()
        warm.append(ms)
        window.close()
        window.deleteLater()
        app.processEvents()
    out["warm_ms"] = statistics.median(warm)
    start = time.perf_counter()
    history.sessions()
    out["store_read_ms"] = (time.perf_counter() - start) * 1000
    history.close()
    main.close()
    return out


def _import_ms() -> float:
    """Time to import pyqtgraph in a fresh process that already has Qt loaded."""
    code = (
        "import time, PySide6.QtWidgets, numpy; t = time.perf_counter(); import pyqtgraph;"
        " print((time.perf_counter() - t) * 1000)"
    )
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return float(child.stdout.strip())


def run(runs: int = 5, days: int = YEARS * 365 + YEARS // 4) -> dict[str, Any]:
    """Build the store, open the window in ``runs`` fresh processes; medians and worsts."""
    from benchmarks.history_scale import build

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "history.sqlite3"
        build_s = build(db, days)
        env = dict(os.environ)
        platform = env.get("HISTORY_BENCH_QPA") or ("xcb" if env.get("DISPLAY") else "offscreen")
        env["QT_QPA_PLATFORM"] = platform
        samples = []
        preloaded = []
        for i in range(2 * runs):
            mode = "--child-preloaded" if i % 2 else "--child"
            child = subprocess.run(
                [sys.executable, "-m", "benchmarks.history_open", mode, str(db)],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if child.returncode != 0:
                raise RuntimeError(f"measurement failed:\n{child.stderr}")
            result = json.loads(child.stdout.strip().splitlines()[-1])
            (preloaded if i % 2 else samples).append(result)

    imports = [_import_ms() for _ in range(runs)]

    def stat(key: str) -> dict[str, float]:
        values = [s[key] for s in samples]
        return {"median": round(statistics.median(values), 1), "max": round(max(values), 1)}

    return {
        "sessions": int(samples[0]["sessions"]),
        "runs": runs,
        "platform": platform,
        "build_store_s": round(build_s, 2),
        "open_first_in_app_ms": {
            "median": round(statistics.median(s["cold_ms"] for s in preloaded), 1),
            "max": round(max(s["cold_ms"] for s in preloaded), 1),
        },
        "open_cold_ms": stat("cold_ms"),
        "open_warm_ms": stat("warm_ms"),
        "sort_column_ms": stat("sort_ms"),
        "filter_routine_ms": stat("filter_ms"),
        "store_read_ms": stat("store_read_ms"),
        "pyqtgraph_import_ms": {
            "median": round(statistics.median(imports), 1),
            "max": round(max(imports), 1),
        },
        "target_ms": TARGET_MS,
        "passed": statistics.median(s["cold_ms"] for s in preloaded) < TARGET_MS,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("--child", "--child-preloaded"):
        preload = sys.argv[1] == "--child-preloaded"
        print(json.dumps(_measure(Path(sys.argv[2]), preload=preload)))
        return
    result = run()
    print(f"History window on {result['sessions']} sessions ({result['platform']} platform):")
    for key in (
        "open_first_in_app_ms",
        "open_cold_ms",
        "open_warm_ms",
        "sort_column_ms",
        "filter_routine_ms",
    ):
        numbers = result[key]
        print(f"  {key:<18} median {numbers['median']:7.1f} ms   worst {numbers['max']:7.1f} ms")
    print(f"  of which: store read {result['store_read_ms']['median']:.1f} ms (median),")
    print(f"  pyqtgraph import {result['pyqtgraph_import_ms']['median']:.1f} ms (cold open only)")
    verdict = "PASS" if result["passed"] else "FAIL"
    print(f"  target: first open in the app < {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
