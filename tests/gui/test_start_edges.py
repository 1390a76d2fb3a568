"""The start screen's edges (issue 13): Enter starts what the user sees in *Adjust times*, and
the overview's words follow the adjusted times."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.test_session_window import Rig
from timer_app.core.routine import PhaseKind
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog

DESCRIBED = '"Two rounds of a 30-second hold, a 20-second PAIL and a 10-second RAIL."'


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def _type_then_enter(rig: Rig, kind: PhaseKind, text: str) -> None:
    screen = rig.window.start_screen
    screen.tabs.setCurrentIndex(1)  # Adjust times
    box = rig.window.adjust_times.panel.phase_boxes[kind]
    box.setFocus()
    rig.qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    rig.qtbot.keyClicks(box, text)
    rig.qtbot.keyClick(box, Qt.Key.Key_Return)  # typed, not applied: Enter right away


def test_enter_starts_the_times_shown_in_adjust_times(rig: Rig, screenshot) -> None:  # type: ignore[no-untyped-def]
    _type_then_enter(rig, PhaseKind.PASSIVE, "0:45")
    assert rig.window.flow.controller is not None
    holds = [s.seconds for s in rig.engine.timeline.steps if s.kind is PhaseKind.PASSIVE]
    assert holds and set(holds) == {45}
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    rig.qtbot.keyClick(rig.window.summary_view, Qt.Key.Key_Return)
    # ...and they were kept: the panel and the list show them as the routine's own now.
    panel = rig.window.adjust_times.panel
    assert not panel.has_unapplied_changes()
    assert panel.phase_boxes[PhaseKind.PASSIVE].text() == "0:45"
    assert rig.window.start_screen.selected_entry().routine.main.phases[0].seconds == 45
    screenshot(rig.window, "start-after-enter-with-adjusted-times")


def test_enter_with_nothing_typed_starts_as_before(rig: Rig) -> None:
    rig.window.start_screen.tabs.setCurrentIndex(1)
    _ = rig.window.adjust_times.panel
    rig.start()
    holds = {s.seconds for s in rig.engine.timeline.steps if s.kind is PhaseKind.PASSIVE}
    assert holds == {30}


def test_times_typed_before_the_start_up_finishes_are_kept(rig: Rig) -> None:
    """The session part is built a few turns after the first paint, and the window then
    re-selects the routine: what was typed in Adjust times by then must still be there."""
    rig.window.start_screen.tabs.setCurrentIndex(1)
    box = rig.window.adjust_times.panel.phase_boxes[PhaseKind.PASSIVE]
    box.setValue(50)
    rig.window._refresh_selection()  # what the deferred start-up step does
    assert box.value() == 50
    assert rig.window.adjust_times.panel.apply_button.isEnabled()


def test_overview_words_follow_adjusted_times(rig: Rig, tmp_path: Path, screenshot) -> None:  # type: ignore[no-untyped-def]
    builtin = tmp_path / "builtin" / "short.toml"
    text = builtin.read_text()
    builtin.write_text(
        text.replace(
            'description = "Every phase kind, a few seconds each."', f"description = {DESCRIBED}"
        )
    )
    rig.window.routines.reload()
    screen = rig.window.start_screen
    assert "30-second hold" in screen.description_label.text()
    screen.tabs.setCurrentIndex(1)
    panel = rig.window.adjust_times.panel
    box = panel.phase_boxes[PhaseKind.PASSIVE]
    box.setValue(50)
    rig.qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    screen.tabs.setCurrentIndex(0)
    words = screen.description_label.text()
    assert "30-second" not in words
    assert "2 rounds of a 0:50 passive hold, a 0:20 PAIL and a 0:10 RAIL" in words
    screenshot(rig.window, "start-overview-after-adjust")
