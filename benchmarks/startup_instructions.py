"""Start-up in instructions: launch to first paint counted by callgrind, app against a bare
window. Unlike the wall-clock figures of ``benchmarks/startup.py`` this count does not depend on
what else the machine runs (the same build gives the same count to ~0.01 %), so a change's
effect on start-up can be told on a shared, loaded machine.

Each program runs under ``valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0``, bytecode
already compiled (one plain launch first, as an installed wheel has its ``.pyc``), its own XDG
folders and the first-paint hook of ``benchmarks/startup.py``; on the event-loop turn after the
window's first paint the process ends at once (``os._exit``), so the count is the work from
launch to the first painted window. Three launches are counted:

- ``bare``: QApplication + an empty 1280x800 QMainWindow;
- ``app_first``: ``timer-app`` with empty XDG folders (the first launch ever: no start-screen
  cache, every routine file parsed);
- ``app``: ``timer-app`` again with the same folders (every later launch: the start screen is
  drawn from the cache the launch before wrote after its first paint).

Slow (valgrind runs each launch ~50x slower: about a minute each); not part of ``make bench``.
``python -m benchmarks.startup_instructions`` prints JSON; it needs valgrind and an X server
(it starts Xvfb if ``$DISPLAY`` is unset).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, installed_env, x_server
from benchmarks.startup import BARE_WINDOW

#: Under valgrind the app runs some 50x slower, but its timers keep real time: the work
#: deferred to the first paint has a 0.5 s fallback (``first_paint.NO_PAINT_FALLBACK_MS``, for
#: a window that never paints) that would fire long before the paint and be counted. So that
#: module's constants are raised as it is imported, without importing it (nor PySide6) sooner
#: than the app does: the import order is part of what is measured.
NO_FALLBACK = r"""
import importlib.abc, sys

class _Raise(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "timer_app.ui.first_paint":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.NO_PAINT_FALLBACK_MS = 10**8

        spec.loader.exec_module = exec_module
        return spec

import importlib.util
sys.meta_path.insert(0, _Raise())
"""

#: Runs ``timer-app`` (no options, as a launcher starts it) and ends it right after its first
#: paint: the benchmark hook's note is replaced by an exit.
APP_TO_FIRST_PAINT = (
    NO_FALLBACK
    + r"""
import os, sys
import timer_app.ui.app as gui_start
from timer_app.cli import main

def stop(target):
    open(target, "w").write("painted\n")
    os._exit(0)

gui_start._note_time = stop
sys.argv[1:] = []
main()
"""
)

#: The bare window, ending the same way.
BARE_TO_FIRST_PAINT = BARE_WINDOW.replace(
    'Path(target).write_text(f"{time.monotonic()} {time.process_time()}\\n")',
    '(Path(target).write_text("painted\\n"), os._exit(0))',
)


def count(code: str, env: dict[str, str], out: Path) -> int:
    """Instructions callgrind counted for ``python -c code`` until it ended."""
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-c",
            code,
        ],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=900,
    )
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    raise RuntimeError(f"no instruction total in {out}")


def launch_plain(code: str, env: dict[str, str]) -> None:
    """Once without valgrind: writes the bytecode (and, for the app, the start-screen cache
    of these folders, on the turn after the paint, which the plain run reaches)."""
    subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="startup-instr-") as folder:
        root = Path(folder)
        pyc = root / "pyc"

        def env(name: str) -> dict[str, str]:
            home = root / name
            return installed_env(
                home, pyc, PYTHONHASHSEED="0", TIMER_APP_BENCH_FIRST_PAINT=str(home / "painted")
            )

        # Bytecode for both programs, in homes of their own (the counted homes stay empty).
        launch_plain(BARE_TO_FIRST_PAINT, env("warm-bare"))
        launch_plain(APP_TO_FIRST_PAINT, env("warm-app"))
        bare = count(BARE_TO_FIRST_PAINT, env("bare"), root / "bare.out")
        first = count(APP_TO_FIRST_PAINT, env("app"), root / "app_first.out")
        # The counted first launch ended at its paint, before writing any cache: a plain
        # launch that lives on past the paint leaves what a user's first launch leaves.
        finish_start(env("app"))
        again = count(APP_TO_FIRST_PAINT, env("app"), root / "app.out")
    return {
        "bare_minstr": round(bare / 1e6, 1),
        "app_first_launch_minstr": round(first / 1e6, 1),
        "app_minstr": round(again / 1e6, 1),
        "ratio_first_launch": round(first / bare, 3),
        "ratio": round(again / bare, 3),
    }


#: ``timer-app`` left running for a moment after its first paint (its deferred start-up work
#: done), then closed as a user closes it (which saves the settings: window size), so the next
#: launch finds what a user's finds.
APP_PAST_FIRST_PAINT = r"""
import os, sys
import timer_app.ui.app as gui_start
from timer_app.cli import main
from PySide6.QtCore import QTimer

def close():
    from PySide6.QtWidgets import QApplication

    QApplication.closeAllWindows()
    os._exit(0)

def later(_target):
    QTimer.singleShot(1500, close)

gui_start._note_time = later
sys.argv[1:] = []
main()
"""


def finish_start(env: dict[str, str]) -> None:
    launch_plain(APP_PAST_FIRST_PAINT, env)


def main() -> None:
    started = time.monotonic()
    with x_server():
        result = measure()
    result["seconds"] = round(time.monotonic() - started, 1)
    result["loadavg"] = os.getloadavg()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
