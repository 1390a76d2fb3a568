"""An unexpected error: logged to the state folder, the session saved, a short dialog."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from timer_app.paths import log_dir
from timer_app.ui.crash_handler import CrashDialog, CrashHandler, CrashReport, log_to_file


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[CrashReport]:
    shown: list[CrashReport] = []
    monkeypatch.setattr(
        CrashDialog, "show_report", classmethod(lambda cls, parent, report: shown.append(report))
    )
    return shown


@pytest.fixture
def log_file(tmp_path: Path) -> Any:
    root = logging.getLogger()
    before = list(root.handlers)
    path = log_to_file(tmp_path / "state" / "log")
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def failing_action() -> None:
    raise KeyError("info")


def test_the_log_folder_is_in_the_users_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert log_dir() == tmp_path / "state" / "timer-app" / "log"


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_saved_and_shown(
    qtbot: Any, log_file: Path, reports: list[CrashReport]
) -> None:
    saved: list[bool] = []
    handler = CrashHandler(log_file, lambda: saved.append(True) or True, lambda: None)
    handler.install()
    try:
        QTimer.singleShot(0, failing_action)  # escapes into the Qt event loop
        qtbot.waitUntil(lambda: bool(reports), timeout=2000)
    finally:
        handler.uninstall()
    [report] = reports
    assert report.what == "KeyError: 'info'"
    assert report.where.startswith("test_crash_handler.py, line")
    assert report.where.endswith("in failing_action")
    assert saved == [True]
    text = report.text()
    assert str(log_file) in text
    assert "Your session so far is saved" in text
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error" in logged
    assert "KeyError: 'info'" in logged  # the traceback, for a bug report


def test_a_failing_save_is_logged_and_the_dialog_still_shows(
    log_file: Path, reports: list[CrashReport]
) -> None:
    def broken_save() -> bool:
        raise OSError("disk full")

    handler = CrashHandler(log_file, broken_save, lambda: None)
    try:
        failing_action()
    except KeyError:
        handler.handle(*sys.exc_info())  # type: ignore[arg-type]
    [report] = reports
    assert not report.session_saved
    assert "session so far is saved" not in report.text()
    assert "the session could not be saved" in log_file.read_text(encoding="utf-8")


def test_no_log_folder_is_said_plainly(tmp_path: Path, reports: list[CrashReport]) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert log_to_file(blocked / "log") is None  # a file where the folder should be
    handler = CrashHandler(None, lambda: False, lambda: None)
    try:
        failing_action()
    except KeyError:
        handler.handle(*sys.exc_info())  # type: ignore[arg-type]
    assert reports[0].text().endswith("No log file could be written.")
