"""The audio output's libraries load on a worker thread, and the GUI thread hears when."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject

import timer_app.speech.sound_libraries as sound_libraries
from timer_app.speech.sound_libraries import SoundLibraries, import_sound_libraries

pytestmark = pytest.mark.usefixtures("qapp")


def test_the_libraries_are_imported_off_the_gui_thread_and_loaded_is_said_on_it(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    importers: list[threading.Thread] = []
    monkeypatch.setattr(
        sound_libraries,
        "import_sound_libraries",
        lambda: importers.append(threading.current_thread()),
    )
    said_on: list[threading.Thread] = []
    owner = QObject()
    libraries = SoundLibraries(owner)
    libraries.loaded.connect(lambda: said_on.append(threading.current_thread()))
    assert not libraries.is_loaded
    with qtbot.waitSignal(libraries.loaded, timeout=5000):
        libraries.start()
        libraries.start()  # once is enough
    assert libraries.is_loaded
    assert len(importers) == 1 and importers[0] is not threading.main_thread()
    assert said_on == [threading.main_thread()]


def test_a_failed_import_still_says_loaded(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The output's own import then fails where it is handled (no sound, a notice).
    def broken() -> None:
        raise ImportError("libpulse.so.0: cannot open shared object file")

    monkeypatch.setattr(sound_libraries, "import_sound_libraries", broken)
    owner = QObject()
    libraries = SoundLibraries(owner)
    with qtbot.waitSignal(libraries.loaded, timeout=5000):
        libraries.start()
    assert libraries.is_loaded


def test_what_is_imported_is_what_the_output_needs() -> None:
    import_sound_libraries()
    assert {"miniaudio", "numpy", "timer_app.speech.mixer"} <= set(sys.modules)
