"""Media keys, headset buttons and presenter clickers drive the session as its own keys do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.gui.test_session_window import Rig
from timer_app.core.commands import REMOTE_KEYS
from timer_app.ui.dialogs import ConfirmStop, KeysDialog
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.session_view import CONTROLS


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def press(
    rig: Rig, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press ``key`` as a keyboard or remote would (media keys carry no text; qtbot.keyClick
    would ask QTest for one, and QTest warns about keys it cannot spell)."""
    widget = rig.window.focusWidget() or rig.window
    if Qt.Key.Key_MediaPlay <= key <= Qt.Key.Key_MediaTogglePlayPause:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, "", modifier)
    else:
        rig.qtbot.keyClick(widget, key, modifier)


@pytest.mark.parametrize(
    "key",
    [
        Qt.Key.Key_MediaPlay,  # what most headsets send for their one button
        Qt.Key.Key_MediaTogglePlayPause,
        Qt.Key.Key_B,  # a clicker's "blank screen"
        Qt.Key.Key_Period,
        Qt.Key.Key_F5,  # a clicker's "start show"
    ],
)
def test_play_and_clicker_keys_pause_and_resume(rig: Rig, key: Qt.Key) -> None:
    rig.start()
    rig.advance(3)
    press(rig, key)
    assert rig.engine.is_paused
    assert rig.view.phase_label.text().startswith("PAUSED")
    assert ("silence",) in rig.speaker.calls
    rig.clock.advance(60)
    press(rig, key)
    assert rig.engine.is_running
    assert rig.view.countdown.text() == "0:07"  # the minute paused did not count


