"""Run the app as ``timer-app`` does and print, as JSON, what is loaded when its first Paint
event arrives (tests/gui/test_startup_imports.py): the modules, and whether PySide6 has
created its ``Qt`` namespace (made on first use, with all its enum classes). The process ends
right there: what the app does after its first paint is not this script's business."""

from __future__ import annotations

import json
import os
import sys

import PySide6.QtCore
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from timer_app.__main__ import main


class AtFirstPaint(QObject):
    """Prints what is loaded at the first Paint event any widget gets, then exits."""

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            loaded = {
                "modules": sorted(sys.modules),
                # A type PySide6 has not made yet is not in its module's namespace.
                "qt_namespace": "Qt" in vars(PySide6.QtCore),
            }
            print(json.dumps(loaded), flush=True)
            os._exit(0)  # no clean-up: nothing after the first paint is being looked at
        return False


app = QApplication(sys.argv[:1])
watcher = AtFirstPaint()
app.installEventFilter(watcher)
sys.argv[1:] = []  # `timer-app` alone, as a launcher starts it
main()
