"""Small things seen on the way (issue 13, point 10): the window title, an empty chart's axes,
the rename dialog's size, Help's user guide and About, and Test voice without a sound device."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from tests.gui.fakes import FakeSpeaker
from tests.gui.test_session_window import Rig
from timer_app.core.library import discover_routines, find_routine
from timer_app.core.routine_store import Folders
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.routine_actions import RENAME_DIALOG_WIDTH, rename_routine_action
from timer_app.ui.voice_settings import VoiceSettingsDialog


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    return Rig(qtbot, tmp_path)


def _on_next_modal(handle: Any) -> None:
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            QTimer.singleShot(10, poll)
            return
        handle(widget)

    QTimer.singleShot(0, poll)


def _menu_action(rig: Rig, text: str) -> Any:
    for menu_action in rig.window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"no menu item {text}")


def test_the_title_the_desktop_shows_names_the_app_once(rig: Rig) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("Mobility Timer")  # as the app sets it (ui/app.py)
    try:
        rig.start()

        def shown() -> str:
            return subprocess.run(
                ["xdotool", "getwindowname", str(int(rig.window.winId()))],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            ).stdout.strip()

        rig.qtbot.waitUntil(lambda: shown() == "Short test routine — Mobility Timer")
    finally:
        app.setApplicationDisplayName("")


def test_an_empty_history_chart_has_plain_axes(qtbot, screenshot) -> None:  # type: ignore[no-untyped-def]
    from timer_app.ui.chart import HistoryChart
    from timer_app.ui.history_series import ChartSeries, SideSeries

    chart = HistoryChart()
    qtbot.addWidget(chart)
    chart.resize(900, 500)
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_series(ChartSeries("blocks", SideSeries(), SideSeries()), "Hip IR")
    for plot in (chart.height_plot, chart.asym_plot):
        axis = plot.getAxis("left")
        assert "x0.001" not in axis.labelString() and "(x" not in axis.labelString()
    low, high = chart.height_plot.viewRange()[1]
    assert (low, high) == pytest.approx((0, 5))
    x_low, x_high = chart.height_plot.viewRange()[0]
    assert x_high - x_low == pytest.approx(14 * 86400)  # two weeks of dates, not 0..1
    screenshot(chart, "history-chart-empty")
    chart.close()


def test_rename_dialog_is_big_enough_for_a_long_name(
    qtbot: Any, tmp_path: Path, screenshot: Any
) -> None:
    import shutil

    from tests.conftest import ROUTINES

    builtin = tmp_path / "builtin"
    shutil.copytree(ROUTINES, builtin)
    folders = Folders(user=tmp_path / "user", builtin=builtin)
    entry = find_routine(discover_routines(builtin, folders.user), "quick-hip-check")
    assert entry is not None
    seen: list[tuple[int, int]] = []

    def handle(widget: QWidget) -> None:
        assert isinstance(widget, QInputDialog)
        seen.append((widget.width(), widget.height()))
        screenshot(widget, "rename-dialog")
        widget.setTextValue("Quick hip IR check, before work on Mondays and Thursdays")
        widget.accept()

    _on_next_modal(handle)
    renamed = rename_routine_action(None, entry, folders.user)
    assert renamed is not None
    assert renamed.name == "Quick hip IR check, before work on Mondays and Thursdays"
    assert seen[0][0] >= RENAME_DIALOG_WIDTH


def test_help_opens_the_user_guide(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def open_url(url: Any) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    _menu_action(rig, "User guide").trigger()
    assert len(opened) == 1
    guide = Path(opened[0])
    assert guide.name == "user-guide.md" and guide.is_file()
    assert guide.read_text().startswith("# Mobility Timer user guide")


def test_about_says_what_and_where(rig: Rig, screenshot: Any) -> None:
    texts: list[str] = []

    def handle(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        texts.append(widget.text())
        screenshot(widget, "about")
        widget.accept()

    _on_next_modal(handle)
    _menu_action(rig, "About").trigger()
    text = texts[0]
    for words in ("0.1.0", "spoken timer", "F1", "History", "Your routines", "User guide"):
        assert words in text
    assert str(rig.window.user_dir) in text


def test_test_voice_without_a_sound_device_says_so(qtbot: Any, screenshot: Any) -> None:
    speaker = FakeSpeaker()
    speaker.sound = False  # no device found (yet): no notice up front
    dialog = VoiceSettingsDialog(Settings(), speaker)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.notice.isVisible()
    dialog.test.click()
    assert dialog.notice.isVisible()  # something to read instead of silence
    assert dialog.notice.text().startswith("No sound device")
    assert not [c for c in speaker.calls if c[0] == "say_now"]
    screenshot(dialog, "voice-test-no-device")
    dialog.close()
