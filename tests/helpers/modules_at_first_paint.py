"""Run the app as ``timer-app`` does and print, as JSON, the modules loaded when its first
Paint event arrives (tests/gui/test_startup_imports.py). The process ends right there: what
the app does after its first paint is not this script's business."""

from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from timer_app.__main__ import main


class AtFirstPaint(QObject):
    """Prints ``sys.modules`` at the first Paint event any widget gets, then exits."""

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(json.dumps(sorted(sys.modules)), flush=True)
            os._exit(0)  # no clean-up: nothing after the first paint is being looked at
        return False


app = QApplication(sys.argv[:1])
watcher = AtFirstPaint()
app.installEventFilter(watcher)
sys.argv[1:] = []  # `timer-app` alone, as a launcher starts it
main()
