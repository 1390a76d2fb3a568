"""Full screen shows only the session, covers the screen even without a window manager (the
test X server has none), Esc leaves it before anything else, and it can be where the app
starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.layout_checks import clipped_texts, overlapping_siblings
from tests.gui.test_session_window import Rig
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    """The session window tests' rig: a main window with fakes on a fake clock."""
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def _full(rig: Rig, on: bool) -> None:
    rig.qtbot.waitUntil(lambda: rig.window.isFullScreen() == on)
    rig.qtbot.wait(20)  # the layout settles after the resize


def test_full_screen_shows_only_the_session_and_covers_the_screen(rig: Rig) -> None:
    rig.start()
    normal = rig.window.geometry()
    rig.key(Qt.Key.Key_F)
    _full(rig, True)
    view = rig.view
    assert rig.window.geometry() == rig.window.screen().geometry()
    assert not rig.window.menuBar().isVisible()
    assert not view.button_strip.isVisible()
    assert view.keys_hint.isVisible()
    for part in (view.phase_label, view.countdown, view.instruction_label, view.next_label):
        assert part.isVisible()
    assert view.countdown.digit_pixel_height() >= 0.25 * rig.window.height()
    assert clipped_texts(view) == []
    assert overlapping_siblings(view) == []
    rig.key(Qt.Key.Key_F)
    _full(rig, False)
    assert rig.window.geometry() == normal
    assert rig.window.menuBar().isVisible()
    assert view.button_strip.isVisible()
    assert not view.keys_hint.isVisible()


def test_escape_leaves_full_screen_before_asking_to_stop(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_F11)
    _full(rig, True)
    rig.key(Qt.Key.Key_Escape)
    _full(rig, False)
    assert not rig.window.flow.stop_overlay.isVisible()
    assert rig.engine.is_running  # leaving full screen neither pauses nor stops
    rig.key(Qt.Key.Key_Escape)
    assert rig.window.flow.stop_overlay.isVisible()


def test_full_screen_button_and_escape_on_the_start_screen(rig: Rig) -> None:
    rig.start()
    rig.qtbot.mouseClick(rig.view.buttons["fullscreen"], Qt.MouseButton.LeftButton)
    _full(rig, True)
    rig.window.flow.controller.stop()  # type: ignore[union-attr]
    rig.window.show_start()
    rig.key(Qt.Key.Key_Escape)
    _full(rig, False)


def test_starting_in_full_screen_is_a_setting(
    rig: Rig,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    action = rig.window.start_full_screen_action
    assert not action.isChecked()
    action.trigger()
    assert Settings.load(tmp_path / "settings.toml").start_full_screen
    rig.window.hide()
    rig.window.show_first()
    _full(rig, True)
    assert not rig.window.menuBar().isVisible()
    # The menu bar is hidden, its keys are not: H still opens the history (none here).
    action.trigger()
    assert not Settings.load(tmp_path / "settings.toml").start_full_screen
