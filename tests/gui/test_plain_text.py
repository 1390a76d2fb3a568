"""Text from a user's files reaches the screen as written: markup in a shared routine file
does not change fonts, load local images or add links; settings problems are said in the
window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.fakes import FakeSpeaker
from tests.helpers.clock import FakeClock
from tests.helpers.wake_lock import FakeWakeLock
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.ui.app import report_settings_problems
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.main_window import MainWindow

MARKUP = "<b>Big</b><img src='/etc/hosts'><a href='https://x'>link</a>"
HOSTILE = f"""
schema = 1
id = "hostile"
name = "{MARKUP}"
description = "<h1>{MARKUP}</h1>"

[warmup]
name = "<i>CARs</i>"
reps = 1
seconds_per_rep = 5
instruction = "<font size=40>{MARKUP}</font>"

[main]
rounds = 1
sides = "left"
[[main.phases]]
kind = "passive"
name = "<u>Hold</u>"
seconds = 10
instruction = "<table><tr><td>{MARKUP}</td></tr></table>"

[measurement]
when = "after"
prompt = "<s>How high?</s>"
"""


def rich_labels(widget: QWidget) -> list[str]:
    """Labels whose text has markup and would render it as rich text."""
    return [
        label.text()
        for label in widget.findChildren(QLabel)
        if "<" in label.text() and label.textFormat() != Qt.TextFormat.PlainText
    ]


def markup_labels(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if "<" in label.text()]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    user = tmp_path / "user"
    user.mkdir()
    (user / "hostile.toml").write_text(HOSTILE)
    history = History(tmp_path / "history.sqlite3")
    win = MainWindow(
        settings=Settings(last_routine_id="hostile", lead_in_seconds=0),
        settings_path=tmp_path / "settings.toml",
        speaker=FakeSpeaker(),
        wake_lock=FakeWakeLock(),
        builtin_dir=None,
        user_dir=user,
        clock=FakeClock(),
        history=history,
    )
    qtbot.addWidget(win)
    with qtbot.waitExposed(win):
        win.show()
    yield win
    win.close()
    history.close()


def test_markup_in_a_routine_file_is_shown_as_written(
    window: MainWindow, qtbot: QtBot, screenshot
) -> None:  # type: ignore[no-untyped-def]
    start = window.start_screen
    assert start.name_label.text() == MARKUP
    assert len(markup_labels(start)) >= 3  # name, description, summary rows
    assert rich_labels(start) == []
    tooltip = start.routine_list.item(0).toolTip()
    assert "&lt;b&gt;Big" in tooltip and "<b>" not in tooltip
    screenshot(window, "plain_text_start")

    start.request_start()
    assert window.flow.controller is not None
    assert markup_labels(window.session_view)  # the instruction and step name are there
    assert rich_labels(window) == []
    screenshot(window, "plain_text_session")
    window.request_stop()
    assert rich_labels(window) == []


def test_settings_problems_are_said_in_the_window(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('block_height_cm = 0\nresult_unit = "<b>furlongs</b>"\n')
    settings = Settings.load(path)
    box = report_settings_problems(window, settings)
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert f"Some settings in {path} could not be used:" in box.text()
    assert "• block_height_cm: must be a number 1-30, got 0; using 7.5" in box.text()
    assert "'<b>furlongs</b>'" in box.text()
    assert "Your file will be kept as settings.toml.invalid-" in box.text()
    box.close()
    QApplication.processEvents()
    assert report_settings_problems(window, Settings()) is None


def test_a_routine_name_with_markup_is_an_escaped_chart_title(qtbot: QtBot) -> None:
    from timer_app.ui.chart import HistoryChart
    from timer_app.ui.history_series import chart_series

    chart = HistoryChart()
    qtbot.addWidget(chart)
    chart.show_series(chart_series([], "blocks"), MARKUP)
    title = chart.height_plot.titleLabel.text
    assert "&lt;b&gt;Big&lt;/b&gt;&lt;img" in title
    assert "<img" not in title
