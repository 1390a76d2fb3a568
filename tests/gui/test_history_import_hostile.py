"""The history window's Import on hostile files: a FIFO, cells nested 100,000 deep, a date
past year 9999 in UTC. Each is one message naming the file and line; the window stays, the
store is unchanged (the GUI import once closed the app on these)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.ui.history_view import HistoryWindow

HEADER = "started_at,status,routine_id,routine_name,log\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[History]:
    with History(tmp_path / "history.sqlite3") as history:
        yield history


@pytest.fixture
def window(qtbot: QtBot, store: History) -> Iterator[HistoryWindow]:
    win = HistoryWindow(store, Settings())
    qtbot.addWidget(win)
    with qtbot.waitExposed(win):
        win.show()
    yield win
    win.close()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("pipe.csv", None, "it is a pipe (FIFO)"),
        (
            "deep.csv",
            HEADER + "2026-01-01T07:00:00+00:00,completed,x,X," + "[" * 100_000 + "]" * 100_000,
            "Line 2: log: nested too deeply (at most 32 levels)",
        ),
        (
            "late.csv",
            HEADER + "9999-12-31T23:00:00-14:00,completed,x,X,[]",
            "Line 2: started_at: out of range",
        ),
    ],
)
def test_a_hostile_file_is_one_message_and_the_window_stays(
    window: HistoryWindow,
    store: History,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: str | None,
    expected: str,
) -> None:
    path = tmp_path / name
    if content is None:
        os.mkfifo(path)
    else:
        path.write_text(content)
    warnings: list[str] = []
    monkeypatch.setattr(
        "timer_app.ui.history_csv.warn", lambda parent, title, text: warnings.append(text)
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)
    [text] = warnings
    assert f"Nothing was imported from {name}" in text
    assert expected in text
    assert window.isVisible()
    assert store.sessions() == []
