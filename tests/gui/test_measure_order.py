"""Before-drill heights are asked after the timed block-height test, not before it (issue 13,
point 3): the test step runs first, then the prompt, with the session waiting for Space."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.test_session_window import SHORT, Rig
from timer_app.core.results import ResultEntry
from timer_app.core.routine import PhaseKind, Side
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def ask(cls, parent, *, when, **_):  # type: ignore[no-untyped-def]
        calls.append(str(when))
        if str(when) == "before":
            return [
                ResultEntry(Side.RIGHT, 15.0, 2, "blocks", "before"),
                ResultEntry(Side.LEFT, 22.5, 3, "blocks", "before"),
            ]
        return None

    monkeypatch.setattr(ResultsDialog, "ask", classmethod(ask))
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    return calls


@pytest.mark.parametrize("when", ["before", "both"])
def test_the_test_step_comes_first_then_the_prompt(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, asked: list[str], screenshot, when: str
) -> None:
    rig = Rig(qtbot, tmp_path)
    (tmp_path / "builtin" / "short.toml").write_text(
        SHORT.replace('when = "after"', f'when = "{when}"')
    )
    rig.window.routines.reload()
    rig.start()
    assert asked == []  # not before the test
    assert rig.engine.step.kind is PhaseKind.MEASURE
    assert rig.view.phase_label.text().startswith("BLOCK-HEIGHT TEST")
    rig.advance(10 + 10)  # both sides' timed test steps
    rig.qtbot.waitUntil(lambda: bool(asked))
    assert asked == ["before"]
    assert rig.engine.step.kind is PhaseKind.CARS
    assert rig.engine.is_paused  # the clock waited for the answer, and waits for Space
    assert rig.view.countdown.text() == "0:10"
    assert rig.view.notice_label.text() == "Heights saved. Press Space when you are in position."
    screenshot(rig.window, f"measure-{when}-after-test")
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.is_running
    assert rig.speaker.spoken()[-1].startswith("Hip CARs, clockwise")
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
