"""The start-up offer for a session a previous run left unfinished: resume, results, discard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import ROUTINES
from timer_app.core.routine import PhaseKind, Side
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline
from timer_app.storage.history import History
from timer_app.storage.records import SessionRecord
from timer_app.ui.recovery_dialog import RecoveryAnswer, RecoveryDialog, resume_timeline

IR = load_routine(ROUTINES / "hip-ir-lying.toml")
NOW = datetime(2026, 11, 26, 7, 45, tzinfo=UTC)


def interrupted_session(
    path: Path, *, side: Side, round_: int, elapsed: float, extra: Side | None = None
) -> SessionRecord:
    """Start a session in one "run", save progress at a passive hold, die; reopen."""
    timeline = build_timeline(IR, extra_round_side=extra)
    index = next(
        s.index
        for s in timeline.steps
        if s.kind is PhaseKind.PASSIVE and s.side is side and s.round == round_
    )
    first = History(path, now=lambda: NOW - timedelta(minutes=20))
    sid = first.start_session(IR, timeline, extra_round_side=extra)
    first.update_progress(sid, index, elapsed, timeline.starts[index] + elapsed, [])
    first.close()  # the app "dies" without ending the session
    second = History(path)
    try:
        (record,) = second.interrupted()
        _ = record.snapshot, record.log  # read now: the store loads them lazily
    finally:
        second.close()
    assert record.id == sid
    return record


def text_of(dialog: QWidget, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def open_dialog(qtbot: QtBot, record: SessionRecord) -> RecoveryDialog:
    dialog = RecoveryDialog(record, now=NOW)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def test_shows_where_the_session_stopped(qtbot: QtBot, tmp_path: Path) -> None:
    record = interrupted_session(tmp_path / "h.db", side=Side.LEFT, round_=2, elapsed=65.4)
    dialog = open_dialog(qtbot, record)
    assert IR.name in text_of(dialog, "routine")
    assert "20 min ago" in text_of(dialog, "routine")
    assert "Passive hold · left side · round 2 of 3 · 1:05 into 2:00" in text_of(
        dialog, "stop_point"
    )
    assert dialog.resume_button.isDefault()
    assert not dialog.findChild(QLabel, "problem").isVisible()
    dialog.close()


def test_the_extra_round_is_part_of_the_rebuilt_timeline(qtbot: QtBot, tmp_path: Path) -> None:
    record = interrupted_session(
        tmp_path / "h.db", side=Side.RIGHT, round_=4, elapsed=10, extra=Side.RIGHT
    )
    assert record.extra_round_side is Side.RIGHT
    assert resume_timeline(record).total_seconds == record.planned_seconds
    dialog = open_dialog(qtbot, record)
    assert "right side · round 4 of 4 · 0:10 into 2:00" in text_of(dialog, "stop_point")
    dialog.close()


@pytest.mark.parametrize(
    ("button", "choice"), [("resume", "resume"), ("results", "results"), ("discard", "discard")]
)
def test_each_button_gives_its_choice(
    qtbot: QtBot, tmp_path: Path, button: str, choice: str
) -> None:
    record = interrupted_session(tmp_path / "h.db", side=Side.LEFT, round_=1, elapsed=3)
    dialog = open_dialog(qtbot, record)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
    assert dialog.choice == choice


def test_enter_resumes_and_escape_decides_later(qtbot: QtBot, tmp_path: Path) -> None:
    record = interrupted_session(tmp_path / "h.db", side=Side.LEFT, round_=1, elapsed=3)

    def press(key: Qt.Key) -> Callable[[], None]:
        def go() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, RecoveryDialog)
            qtbot.keyClick(dialog, key)

        return go

    QTimer.singleShot(0, press(Qt.Key.Key_Return))
    assert RecoveryDialog.ask(None, [record]) == RecoveryAnswer([], "resume", record)
    QTimer.singleShot(0, press(Qt.Key.Key_Escape))
    assert RecoveryDialog.ask(None, [record]) == RecoveryAnswer()


def test_unreadable_snapshot_cannot_resume_but_can_record_results(qtbot: QtBot) -> None:
    record = SessionRecord(
        id=7,
        routine_id="gone",
        routine_name="A routine from the future",
        started_at=NOW - timedelta(days=3),
        status="running",
        planned_seconds=600,
        snapshot={"schema": 99, "id": "gone"},
        done_seconds=120,
    )
    dialog = open_dialog(qtbot, record)
    assert not dialog.resume_button.isEnabled()
    assert dialog.results_button.isDefault()
    assert "cannot be resumed" in text_of(dialog, "problem")
    assert "unknown" in text_of(dialog, "stop_point")
    assert "3 days ago" in text_of(dialog, "routine")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.choice == "results"


def test_step_past_the_end_cannot_resume(qtbot: QtBot, tmp_path: Path) -> None:
    record = interrupted_session(tmp_path / "h.db", side=Side.LEFT, round_=1, elapsed=3)
    dialog = open_dialog(qtbot, replace(record, step_index=999))
    assert not dialog.resume_button.isEnabled()
    assert "step 1000" in text_of(dialog, "problem")
    dialog.close()


def test_screenshot(
    qtbot: QtBot, tmp_path: Path, screenshot: Callable[[QWidget, str], Path]
) -> None:
    record = interrupted_session(tmp_path / "h.db", side=Side.RIGHT, round_=2, elapsed=47)
    dialog = open_dialog(qtbot, record)
    screenshot(dialog, "recovery_dialog")
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), label.text()
    dialog.close()


def crashed_runs(path: Path, count: int) -> list[SessionRecord]:
    """``count`` runs that each started a session and died: all are unfinished."""
    timeline = build_timeline(IR)
    for n in range(count):
        run = History(path, now=lambda n=n: NOW - timedelta(hours=count - n))
        run.start_session(IR, timeline)
        run.close()
    with History(path) as store:
        records = store.interrupted()
        for record in records:
            _ = record.snapshot, record.log
    assert len(records) == count
    return records


def test_25_crashes_are_one_dialog_with_a_list(qtbot: QtBot, tmp_path: Path) -> None:
    records = crashed_runs(tmp_path / "h.db", 25)
    shown: list[RecoveryDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RecoveryDialog)
        shown.append(dialog)
        assert text_of(dialog, "title") == "25 sessions did not finish"
        assert dialog.session_list.count() == 25
        qtbot.mouseClick(dialog.discard_all_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    result = RecoveryDialog.ask(None, records)
    assert len(shown) == 1
    assert result.discarded == records and result.choice is None


def test_discard_one_keeps_the_others_listed_then_results_for_another(
    qtbot: QtBot, tmp_path: Path
) -> None:
    records = crashed_runs(tmp_path / "h.db", 3)
    dialog = RecoveryDialog(records, now=NOW)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.session_list.setCurrentRow(1)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.session_list.count() == 2
    assert text_of(dialog, "title") == "2 sessions did not finish"
    dialog.session_list.setCurrentRow(1)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.results_button, Qt.MouseButton.LeftButton)
    assert dialog.answer == RecoveryAnswer([records[1]], "results", records[2])


def test_a_name_with_markup_is_shown_as_written(qtbot: QtBot, tmp_path: Path) -> None:
    record = interrupted_session(tmp_path / "h.db", side=Side.LEFT, round_=1, elapsed=3)
    dialog = open_dialog(qtbot, replace(record, routine_name="<b>Bold</b><img src=x>"))
    label = dialog.findChild(QLabel, "routine")
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text().startswith("<b>Bold</b><img src=x>, started")
    dialog.close()


def test_the_list_dialog_screenshot(
    qtbot: QtBot, tmp_path: Path, screenshot: Callable[[QWidget, str], Path]
) -> None:
    dialog = RecoveryDialog(crashed_runs(tmp_path / "h.db", 4), now=NOW)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    screenshot(dialog, "recovery_dialog_list")
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), label.text()
    dialog.close()
