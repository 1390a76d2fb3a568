"""A held key acts once: holding Space (or a clicker's pause button) down must not pause and
resume the session over and over through the keyboard's auto-repeat.

Real keys, because the repeat lives in the X server: xdotool holds the key down on the test's
own X server (pytest-xvfb, whose keyboard repeats after 660 ms, 25 times a second) through
XTEST, as a keyboard would, so Qt gets a release and a press 25 times a second and routes each
press through its shortcut map. Qt flags only some of those presses as auto-repeated (here
most came unflagged), which is why the fix also knows a repeat by its timestamp. (QTest's key
events neither go through the shortcut map the way the window system's do nor carry the
auto-repeat flag, so they cannot show this.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from tests.gui.test_session_window import Rig
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.session_controller import ADJUST_STEP_SECONDS

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool")

#: Held this long, the X server sends the first press and then about eight repeats.
HOLD_MS = 1000


class PressCounter(QObject):
    """Counts the key presses the window system hands the application. Each is first offered
    to the window as a ShortcutOverride (a shortcut that takes it, as Space's does, consumes
    the KeyPress itself); Qt flags only some repeats as such, so all presses are counted."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, target: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and target.isWindowType():
            self.presses += 1
        return False


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def hold(rig: Rig, key: str) -> int:
    """Hold ``key`` (an X key name) down for HOLD_MS in the window; return how many presses
    the application got meanwhile (one, plus the repeats)."""
    counter = PressCounter()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(counter)
    env = {**os.environ}  # DISPLAY: pytest-xvfb's server, the one this window is on
    window = str(int(rig.window.winId()))
    try:
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)
        subprocess.run(["xdotool", "keydown", key], env=env, check=True)
        rig.qtbot.wait(HOLD_MS)
    finally:
        subprocess.run(["xdotool", "keyup", key], env=env, check=True)
        rig.qtbot.wait(50)  # the release arrives
        app.removeEventFilter(counter)
    return counter.presses


@pytest.mark.parametrize("key", ["space", "b", "F5"], ids=["Space", "clicker B", "clicker F5"])
def test_a_held_pause_key_pauses_once(rig: Rig, key: str) -> None:
    rig.start()
    assert rig.window.flow.controller is not None
    states: list[str] = []
    rig.window.flow.controller.state_changed.connect(states.append)
    presses = hold(rig, key)
    assert presses >= 4, f"the key did not repeat ({presses} presses): the test shows nothing"
    assert rig.engine.is_paused, f"states while held: {states}"
    assert states == ["paused"], f"one hold, one pause; got {states} from {presses} presses"


def test_two_quick_presses_still_pause_and_resume(rig: Rig) -> None:
    """Only repeats are dropped: a person pressing Space twice pauses and resumes."""
    rig.start()
    assert rig.window.flow.controller is not None
    states: list[str] = []
    rig.window.flow.controller.state_changed.connect(states.append)
    window = str(int(rig.window.winId()))
    subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
    subprocess.run(["xdotool", "key", "--delay", "150", "space", "space"], check=True)
    rig.qtbot.waitUntil(lambda: len(states) >= 2)
    assert states == ["paused", "running"]


def test_holding_up_keeps_adding_time(rig: Rig) -> None:
    """Where holding means "more", the repeats count: ↑ held adds time again and again."""
    rig.start()
    before = rig.engine.remaining()
    presses = hold(rig, "Up")
    assert presses >= 4, f"the key did not repeat ({presses} presses): the test shows nothing"
    added = rig.engine.remaining() - before
    assert added >= 3 * ADJUST_STEP_SECONDS, f"{presses} presses added {added} s"
