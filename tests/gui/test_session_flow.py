"""The session flow's results path: one injected prompter, and no result lost when the history
refuses a write (the user is told, the results stay, retry or CSV export)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.gui.test_main_window_flow import Flow, entries, fake_ask
from timer_app.core.results import ResultEntry
from timer_app.core.routine import Side
from timer_app.storage.history import History
from timer_app.storage.records import HistoryError
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.history_writes import UnsavedResults, UnsavedResultsDialog
from timer_app.ui.main_window import MainWindow
from timer_app.ui.recovery_dialog import RecoveryAnswer, RecoveryDialog


@pytest.fixture(autouse=True)
def no_modal_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))


@pytest.fixture
def flow(qtbot: Any, tmp_path: Path) -> Any:
    made = Flow(qtbot, tmp_path)
    yield made
    made.window.close()
    made.history.close()


def refuse_writes(monkeypatch: pytest.MonkeyPatch, history: History) -> list[int]:
    """Make the store refuse results (as a full disk would); the list counts the attempts."""
    attempts: list[int] = []

    def refuse(session_id: int, *args: object, **kwargs: object) -> None:
        attempts.append(session_id)
        raise HistoryError("history.sqlite3: database or disk is full")

    monkeypatch.setattr(history, "save_results", refuse)
    return attempts


def answer_unsaved(monkeypatch: pytest.MonkeyPatch, *choices: str) -> list[UnsavedResults]:
    shown: list[UnsavedResults] = []
    answers = list(choices)

    def ask(cls: type, parent: object, unsaved: UnsavedResults) -> str:
        shown.append(unsaved)
        return answers.pop(0)

    monkeypatch.setattr(UnsavedResultsDialog, "ask", classmethod(ask))
    return shown


def test_refused_results_are_kept_shown_and_saved_again(
    flow: Flow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    shown = answer_unsaved(monkeypatch, "keep")
    flow.window.start_screen.request_start()
    session_id = flow.window.flow.recorder.session_id  # type: ignore[union-attr]
    with monkeypatch.context() as disk_full:
        refuse_writes(disk_full, flow.history)
        flow.run_to_end()
        # The user was told, with the store's reason, and nothing escaped the event loop.
        assert shown and "disk is full" in shown[-1].reason
        summary = flow.window.summary_view
        assert "Left: 3 blocks   Right: 4 blocks" in summary.results_label.text()
        assert "Not saved yet" in summary.results_label.text()
        assert summary.results_button.isVisible()
        assert summary.results_button.text() == "Save results again"
    # Space freed: one click saves what was kept.
    qtbot.mouseClick(summary.results_button, Qt.MouseButton.LeftButton)
    record = flow.history.get(session_id)
    assert {(r.side, r.entered_value) for r in record.results} == {(Side.LEFT, 3), (Side.RIGHT, 4)}
    assert summary.results_label.text() == "Left: 3 blocks   Right: 4 blocks"
    assert not summary.results_button.isVisible()


def test_try_again_saves_once_the_store_takes_writes(
    flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ask(monkeypatch, {"after": entries("after", 2, 2)})
    real_save = flow.history.save_results
    failures = [1, 1]  # the pending marker and the first try of the results fail

    def flaky(*args: Any, **kwargs: Any) -> None:
        if failures:
            failures.pop()
            raise HistoryError("history.sqlite3: disk I/O error")
        real_save(*args, **kwargs)

    shown = answer_unsaved(monkeypatch, "retry")
    flow.window.start_screen.request_start()
    session_id = flow.window.flow.recorder.session_id  # type: ignore[union-attr]
    monkeypatch.setattr(flow.history, "save_results", flaky)
    flow.run_to_end()
    assert len(shown) == 1  # asked once, about the results the user typed
    assert len(flow.history.get(session_id).results) == 2
    assert not flow.window.summary_view.results_button.isVisible()


def test_refused_results_can_be_exported_as_csv(
    flow: Flow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    answer_unsaved(monkeypatch, "export")
    target = tmp_path / "kept.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    flow.window.start_screen.request_start()
    refuse_writes(monkeypatch, flow.history)
    flow.run_to_end()
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "routine,side,when,height_cm,entered,unit,pain,note"
    assert "Mini,left,after,22.5,3,blocks,," in lines
    assert "Mini,right,after,30,4,blocks,," in lines


def test_a_refused_recovery_write_is_a_message_not_a_crash(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Flow(qtbot, tmp_path)
    first.window.start_screen.request_start()
    first.window.flow.controller.shutdown()  # type: ignore[union-attr]
    first.window.flow.controller = None  # the app "died" with its session running
    first.window.close()
    first.history.close()

    again = Flow(qtbot, tmp_path)
    try:
        monkeypatch.setattr(
            RecoveryDialog,
            "ask",
            classmethod(lambda cls, p, records: RecoveryAnswer(list(records))),  # discard all
        )

        def refuse(session_id: int) -> None:
            raise HistoryError("history.sqlite3: attempt to write a readonly database")

        monkeypatch.setattr(again.history, "discard", refuse)
        warnings: list[str] = []
        monkeypatch.setattr(
            "timer_app.ui.session_flow.warn", lambda parent, t, text: warnings.append(text)
        )
        again.window.flow.offer_recovery()
        assert warnings == [
            "Could not save to your history: history.sqlite3: attempt to write a readonly database"
        ]
        assert len(again.history.interrupted()) == 1  # still there, offered next time
    finally:
        again.window.close()
        again.history.close()


class ScriptedPrompter:
    """Answers the results prompts from a script and records what was asked."""

    def __init__(self, answers: dict[str, list[ResultEntry] | None]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str, list[Side]]] = []

    def ask(
        self,
        *,
        sides: Sequence[Side],
        when: str,
        routine_name: str,
        before: list[ResultEntry] | None = None,
    ) -> list[ResultEntry] | None:
        self.asked.append((str(when), routine_name, list(sides)))
        return self.answers[str(when)]


def test_results_are_asked_through_the_injected_prompter(qtbot: Any, tmp_path: Path) -> None:
    base = Flow(qtbot, tmp_path, when="both")
    base.window.close()
    prompter = ScriptedPrompter(
        {"before": entries("before", 2, 2), "after": entries("after", 3, 2.5)}
    )
    window = MainWindow(
        settings=base.settings,
        speaker=base.speaker,
        wake_lock=base.wake_lock,
        builtin_dir=base.builtin,
        user_dir=tmp_path / "user",
        clock=base.clock,
        history=base.history,
        prompter=prompter,
    )
    qtbot.addWidget(window)
    base.window = window
    try:
        window.start_screen.request_start()
        base.run_to_end()
        both = [Side.LEFT, Side.RIGHT]
        assert prompter.asked == [("before", "Mini", both), ("after", "Mini", both)]
        text = window.summary_view.results_label.text()
        assert text == "Left: 3 blocks (+1 block)   Right: 2.5 blocks (+0.5 blocks)"
    finally:
        window.close()
        base.history.close()