def test_shift_f5_also_pauses_and_resumes(rig: Rig) -> None:
    rig.start()
    press(rig, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    assert rig.engine.is_paused
    press(rig, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    assert rig.engine.is_running


def test_media_pause_only_pauses(rig: Rig) -> None:
    rig.start()
    press(rig, Qt.Key.Key_MediaPause)
    assert rig.engine.is_paused
    press(rig, Qt.Key.Key_MediaPause)  # a second Pause must not resume behind the user's back
    assert rig.engine.is_paused
    press(rig, Qt.Key.Key_MediaPlay)
    assert rig.engine.is_running


@pytest.mark.parametrize(
    ("next_key", "back_key"),
    [
        (Qt.Key.Key_MediaNext, Qt.Key.Key_MediaPrevious),
        (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp),  # what a clicker's two big buttons send
    ],
)
def test_next_and_back_follow_the_arrow_keys_rules(
    rig: Rig, next_key: Qt.Key, back_key: Qt.Key
) -> None:
    rig.start()
    press(rig, next_key)
    assert rig.engine.index == 1
    assert rig.engine.log.skipped_steps == [0]
    assert rig.view.phase_label.text() == "PASSIVE HOLD"
    press(rig, back_key)  # within 3 s: back to the previous step
    assert rig.engine.index == 0
    rig.advance(5)
    press(rig, back_key)  # 5 s in: restart this step
    assert rig.engine.index == 0
    assert rig.view.countdown.text() == "0:10"


def test_media_stop_asks_as_escape_does(rig: Rig) -> None:
    rig.start()
    press(rig, Qt.Key.Key_MediaStop)
    assert rig.window.flow.stop_overlay.isVisible() and rig.engine.is_paused
    press(rig, Qt.Key.Key_MediaPlay)  # play: keep going
    assert rig.engine.is_running and not rig.window.flow.stop_overlay.isVisible()
    press(rig, Qt.Key.Key_MediaStop)
    press(rig, Qt.Key.Key_MediaStop)  # twice at once: stop, as Esc twice
    assert rig.window.stack.currentWidget() is rig.window.summary_view
    assert rig.window.summary_view.title_label.text().startswith("Session stopped")


def test_remote_keys_skip_the_get_ready(rig: Rig) -> None:
    rig.settings.lead_in_seconds = 10
    rig.start()
    assert rig.view.phase_label.text() == "GET READY"
    press(rig, Qt.Key.Key_PageDown)
    assert rig.view.phase_label.text() == "Hip CARs, clockwise"
    assert rig.engine.index == 0


def test_remote_keys_do_nothing_after_the_session(rig: Rig) -> None:
    rig.start()
    rig.advance(rig.engine.timeline.total_seconds + 1)
    summary = rig.window.summary_view
    assert rig.window.stack.currentWidget() is summary
    for key in (Qt.Key.Key_MediaPlay, Qt.Key.Key_PageDown, Qt.Key.Key_MediaStop):
        press(rig, key)
    assert rig.window.stack.currentWidget() is summary
    assert rig.window.flow.controller is None


def test_remote_keys_are_not_the_screens_own_keys() -> None:
    own = {key for control in CONTROLS for key in control.keys}
    remote = [k.key for k in REMOTE_KEYS]
    assert len(set(remote)) == len(remote)
    assert not own & set(remote)  # one key, one meaning: Qt would call a clash ambiguous


def test_keys_help_lists_the_remote_keys(qtbot, screenshot) -> None:  # type: ignore[no-untyped-def]
    dialog = KeysDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "keys-help")
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Media keys and headset buttons" in texts
    assert "Presenter remote (clicker)" in texts
    for keys in ("Play/Pause, Play", "Next track", "Page Down", "B, . (period), F5, Shift+F5"):
        assert keys in texts
    dialog.close()


def test_a_real_x11_headset_key_reaches_the_session(rig: Rig) -> None:
    """Through the X server as a Bluetooth headset's button arrives (XF86AudioPlay, sent
    with xdotool), not a synthetic Qt event: the keysym must become Qt's Play and toggle."""
    rig.start()

    def x_key(keysym: str) -> None:
        subprocess.run(["xdotool", "key", "--clearmodifiers", keysym], check=True, timeout=10)

    x_key("XF86AudioPlay")
    rig.qtbot.waitUntil(lambda: rig.engine.is_paused)
    x_key("XF86AudioPlay")
    rig.qtbot.waitUntil(lambda: rig.engine.is_running)
    x_key("Next")  # X11's name for Page Down, a clicker's big button
    rig.qtbot.waitUntil(lambda: rig.engine.index == 1)


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)])
def test_keys_over_a_session_name_the_remotes(rig: Rig, screenshot, size) -> None:  # type: ignore[no-untyped-def]
    rig.window.resize(*size)
    rig.start()
    rig.key(Qt.Key.Key_F1)
    overlay = rig.window.flow.keys_overlay
    rig.qtbot.waitUntil(lambda: overlay.isVisible() and overlay.width() == rig.view.width())
    screenshot(rig.window, f"keys-overlay-remotes-{size[0]}x{size[1]}")
    lines = [label.text() for label in overlay.remote_lines]
    assert lines == [
        "Headset or media keys — Play/Pause: pause/resume · Next, Previous track: next/back"
        " · Stop: stop",
        "Presenter remote — Page Down, Page Up: next/back · B, . or F5: pause/resume · Esc: stop",
    ]
    for label in overlay.remote_lines:
        assert label.isVisible()
        assert label.font().pixelSize() >= 14  # 800x480: still readable up close
        assert label.sizeHint().width() <= overlay.width()  # one line, nothing cut off
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.is_running


def test_remote_keys_answer_the_stop_question_and_never_act_behind_it(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Escape)  # a clicker's Esc, or the keyboard's
    overlay = rig.window.flow.stop_overlay
    assert overlay.isVisible() and rig.engine.is_paused
    press(rig, Qt.Key.Key_PageDown)
    press(rig, Qt.Key.Key_MediaPrevious)
    assert overlay.isVisible() and rig.engine.index == 0  # nothing moved behind the question
    press(rig, Qt.Key.Key_B)  # a clicker's pause/resume button: keep going
    assert not overlay.isVisible() and rig.engine.is_running


def test_a_clicker_play_button_closes_the_keys_and_goes_on(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_F1)
    assert rig.window.flow.keys_overlay.isVisible() and rig.engine.is_paused
    press(rig, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    assert not rig.window.flow.keys_overlay.isVisible() and rig.engine.is_running
