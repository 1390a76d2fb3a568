"""A session resumed after a crash, as it feels from the floor (issue 13, point 2): it comes
back paused at the start of the step it was in, says so, counts a short "Get ready" after
Space, and keeps what happened before the crash (steps skipped, done, the log)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.test_session_window import Rig
from timer_app.core.routine import PhaseKind
from timer_app.storage.history import History
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.recovery_dialog import RecoveryAnswer, RecoveryDialog
from timer_app.ui.results_dialog import ResultsDialog


@pytest.fixture(autouse=True)
def answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    monkeypatch.setattr(
        RecoveryDialog,
        "ask",
        classmethod(lambda cls, p, records: RecoveryAnswer(choice="resume", record=records[0])),
    )


def _crash(rig: Rig, history: History) -> None:
    """The app dies with its session running: no stop, no end; its store lets go."""
    controller = rig.window.flow.controller
    assert controller is not None
    controller.shutdown()
    rig.window.flow.controller = None
    history.close()


def _rig(qtbot, folder: Path) -> Rig:  # type: ignore[no-untyped-def]
    folder.mkdir()
    return Rig(qtbot, folder)


def _run_until_crash(qtbot, tmp_path: Path) -> tuple[Path, int]:  # type: ignore[no-untyped-def]
    """Skip the CARs, do the passive hold, crash 2 s into the PAIL."""
    db = tmp_path / "history.sqlite3"
    first = _rig(qtbot, tmp_path / "first")
    history = History(db)
    first.window.attach_history(history)
    first.start()
    first.key(Qt.Key.Key_Right)  # skip the CARs warm-up
    first.advance(30)  # the passive hold, done
    first.advance(2)  # 2 s into the PAIL
    assert first.engine.step.kind is PhaseKind.PAIL
    index = first.engine.index
    _crash(first, history)
    return db, index


def test_a_checkpoint_two_seconds_into_a_step_names_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, index = _run_until_crash(qtbot, tmp_path)
    history = History(db)
    (record,) = history.interrupted()
    assert record.step_index == index
    assert record.step_elapsed == pytest.approx(2, abs=0.1)  # not "0:00 into 0:20"
    history.close()


def test_resume_comes_back_paused_at_the_step_start_then_gets_ready(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, screenshot
) -> None:
    db, index = _run_until_crash(qtbot, tmp_path)
    again = _rig(qtbot, tmp_path / "again")
    history = History(db)
    again.window.attach_history(history)
    again.window.flow.offer_recovery()
    view = again.view
    assert again.window.stack.currentWidget() is view
    controller = again.window.flow.controller
    assert controller is not None and controller.is_paused  # nobody is in position yet
    assert view.notice_label.text() == (
        "Resuming: Right side, round 1, PAIL. Press Space when you are in position."
    )
    assert view.next_label.text() == "Next: Right: PAIL, 0:20"
    assert not again.wake_lock.held
    again.clock.advance(120)  # time spent getting down on the floor counts for nothing
    screenshot(again.window, "resume-paused")
    assert not [c for c in again.speaker.calls if c[0] == "play"]  # nothing said yet

    again.key(Qt.Key.Key_Space)
    assert view.phase_label.text() == "GET READY"
    assert view.countdown.text() == "0:05"
    assert again.speaker.spoken()[0] == "Get ready. First: right side, PAIL."
    again.advance(5)
    assert again.engine.index == index
    assert view.countdown.text() == "0:20"  # the interrupted step, from its start
    assert not view.notice_label.isVisible()

    # What happened before the crash is kept: the skipped warm-up, the hold done.
    assert again.engine.log.skipped_steps == [0]
    again.key(Qt.Key.Key_Escape)
    again.key(Qt.Key.Key_S)
    facts = again.window.summary_view.facts_label.text()
    assert "Steps skipped: 1" in facts
    assert "Pauses: 0" in facts
    assert again.window.summary_view.title_label.text().startswith("Session stopped: 1 of ")
    (record,) = history.sessions()
    assert record.status == "stopped"
    assert [e["event"] for e in record.log].count("skipped") == 1
    history.close()


def test_stopping_before_it_resumes_leaves_it_unfinished(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = _run_until_crash(qtbot, tmp_path)
    again = _rig(qtbot, tmp_path / "again")
    history = History(db)
    again.window.attach_history(history)
    again.window.flow.offer_recovery()
    again.key(Qt.Key.Key_Escape)
    again.key(Qt.Key.Key_S)
    assert again.window.stack.currentWidget() is again.window.start_screen
    # Still unfinished: the next start offers it again.
    assert [r.status for r in history.sessions()] == ["running"]
    history.close()
