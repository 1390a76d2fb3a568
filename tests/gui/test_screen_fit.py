"""Windows and dialogs open inside the screen, remember their size, and never grow past it.

The test X server is 800x600 (pytest-xvfb's default), smaller than every window's preferred
size, so each test here is also the "small screen" case.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.fakes import FakeSpeaker
from tests.gui.layout_checks import clipped_texts, outside
from tests.helpers.wake_lock import FakeWakeLock
from timer_app.core.routine import Side
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.ui.history_view import HistoryWindow
from timer_app.ui.main_window import MainWindow
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.screen_fit import FRAME_ALLOWANCE, fit_to_screen
from timer_app.ui.voice_settings import VoiceSettingsDialog


def _available(widget: QWidget) -> QSize:
    return widget.screen().availableGeometry().size()


def test_a_window_larger_than_the_screen_opens_inside_it(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    fit_to_screen(window, QSize(5000, 3000))
    window.move(-300, 2000)
    window.show()
    qtbot.waitExposed(window)
    assert outside(window.frameGeometry(), window.screen().availableGeometry()) == ""
    available = _available(window)
    assert window.width() == available.width() - FRAME_ALLOWANCE.width()
    assert window.height() == available.height() - FRAME_ALLOWANCE.height()


def test_size_is_remembered_and_reused(qtbot: QtBot) -> None:
    sizes: dict[str, list[int]] = {}
    first = QWidget()
    qtbot.addWidget(first)
    fit_to_screen(first, QSize(500, 400), sizes, "thing")
    assert first.size() == QSize(500, 400)
    first.show()
    qtbot.waitExposed(first)
    first.resize(620, 330)
    qtbot.waitUntil(lambda: sizes.get("thing") == [620, 330])
    first.close()

    again = QWidget()
    qtbot.addWidget(again)
    fit_to_screen(again, QSize(500, 400), sizes, "thing")
    assert again.size() == QSize(620, 330)


def test_a_remembered_size_past_the_screen_or_nonsense_is_not_used(qtbot: QtBot) -> None:
    sizes: dict[str, list[int]] = {"big": [9000, 9000], "bad": ["x", 3], "tiny": [5, 5]}
    for key in sizes.copy():
        window = QWidget()
        qtbot.addWidget(window)
        fit_to_screen(window, QSize(400, 300), sizes, key)
        limit = _available(window) - FRAME_ALLOWANCE
        if key == "big":
            assert window.size() == limit
        else:
            assert window.size() == QSize(400, 300)


def test_a_big_window_grows_with_the_screen_but_a_remembered_size_wins(qtbot: QtBot) -> None:
    """A big window opens at a share of the screen where that is more than its preferred
    size (each side on its own); the size the user gave it last time wins over both."""
    sizes: dict[str, list[int]] = {}
    window = QWidget()
    qtbot.addWidget(window)
    fit_to_screen(window, QSize(300, 100), sizes, "big", grow=0.75)
    usable = _available(window) - FRAME_ALLOWANCE
    assert window.size() == QSize(round(usable.width() * 0.75), round(usable.height() * 0.75))
    wide = QWidget()
    qtbot.addWidget(wide)
    fit_to_screen(wide, QSize(usable.width() - 10, 100), sizes, "wide", grow=0.75)
    assert wide.size() == QSize(usable.width() - 10, round(usable.height() * 0.75))
    sizes["big"] = [320, 240]
    again = QWidget()
    qtbot.addWidget(again)
    fit_to_screen(again, QSize(300, 100), sizes, "big", grow=0.75)
    assert again.size() == QSize(320, 240)


def test_dialog_never_grows_past_the_screen(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    fit_to_screen(dialog, QSize(300, 200))
    dialog.show()
    dialog.resize(4000, 4000)
    assert dialog.width() <= _available(dialog).width()
    assert dialog.height() <= _available(dialog).height()
    dialog.close()


def test_main_window_opens_inside_a_small_screen_and_saves_its_size(
    qtbot: QtBot, tmp_path: Path, dirs: tuple[Path, Path]
) -> None:
    builtin, user = dirs
    settings = Settings()
    window = MainWindow(
        settings=settings,
        settings_path=tmp_path / "settings.toml",
        speaker=FakeSpeaker(),  # type: ignore[arg-type]
        wake_lock=FakeWakeLock(),
        builtin_dir=builtin,
        user_dir=user,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert outside(window.frameGeometry(), window.screen().availableGeometry()) == ""
    assert window.start_screen.start_button.isVisible()
    bottom_right = window.start_screen.start_button.rect().bottomRight()
    assert window.rect().contains(window.start_screen.start_button.mapTo(window, bottom_right))
    window.resize(700, 500)
    window.close()
    assert Settings.load(tmp_path / "settings.toml").window_sizes["main"] == [700, 500]


def _results_dialog(qtbot: QtBot, settings: Settings) -> ResultsDialog:
    dialog = ResultsDialog(
        None,
        sides=[Side.LEFT, Side.RIGHT],
        when="after",
        routine_name="Hip internal rotation, lying, with a long name that wraps",
        settings=settings,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _field(dialog: ResultsDialog, name: str) -> QLineEdit:
    field = dialog.findChild(QLineEdit, name)
    assert field is not None
    return field


def test_results_errors_scroll_inside_the_dialog_and_move_no_field(qtbot: QtBot) -> None:
    dialog = _results_dialog(qtbot, Settings())
    size = dialog.size()
    right = _field(dialog, "height_right")
    where = right.mapTo(dialog, QPoint(0, 0))
    dialog.save_button.click()  # both heights empty: two messages appear
    qtbot.wait(10)
    assert dialog.entries() is None
    assert dialog.size() == size  # nothing pushed Save and Later off the screen
    assert right.mapTo(dialog, QPoint(0, 0)) == where  # a click aimed there lands there
    for button in (dialog.save_button, dialog.later_button):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert dialog.rect().contains(corner)
    assert outside(dialog.frameGeometry(), dialog.screen().availableGeometry()) == ""
    dialog.close()


def test_a_refused_field_low_in_the_form_shows_its_reason_on_a_small_screen(
    qtbot: QtBot,
) -> None:
    """At 800x480 the form scrolls: Save with only the right side missing must bring the
    right side's message into view, not leave a red frame with the reason below the fold."""
    dialog = _results_dialog(qtbot, Settings())
    dialog.resize(770, 440)  # what the dialog gets on an 800x480 screen
    qtbot.wait(10)
    _field(dialog, "height_left").setText("3")
    dialog.save_button.click()
    qtbot.wait(10)
    assert dialog.entries() is None
    message = dialog.findChild(QLabel, "height_error_right")
    assert message is not None and message.isVisible() and message.text()
    viewport = dialog.form_scroll.viewport()
    for widget in (message, _field(dialog, "height_right")):
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        shown = viewport.rect().contains(top_left) and viewport.rect().contains(
            top_left + QPoint(0, widget.height() - 1)
        )
        assert shown, f"{widget.objectName()} is outside the visible part of the form"
    assert _field(dialog, "height_right").hasFocus()
    dialog.close()


