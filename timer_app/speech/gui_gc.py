"""Python's cyclic garbage collector run on the GUI thread only, while an audio stream (or
another worker thread running Python) runs.

The audio output's stream calls into Python from miniaudio's own thread every 40 ms. Python
collects garbage in whichever thread happens to allocate when a threshold is passed, so now
and then that would be the audio thread; a collection there can free a Qt object's wrapper
and so delete a widget off the GUI thread, which crashes Qt later. While any stream runs,
automatic collection is therefore off and a timer on the GUI thread collects instead, with
the same thresholds (the remedy pyqtgraph's ``GarbageCollector`` applies for the same reason).
The same holds while the sound libraries are imported on a worker thread (it allocates a lot).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QTimer

#: How often the GUI thread looks whether a collection is due.
INTERVAL_MS = 1000


class _GuiThreadCollector:
    """Counts the streams running; the first switches collection to a GUI-thread timer, the
    last one gone switches it back to automatic."""

    def __init__(self) -> None:
        self._streams = 0
        self._timer: QTimer | None = None

    def stream_running(self, running: bool) -> None:
        """Called on the GUI thread when a stream starts (True) or stops (False)."""
        if running:
            self._streams += 1
            if self._streams == 1:
                self._start()
        elif self._streams > 0:
            self._streams -= 1
            if self._streams == 0:
                self._stop()

    def _start(self) -> None:
        gc.disable()
        if self._timer is None:
            self._timer = QTimer(QCoreApplication.instance())
            self._timer.setInterval(INTERVAL_MS)
            self._timer.timeout.connect(self.collect)
        self._timer.start()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        gc.enable()

    @staticmethod
    def collect() -> None:
        """Collect the generations whose thresholds are passed, as automatic collection
        would have done."""
        count, threshold = gc.get_count(), gc.get_threshold()
        if count[0] > threshold[0]:
            generation = 0
            if count[1] > threshold[1]:
                generation = 2 if count[2] > threshold[2] else 1
            gc.collect(generation)


_collector = _GuiThreadCollector()


def stream_running(running: bool) -> None:
    """Tell the collector that an audio stream started or stopped (GUI thread only)."""
    _collector.stream_running(running)


def worker_running(running: bool) -> None:
    """The same for a worker thread that runs Python code (the sound libraries' import,
    speech/sound_libraries.py), told on the GUI thread when it starts and once it is done."""
    _collector.stream_running(running)
