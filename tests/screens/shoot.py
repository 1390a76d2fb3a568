"""Screenshots of the main screens on the X display it is given, plus the geometry to check.

Run by ``tests/screens/test_screen_sizes.py`` as a subprocess on an Xvfb of the screen size
under test (a QApplication's screen and scale factor are fixed for its life, so each size
needs its own process):

    python -m tests.screens.shoot OUT_DIR

It opens the real main window (fake voice, fake clock, a store with two months of results),
then the start screen, the history, a PAIL, the results prompt (with its error messages
showing) and the routine editor, saves a PNG of each window's area of the screen in OUT_DIR and
writes OUT_DIR/report.json: each window's frame, the screen's available area, text that
does not fit, overlapping widgets, the countdown's digit height, and every Qt warning.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QRect,
    QSize,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from tests.conftest import ROUTINES
from tests.gui.fakes import FakeSpeaker
from tests.gui.layout_checks import clipped_texts, outside, overlapping_siblings
from tests.helpers.clock import FakeClock
from tests.helpers.top_levels import visible_top_levels
from tests.helpers.wake_lock import FakeWakeLock
from timer_app.core.results import ResultEntry
from timer_app.core.routine import PhaseKind, Routine, Side
from timer_app.core.routine_file import load_routine, routine_to_dict
from timer_app.paths import assets_dir
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.storage.records import SessionRecord

WARNINGS: list[str] = []


def _on_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
        WARNINGS.append(message)


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    QTest.qWait(100)  # a real X server: let the map and the first paint arrive
    QApplication.processEvents()


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _seed(history: History, routine: Routine) -> None:
    day0 = datetime(2026, 9, 1, 7, 30, tzinfo=UTC)
    with history.batch():
        for day in range(60):
            left = 2.0 + day * 0.03 + (0.25 if day % 3 == 0 else 0.0)
            right = 3.5 + day * 0.01 - (0.25 if day % 4 == 0 else 0.0)
            started = day0 + timedelta(days=day)
            history.insert_record(
                SessionRecord(
                    id=0,
                    routine_id=routine.id,
                    routine_name=routine.name,
                    started_at=started,
                    status="completed",
                    planned_seconds=1210,
                    snapshot=routine_to_dict(routine),
                    ended_at=started + timedelta(minutes=21),
                    done_seconds=1210,
                    results=tuple(
                        ResultEntry(side, value * 7.5, value, "blocks", "after")
                        for side, value in ((Side.LEFT, left), (Side.RIGHT, right))
                    ),
                )
            )


class Shooter:
    """Takes the screenshots and collects what the test asserts."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.report: dict[str, Any] = {"shots": {}}

    def shot(self, name: str, window: QWidget, **extra: Any) -> dict[str, Any]:
        _settle()
        screen = window.screen()
        path = self.out / f"{name}.png"
        # The window's own area of the screen: a grab of the whole screen would show the
        # bare (black) X screen wherever the window does not reach.
        frame = window.frameGeometry()
        screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(str(path))
        entry: dict[str, Any] = {
            "file": path.name,
            "frame": _rect(window.frameGeometry()),
            "available": _rect(screen.availableGeometry()),
            "outside": outside(window.frameGeometry(), screen.availableGeometry()),
            "clipped": clipped_texts(window),
            "overlaps": overlapping_siblings(window),
            "buttons_off_screen": [
                b.text()
                for b in window.findChildren(QPushButton)
                if b.isVisibleTo(window)
                and outside(QRect(b.mapToGlobal(b.rect().topLeft()), b.size()), window.geometry())
            ],
            "device_pixel_ratio": window.devicePixelRatio(),
            **extra,
        }
        self.report["shots"][name] = entry
        return entry