def test_changing_the_unit_moves_no_field(qtbot: QtBot) -> None:
    dialog = _results_dialog(qtbot, Settings())
    pain = _field(dialog, "pain_left")
    where = pain.mapTo(dialog, QPoint(0, 0))
    for index in range(dialog.unit_combo.count()):
        dialog.unit_combo.setCurrentIndex(index)
        qtbot.wait(10)
        assert pain.mapTo(dialog, QPoint(0, 0)) == where
        assert clipped_texts(dialog) == []
    dialog.close()


def test_history_window_fits_an_800_pixel_wide_screen(qtbot: QtBot, tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    window = HistoryWindow(history, Settings())
    qtbot.addWidget(window)
    assert window.minimumSizeHint().width() <= 800 - FRAME_ALLOWANCE.width()
    window.show()
    qtbot.waitExposed(window)
    assert outside(window.frameGeometry(), window.screen().availableGeometry()) == ""
    window.close()
    history.close()


def test_voice_settings_fit_the_screen(qtbot: QtBot) -> None:
    dialog = VoiceSettingsDialog(Settings(), FakeSpeaker())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert outside(dialog.frameGeometry(), dialog.screen().availableGeometry()) == ""
    assert clipped_texts(dialog) == []
    dialog.close()


def test_keys_list_scrolls_and_close_stays_on_the_screen(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from timer_app.ui.dialogs import KeysDialog

    dialog = KeysDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert outside(dialog.frameGeometry(), dialog.screen().availableGeometry()) == ""
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    close = box.buttons()[0]
    assert dialog.rect().contains(close.mapTo(dialog, close.rect().bottomRight()))
    dialog.close()
