"""Run the app as ``timer-app`` does and print, as JSON, what is loaded when its window's first
paint is done (tests/gui/test_startup_imports.py): the modules, in the order they were first
imported, and the Qt classes PySide6 has made (it makes each on first use, with its enum
classes; the ``Qt`` namespace alone holds ~150 of them). The process ends right there: what
the app does after its first paint is not this script's business.

Nothing from PySide6 is imported here before the app imports it (what comes before it and
what after is part of what is checked): the moment is taken from the start-up benchmark's
hook (``TIMER_APP_BENCH_FIRST_PAINT``, benchmarks/startup.py), which runs on the event-loop
turn after the window's first Paint event, before the work deferred to that turn.
"""

from __future__ import annotations

import json
import os
import sys

import timer_app.ui.app as gui_start
from timer_app.__main__ import main


def report(_target: str) -> None:
    """In place of the hook's note: print what is loaded, then end the process."""
    from PySide6 import QtCore, QtGui, QtWidgets

    loaded = {
        "modules": list(sys.modules),  # insertion order: the order of first import
        # A type PySide6 has not made yet is not in its module's namespace.
        "qt_types": sorted(
            name
            for module in (QtCore, QtGui, QtWidgets)
            for name, value in vars(module).items()
            if isinstance(value, type)
        ),
    }
    print(json.dumps(loaded), flush=True)
    os._exit(0)  # no clean-up: nothing after the first paint is being looked at


os.environ["TIMER_APP_BENCH_FIRST_PAINT"] = os.devnull  # turns the hook on
gui_start._note_time = report  # type: ignore[assignment]
sys.argv[1:] = []  # `timer-app` alone, as a launcher starts it
main()
