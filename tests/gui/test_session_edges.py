"""The edges of a session as they feel from the floor (issue 13): stopping, help and history
over a running session, banners and mute, time keys, honest totals and end words.

Driven through the real window with keys, on a fake clock; screenshots go to
tests/artifacts/screenshots/ for a look.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.gui.test_session_window import Rig
from tests.helpers.top_levels import visible_top_levels
from timer_app.core.cues import CueKind
from timer_app.core.routine import PhaseKind
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop, KeysDialog
from timer_app.ui.key_help import KEY_HELP
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.session_overlays import ESC_AGAIN_SECONDS


def _history_windows() -> list[QWidget]:
    """The history windows the user can see (H opens one)."""
    return visible_top_levels(lambda w: w.objectName() == "HistoryWindow")


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    # Closing the window mid-session (teardown) asks with a dialog: answer it.
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def _at_size(rig: Rig, width: int, height: int) -> None:
    rig.window.resize(width, height)
    rig.qtbot.waitUntil(lambda: rig.window.width() == width and rig.window.height() == height)


def _on_summary(rig: Rig) -> bool:
    return rig.window.stack.currentWidget() is rig.window.summary_view


# ------------------------------------------------------------------ 1. stopping
@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_space_or_enter_after_esc_keeps_going(rig: Rig, key: Qt.Key) -> None:
    rig.start()
    rig.advance(3)
    rig.key(Qt.Key.Key_Escape)
    overlay = rig.window.flow.stop_overlay
    assert overlay.isVisible() and rig.engine.is_paused
    rig.key(key)  # by habit: "PAUSED: press Space to continue"
    assert not _on_summary(rig)
    assert rig.engine.is_running
    assert not overlay.isVisible()
    assert rig.view.hasFocus()  # the session's keys work again at once
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.is_paused


def test_esc_later_keeps_going_esc_at_once_stops(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Escape)
    rig.clock.advance(ESC_AGAIN_SECONDS + 0.5)  # read it, thought about it: Esc = never mind
    rig.key(Qt.Key.Key_Escape)
    assert rig.engine.is_running and not _on_summary(rig)
    rig.key(Qt.Key.Key_Escape)
    rig.clock.advance(0.8)  # a deliberate double press
    rig.key(Qt.Key.Key_Escape)
    assert _on_summary(rig)


def test_s_stops_and_other_keys_do_nothing_behind_the_question(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Escape)
    index = rig.engine.index
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_P, Qt.Key.Key_M, Qt.Key.Key_H):
        rig.key(key)
    assert rig.engine.index == index and rig.engine.is_paused
    assert not rig.speaker.muted
    assert not _history_windows()  # H did not open the history
    rig.key(Qt.Key.Key_S)
    assert _on_summary(rig)


def test_stop_question_is_large_and_names_both_keys(rig: Rig, screenshot) -> None:  # type: ignore[no-untyped-def]
    _at_size(rig, 1280, 800)
    rig.start()
    rig.advance(12)
    rig.key(Qt.Key.Key_Escape)
    overlay = rig.window.flow.stop_overlay
    assert overlay.geometry() == rig.view.rect()  # covers the session screen
    texts = " ".join(label.text() for label in (overlay.keep_hint, overlay.stop_hint))
    assert "Space" in texts and "Enter" in texts and "Esc" in texts and "S " in texts
    # Readable from two metres: at 1280x800 the hints are 40 px, the title 68 px.
    assert overlay.keep_hint.font().pixelSize() >= 36
    assert overlay.title.font().pixelSize() >= 60
    screenshot(rig.window, "stop-overlay-1280x800")
    rig.window.resize(800, 480)
    rig.qtbot.waitUntil(lambda: overlay.width() == rig.view.width())
    rig.qtbot.waitUntil(lambda: overlay.keep_hint.font().pixelSize() < 36)
    screenshot(rig.window, "stop-overlay-800x480")
    for label in (overlay.keep_hint, overlay.stop_hint, overlay.title):
        assert label.sizeHint().width() <= overlay.width()  # nothing cut off at the side
    rig.key(Qt.Key.Key_Space)


# ---------------------------------------------------------- 5. help and history
def test_keys_help_pauses_the_session_and_says_so(rig: Rig, screenshot) -> None:  # type: ignore[no-untyped-def]
    _at_size(rig, 1280, 800)
    rig.start()
    rig.advance(2)
    rig.key(Qt.Key.Key_F1)
    overlay = rig.window.flow.keys_overlay
    assert overlay.isVisible() and rig.engine.is_paused
    assert "paused" in overlay.status.text().lower()
    remaining = rig.engine.remaining()
    rig.clock.advance(30)
    assert rig.engine.remaining() == remaining  # the clock it covers does not run
    screenshot(rig.window, "keys-overlay-1280x800")
    shown = [(k.text(), w.text()) for k, w in overlay.rows]
    assert shown == list(KEY_HELP)
    assert ("H", "Show the history (pauses a session)") in shown
    assert all(k.font().pixelSize() >= 28 for k, _ in overlay.rows)
    _at_size(rig, 800, 480)
    screenshot(rig.window, "keys-overlay-800x480")
    rig.key(Qt.Key.Key_Space)  # close and continue
    assert not overlay.isVisible() and rig.engine.is_running


def test_keys_help_closed_with_esc_leaves_the_session_paused(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Space)  # paused by the user before asking for help
    rig.key(Qt.Key.Key_F1)
    rig.key(Qt.Key.Key_Space)  # does not resume a session the user paused
    assert rig.engine.is_paused
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.is_running
    rig.key(Qt.Key.Key_F1)
    rig.key(Qt.Key.Key_Escape)
    assert rig.engine.is_paused and not _on_summary(rig)
    assert not rig.window.flow.stop_overlay.isVisible()  # Esc closed the help, it did not ask


def test_every_key_is_in_the_help() -> None:
    from timer_app.ui.session_view import CONTROLS

    keys = " ".join(k for k, _ in KEY_HELP)
    for control in CONTROLS:
        for key in control.keys:
            assert {"Escape": "Esc", "Left": "←", "Right": "→", "Up": "↑", "Down": "↓"}.get(
                key, key
            ) in keys
    assert "H" in keys.split()


def test_keys_dialog_is_large_and_lists_every_key(qtbot, screenshot) -> None:  # type: ignore[no-untyped-def]
    dialog = KeysDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert [(k.text(), w.text()) for k, w in dialog.rows] == list(KEY_HELP)
    assert all(w.font().pixelSize() >= 24 for _, w in dialog.rows)
    screenshot(dialog, "keys-dialog")
    dialog.close()


def test_history_during_a_session_pauses_it_and_says_so(rig: Rig, tmp_path: Path) -> None:
    from timer_app.storage.history import History

    rig.window.attach_history(History(tmp_path / "history.sqlite3"))
    rig.start()
    rig.advance(3)
    rig.key(Qt.Key.Key_H)
    [window] = _history_windows()
    assert rig.engine.is_paused
    assert "history" in rig.view.notice_label.text().lower()
    assert "Space" in rig.view.notice_label.text()
    window.close()
    rig.window.activateWindow()
    rig.qtbot.waitUntil(rig.window.isActiveWindow)
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.is_running
    assert not rig.view.notice_label.isVisible()
    rig.window.flow.history.close()  # type: ignore[union-attr]


# ------------------------------------------------------------ 6. banners, mute
def test_pain_banner_belongs_to_its_step_only(rig: Rig) -> None:
    rig.start()
    rig.advance(10 + 30 + 4)  # 4 s into the first PAIL
    rig.key(Qt.Key.Key_P)
    assert rig.engine.step.kind is PhaseKind.RAIL
    assert "pain" in rig.view.notice_label.text()
    assert rig.view.notice_label.isVisible()
    rig.advance(10)  # the RAIL ends: rest between rounds
    assert rig.engine.step.kind is PhaseKind.REST
    assert not rig.view.notice_label.isVisible()


def test_muted_badge_and_mute_ends_with_the_session(rig: Rig, tmp_path: Path, screenshot) -> None:  # type: ignore[no-untyped-def]
    _at_size(rig, 1280, 800)
    rig.start()
    rig.advance(12)
    assert not rig.view.muted_badge.isVisible()
    rig.key(Qt.Key.Key_M)
    badge = rig.view.muted_badge
    assert badge.isVisible() and "MUTED" in badge.text()
    assert badge.font().pixelSize() >= 36  # as large as the round and total lines
    screenshot(rig.window, "session-muted-1280x800")
    assert rig.speaker.muted
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    # The next session speaks again: M muted that session only...
    assert not rig.speaker.muted
    assert not rig.settings.muted
    assert not Settings.load(tmp_path / "settings.toml").muted
    rig.qtbot.keyClick(rig.window.summary_view, Qt.Key.Key_Return)
    rig.start()
    assert not rig.speaker.muted and not rig.view.muted_badge.isVisible()


def test_voice_off_setting_is_the_lasting_choice(rig: Rig) -> None:
    rig.settings.muted = True  # Settings → Voice…: voice off
    rig.start()
    assert rig.speaker.muted and rig.view.muted_badge.isVisible()
    rig.key(Qt.Key.Key_M)  # this session only
    assert not rig.speaker.muted
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    assert rig.speaker.muted and rig.settings.muted


# -------------------------------------------------------------- 7. time keys
def test_down_twice_at_eleven_seconds_keeps_the_step_and_the_next(rig: Rig) -> None:
    rig.start()
    rig.advance(10 + 19)  # passive hold of 30 s: 0:11 left
    assert rig.view.countdown.text() == "0:11"
    rig.key(Qt.Key.Key_Down)
    rig.key(Qt.Key.Key_Down)
    assert rig.engine.step.kind is PhaseKind.PASSIVE
    assert rig.view.countdown.text() == "0:01"
    rig.advance(1)
    assert rig.engine.step.kind is PhaseKind.PAIL
    assert rig.view.countdown.text() == "0:20"  # untouched


# ------------------------------------------------------- 8. words that match
def test_start_screen_and_session_show_the_same_total(rig: Rig) -> None:
    rig.settings.lead_in_seconds = 10
    rig.window.routines.reload()
    screen = rig.window.start_screen
    total = screen.total_label.text()
    assert total.startswith("Total 4:55")
    assert "get ready" in total
    rig.start()
    assert rig.view.total_label.text().startswith("Total 4:55")
    rig.advance(10)
    assert rig.view.total_label.text() == "Total left 4:55"


def test_skipping_to_the_end_is_not_called_complete(rig: Rig) -> None:
    rig.start()
    rig.advance(10)  # the CARs step, done
    steps = len(rig.engine.timeline.steps)
    while rig.engine.index < steps - 1:
        rig.key(Qt.Key.Key_Right)
    rig.advance(rig.engine.remaining())  # the last step runs to its end
    assert _on_summary(rig)
    title = rig.window.summary_view.title_label.text()
    assert title == f"Session ended: 2 of {steps} steps, 0:20"
    spoken = [c[1] for c in rig.speaker.calls if c[0] == "play"]
    complete = [c.text for c in spoken if c.kind is CueKind.COMPLETE]
    assert complete == [f"Session ended. 2 of {steps} steps done."]


def test_a_session_that_ran_through_is_complete(rig: Rig) -> None:
    rig.start()
    rig.advance(rig.engine.timeline.total_seconds + 1)
    assert rig.window.summary_view.title_label.text() == "Session complete. Well done!"
    assert rig.speaker.spoken()[-1] == "Session complete. Well done."


def test_stopped_session_says_what_was_done(rig: Rig, screenshot) -> None:  # type: ignore[no-untyped-def]
    rig.start()
    steps = len(rig.engine.timeline.steps)
    rig.advance(10 + 21)
    rig.key(Qt.Key.Key_Escape)
    words = f"Session stopped after thirty-one seconds. 1 of {steps} steps done."
    # Rendered while the question shows, so S says them at once.
    assert ("prefetch", [words], True) in rig.speaker.calls
    rig.key(Qt.Key.Key_S)
    assert rig.window.flow.controller is None  # the session is over
    title = rig.window.summary_view.title_label.text()
    assert title == f"Session stopped: 1 of {steps} steps, 0:31"
    # Heard from the floor, as the end screen says it.
    assert rig.speaker.spoken()[-1] == words
    screenshot(rig.window, "summary-stopped-1280x800")


def test_stop_words_of_a_muted_session_go_through_its_mute(rig: Rig) -> None:
    """The end words take the one speech path while the session's mute still holds (the
    real speaker drops speech while muted); the mute ends after them."""
    rig.start()
    steps = len(rig.engine.timeline.steps)
    rig.advance(5)
    rig.key(Qt.Key.Key_M)
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    calls = [c[0] if c[0] != "play" else c[1].text for c in rig.speaker.calls]
    said = calls.index(f"Session stopped after five seconds. 0 of {steps} steps done.")
    assert calls.index("muted") < said  # muted before ...
    assert ("muted", False) in rig.speaker.calls[said:]  # ... and unmuted only after


def test_stopping_at_once_and_in_the_get_ready_count(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    steps = rig.window.summary_view.title_label.text().split(" of ")[1].split()[0]
    assert rig.speaker.spoken()[-1] == f"Session stopped. 0 of {steps} steps done."
    rig.window.summary_view.back_button.click()
    rig.settings.lead_in_seconds = 5
    rig.start()
    rig.advance(2)
    said = len(rig.speaker.spoken())
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    assert rig.speaker.spoken()[said:] == []  # nothing was done: back to the start screen
