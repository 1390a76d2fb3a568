"""Loading the audio output's libraries (miniaudio, numpy) off the GUI thread.

Their one-time import takes ~0.2 s of CPU. Done where the output is first created (when the
device probe answers, shortly after the window's first paint) it froze the window for that
long; a worker thread imports them instead, once the probe has found a device (without one,
nothing needs them), and :attr:`SoundLibraries.loaded` tells the GUI thread when they are in
(the event-loop gap is measured by ``benchmarks/event_loop_stall.py``).
"""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QObject, Signal

from timer_app.speech.gui_gc import worker_running

log = logging.getLogger(__name__)


def import_sound_libraries() -> None:
    """Import what :class:`~timer_app.speech.output.ClipOutput` needs."""
    import miniaudio  # noqa: F401
    import numpy  # noqa: F401

    import timer_app.speech.mixer  # noqa: F401


class SoundLibraries(QObject):
    """Imports the output's libraries on a worker thread; ``loaded`` is emitted on the GUI
    thread once they are imported (or failed to: creating the output then says why).

    The app uses one for the whole process (:func:`shared_sound_libraries`). Two things keep
    Qt objects from being deleted on the worker thread: the loader outlives the import (its
    owner keeps it; the worker's reference is never the last), and Python's cyclic garbage
    collection runs on the GUI thread meanwhile (speech/gui_gc.py): the import allocates
    enough to set it off, and it frees whatever Qt wrappers are garbage at that moment.
    """

    loaded = Signal()
    _finished = Signal()  # emitted by the worker thread, received on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._done = False
        self._finished.connect(self._on_finished)

    @property
    def is_loaded(self) -> bool:
        return self._done

    def start(self) -> None:
        """Start importing (once)."""
        if self._thread is None:
            worker_running(True)
            self._thread = threading.Thread(
                target=self._import, name="sound-libraries", daemon=True
            )
            self._thread.start()

    def _import(self) -> None:
        try:
            import_sound_libraries()
        except Exception:  # the output's own import says it again, where it is handled
            log.exception("cannot import the sound libraries")
        # Queued: the receiver lives on the GUI thread. RuntimeError: it is gone already (the
        # app quit during the import).
        with contextlib.suppress(RuntimeError):
            self._finished.emit()

    def _on_finished(self) -> None:
        worker_running(False)
        self._done = True
        self.loaded.emit()


_shared: SoundLibraries | None = None


def shared_sound_libraries() -> SoundLibraries:
    """The process's loader (the libraries load once per process), made on first use on the
    GUI thread and kept for the life of the process, so the worker always has someone to
    tell, however short-lived the speaker that started it."""
    global _shared
    if _shared is None:
        _shared = SoundLibraries()
    return _shared
