"""After a dialog, the keys reach the session again, with no window manager to help.

A desktop's window manager gives the keyboard back to the main window when a dialog closes.
A bare X session (a kiosk, a small tablet; the test X server here) has none: the focus fell to
the root window, and Space or a presenter remote did nothing after the "before the drill"
heights were saved, until someone got up and clicked the window. Real keys, through the X
server (xdotool, XTEST), as a keyboard or a clicker sends them; the window is never given the
focus by hand after the dialog.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui import test_session_window as session_window
from tests.gui.test_session_window import Rig
from timer_app.ui import focus_return
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool")


@pytest.fixture
def rig(qtbot, qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    watcher = focus_return.install(qapp)  # as timer_app.ui.app does after the first paint
    # The short routine, asking the heights before (no timed test step) and after.
    asks_before = session_window.SHORT.replace('when = "after"\nseconds = 10', 'when = "both"')
    assert asks_before != session_window.SHORT
    monkeypatch.setattr(session_window, "SHORT", asks_before)
    yield Rig(qtbot, tmp_path)
    watcher.uninstall()


def press(*keys: str) -> None:
    """Keys on the X keyboard: they go wherever the X server has the focus."""
    subprocess.run(["xdotool", "key", "--delay", "50", *keys], check=True)


def test_space_pauses_right_after_the_before_the_drill_heights_are_saved(rig: Rig) -> None:
    asked: list[ResultsDialog] = []

    def answer_when_asked() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ResultsDialog) or not dialog.isActiveWindow():
            QTimer.singleShot(20, answer_when_asked)
            return
        asked.append(dialog)
        press("3", "Tab", "3", "Return")  # left height, right height, save

    QTimer.singleShot(0, answer_when_asked)
    rig.start()  # asks at once, before the first step
    rig.qtbot.waitUntil(lambda: bool(asked) and not asked[0].isVisible())
    assert rig.window.flow.controller is not None
    assert asked[0].entries() is not None  # saved, not put off
    states: list[str] = []
    rig.window.flow.controller.state_changed.connect(states.append)
    rig.qtbot.waitUntil(rig.window.isActiveWindow)
    press("space")
    rig.qtbot.waitUntil(lambda: bool(states))
    assert states == ["paused"]


def test_keys_come_back_after_a_message_box_over_a_dialog(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A message over a dialog gives the keys back to the dialog, and the dialog to the
    window: each closes with the key a person would press."""
    dialog = ResultsDialog(
        rig.window, sides=["left"], when="after", routine_name="Hip IR", settings=rig.settings
    )
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    box = QMessageBox(QMessageBox.Icon.Information, "Mobility Timer", "Saved.", parent=dialog)
    box.show()
    qtbot.waitUntil(box.isActiveWindow)
    press("Return")  # closes the message box
    qtbot.waitUntil(lambda: not box.isVisible())
    qtbot.waitUntil(dialog.isActiveWindow)

    press("Escape")  # closes the dialog ("Later")

    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(rig.window.isActiveWindow)
