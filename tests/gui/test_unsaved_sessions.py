"""A session that cannot be recorded says so on the session screen at once, the app keeps
trying, and quitting with sessions kept only in memory asks to export them first. A data
folder fixed during the run gets what memory kept, and the "not saved" line goes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from tests.gui.test_main_window_flow import Flow, entries, fake_ask
from tests.helpers.read_only import make_read_only, make_writable, permission_honouring_connect
from timer_app.core.routine import Side
from timer_app.storage.csv_io import import_history
from timer_app.storage.history import History
from timer_app.storage.records import HistoryError
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.unsaved_history import EXPORT, QUIT, STAY, UnsavedHistoryDialog


@pytest.fixture(autouse=True)
def no_modal_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))


@pytest.fixture
def make(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Closing a window with sessions only in memory asks; at teardown the answer is "quit".
    monkeypatch.setattr(UnsavedHistoryDialog, "ask", classmethod(lambda cls, *a: QUIT))
    made: list[Flow] = []

    def build(**store: Any) -> Flow:
        flow = Flow(qtbot, tmp_path, **store)
        made.append(flow)
        return flow

    yield build
    for flow in made:
        flow.window.close()
        flow.history.close()


def step_once(flow: Flow) -> None:
    controller = flow.window.flow.controller
    assert controller is not None
    wake = controller.engine.next_event_time()
    assert wake is not None
    flow.clock.now = max(flow.clock.now, wake)
    controller.wake()


def test_a_history_in_memory_is_said_on_the_session_and_end_screens(
    make: Callable[[], Flow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    os.mkfifo(tmp_path / "history.sqlite3")  # cannot be opened: the store lives in memory
    flow = make()
    assert not flow.history.on_disk
    flow.window.start_screen.request_start()
    label = flow.window.session_view.save_label
    assert label.isVisible()
    assert label.text().startswith("⚠ Not saved to your history this time")
    assert "When you quit, the app offers to export" in label.text()
    screenshot(flow.window, "session_not_saved")
    step_once(flow)  # writes into memory succeed: the line stays, it is still true
    assert label.isVisible()
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    flow.run_to_end()
    # The end screen, where a person checks their heights were kept, says where they went.
    note = flow.window.summary_view.storage_label
    assert note.isVisible()
    assert note.text().startswith("⚠ This session is kept only until you quit")
    assert "Left: 3 blocks" in flow.window.summary_view.results_label.text()
    screenshot(flow.window, "summary_not_saved")


def test_a_refused_first_write_is_said_at_once_and_tried_again(
    make: Callable[[], Flow], monkeypatch: pytest.MonkeyPatch
) -> None:
    flow = make()
    real_start = flow.history.start_session
    disk_full = [True]
    tries: list[bool] = []

    def start_unless_full(*args: Any, **kwargs: Any) -> int:
        tries.append(disk_full[0])
        if disk_full[0]:
            raise HistoryError("history.sqlite3: database or disk is full")
        return real_start(*args, **kwargs)

    monkeypatch.setattr(flow.history, "start_session", start_unless_full)
    flow.window.start_screen.request_start()
    label = flow.window.session_view.save_label
    assert label.isVisible()  # at once, on the session screen, not only on stderr
    assert "database or disk is full" in label.text()
    assert "keeps trying" in label.text()
    assert flow.window.flow.recorder.session_id is None  # type: ignore[union-attr]
    step_once(flow)
    assert label.isVisible() and len(tries) >= 2  # tried again at the next save

    disk_full[0] = False  # space freed
    step_once(flow)  # the next save creates the row

    assert flow.window.flow.recorder.session_id is not None  # type: ignore[union-attr]
    assert not label.isVisible()
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    flow.run_to_end()
    [record] = flow.history.sessions()
    assert record.status == "completed" and len(record.results) == 2


def test_quitting_with_sessions_only_in_memory_asks_to_export_them(
    make: Callable[[], Flow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(tmp_path / "history.sqlite3")
    flow = make()
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    flow.window.start_screen.request_start()
    flow.run_to_end()
    answers = [STAY, EXPORT]
    asked: list[int] = []

    def ask(cls: type, parent: object, sessions: int, why: str) -> str:
        asked.append(sessions)
        return answers.pop(0)

    monkeypatch.setattr(UnsavedHistoryDialog, "ask", classmethod(ask))
    target = tmp_path / "kept.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )

    assert not flow.window.close()  # "Don't quit": the window stays, the sessions too
    assert flow.window.isVisible()
    assert flow.window.close()  # "Export as CSV…", then quit
    assert asked == [1, 1]
    with History(tmp_path / "later.sqlite3") as later:
        assert import_history(later, target, 7.5) == 1
        [record] = later.sessions()
        assert len(record.results) == 2


def test_quitting_with_nothing_unsaved_asks_nothing(
    make: Callable[[], Flow], monkeypatch: pytest.MonkeyPatch
) -> None:
    flow = make()
    asked: list[str] = []
    monkeypatch.setattr(
        UnsavedHistoryDialog, "ask", classmethod(lambda cls, *a: asked.append("x") or QUIT)
    )
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    flow.window.start_screen.request_start()
    flow.run_to_end()
    assert flow.window.close()
    assert asked == []


def test_a_data_folder_fixed_during_the_run_gets_what_memory_kept(
    make: Callable[..., Flow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    make_read_only(data)  # at start: the history lives in memory
    try:
        flow = make(db=data / "history.sqlite3", connect=permission_honouring_connect)
        label = flow.window.session_view.save_label
        fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
        flow.window.start_screen.request_start()
        assert label.isVisible() and "Not saved" in label.text()
        flow.run_to_end()  # the first session, kept in memory
        assert flow.window.summary_view.storage_label.isVisible()
        fake_ask(monkeypatch, {"after": entries("after", 5, 6)})
        flow.window.start_screen.request_start()
        step_once(flow)
        assert label.isVisible()  # still read-only: still true

        make_writable(data)  # the user fixes the folder's permissions
        controller = flow.window.flow.controller
        assert controller is not None
        step = controller.snapshot().step_index
        while controller.snapshot().step_index == step:
            step_once(flow)  # the next step saves progress: that write reconnects

        assert flow.history.on_disk
        assert not label.isVisible()
        screenshot(flow.window, "session_saved_again")
        flow.run_to_end()
        with History(data / "history.sqlite3") as on_disk:
            records = on_disk.sessions()
        assert len(records) == 2  # each once
        assert [r.status for r in records] == ["completed", "completed"]
        assert not flow.window.summary_view.storage_label.isVisible()  # in the file now
        assert {r.result(Side.LEFT).entered_value for r in records} == {3, 5}  # type: ignore[union-attr]
        flow.window.summary_view.back_button.click()
        flow.window.start_screen.request_start()  # the next session: saved from its start
        assert not label.isVisible()
        flow.run_to_end()
        asked: list[int] = []
        monkeypatch.setattr(
            UnsavedHistoryDialog, "ask", classmethod(lambda cls, p, n, why: asked.append(n) or QUIT)
        )
        assert flow.window.close()
        assert asked == []  # nothing left only in memory: quitting asks nothing
    finally:
        make_writable(data)