def run(out: Path) -> int:
    from timer_app.ui.dialogs import KeysDialog
    from timer_app.ui.editor import RoutineEditorDialog
    from timer_app.ui.main_window import MainWindow
    from timer_app.ui.results_dialog import ResultsDialog
    from timer_app.ui.voice_settings import VoiceSettingsDialog

    qInstallMessageHandler(_on_message)
    app = QApplication(["timer-app-screens"])
    out.mkdir(parents=True, exist_ok=True)
    shooter = Shooter(out)
    screen = QGuiApplication.primaryScreen()
    shooter.report["screen"] = _rect(screen.geometry())
    shooter.report["screen_device_pixel_ratio"] = screen.devicePixelRatio()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        builtin = tmp / "builtin"
        shutil.copytree(ROUTINES, builtin)
        routine = load_routine(builtin / "hip-ir-lying.toml")
        history = History(tmp / "history.sqlite3")
        _seed(history, routine)
        settings = Settings(last_routine_id=routine.id, lead_in_seconds=0)
        clock = FakeClock()
        window = MainWindow(
            settings=settings,
            speaker=FakeSpeaker(),  # type: ignore[arg-type]
            wake_lock=FakeWakeLock(),
            builtin_dir=builtin,
            user_dir=tmp / "user",
            clock=clock,
            history=history,
        )
        window.show()
        QTest.qWaitForWindowExposed(window)
        shooter.shot("start", window)

        # The history before any session runs here: only the seeded months, no "running"
        # session of this very script at the top.
        window.show_history()
        from timer_app.ui.history_view import HistoryWindow

        # The window the user now sees (found as they would: the one on screen).
        [history_window] = [w for w in visible_top_levels() if isinstance(w, HistoryWindow)]
        QTest.qWaitForWindowExposed(history_window)
        shooter.shot("history", history_window)
        history_window.close()

        # The before-drill prompt is shot on its own below; here it is answered "Later".
        ask = ResultsDialog.ask
        ResultsDialog.ask = classmethod(lambda cls, *a, **k: None)  # type: ignore[assignment]
        # (The routine tests before the drill: the prompt comes after its timed test step,
        # with the session waiting paused at the next step; it stays answered "Later".)
        window.start_screen.request_start()
        controller = window.flow.controller
        assert controller is not None
        while controller.engine.step.kind is not PhaseKind.PAIL:
            controller.next_step()
        if controller.is_paused:
            controller.resume()
        clock.now += 6
        controller.wake()
        controller.refresh_now()
        view = window.session_view
        _settle()
        ResultsDialog.ask = ask  # type: ignore[method-assign]
        # HiDPI: the digits are drawn at the screen's pixel density, and the app's icon is a
        # vector (SVG) drawn at that density too, never a scaled-up bitmap.
        ratio = window.devicePixelRatio()
        digits = view.countdown.grab()
        icon = QIcon(str(assets_dir() / "icons" / "timer-app.svg")).pixmap(QSize(48, 48), ratio)
        shooter.report["hidpi"] = {
            "countdown_logical": [view.countdown.width(), view.countdown.height()],
            "countdown_pixels": [digits.width(), digits.height()],
            "icon_pixels": [icon.width(), icon.height()],
        }
        shooter.shot(
            "pail",
            window,
            digit_height=view.countdown.digit_pixel_height(),
            digits_width=view.countdown.text_pixel_width(),
            window_height=window.height(),
            window_width=window.width(),
            largest_text=max(
                (
                    label.fontMetrics().capHeight()
                    for label in view.findChildren(QWidget)
                    if hasattr(label, "text") and label.isVisibleTo(view) and label is not view
                ),
                default=0,
            ),
        )

        dialog = ResultsDialog(
            window,
            sides=[Side.LEFT, Side.RIGHT],
            when="after",
            routine_name=routine.name,
            settings=settings,
        )
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        dialog.save_button.click()  # empty heights: the error messages show
        shooter.shot("results", dialog)
        dialog.close()

        entry = window.start_screen.selected_entry()
        editor = RoutineEditorDialog(
            entry, tmp / "user", window, builtin, window_sizes=settings.window_sizes
        )
        editor.show()
        QTest.qWaitForWindowExposed(editor)
        shooter.shot("editor", editor)
        editor.done(0)

        voice = VoiceSettingsDialog(settings, FakeSpeaker(), window)  # type: ignore[arg-type]
        voice.show()
        QTest.qWaitForWindowExposed(voice)
        shooter.shot("voice", voice)
        voice.done(0)

        keys = KeysDialog(window)
        keys.show()
        QTest.qWaitForWindowExposed(keys)
        shooter.shot("keys", keys)
        keys.done(0)

        controller.stop()
        _settle()
        window.close()
        history.close()
    shooter.report["warnings"] = WARNINGS
    (out / "report.json").write_text(json.dumps(shooter.report, indent=2))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
