"""The block-height prompt, driven from the keyboard as a user on the floor would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Side
from timer_app.settings import Settings
from timer_app.ui.results_dialog import ResultsDialog


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def dialog(qtbot: QtBot, settings: Settings) -> Iterator[ResultsDialog]:
    dlg = ResultsDialog(
        None, sides=["left", "right"], when="after", routine_name="Hip IR", settings=settings
    )
    qtbot.addWidget(dlg)
    with qtbot.waitExposed(dlg):
        dlg.show()
    yield dlg
    dlg.close()


def field(dlg: QWidget, name: str) -> QLineEdit:
    widget = dlg.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def label(dlg: QWidget, name: str) -> QLabel:
    widget = dlg.findChild(QLabel, name)
    assert widget is not None, name
    return widget


def test_type_tab_type_enter_saves_both_sides(
    qtbot: QtBot, dialog: ResultsDialog, settings: Settings
) -> None:
    assert dialog.focusWidget() is field(dialog, "height_left")
    qtbot.keyClicks(dialog.focusWidget(), "4.5")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is field(dialog, "height_right")
    qtbot.keyClicks(dialog.focusWidget(), "3")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    entries = dialog.entries()
    assert entries == [
        ResultEntry(Side.LEFT, 33.75, 4.5, unit="blocks", when="after"),
        ResultEntry(Side.RIGHT, 22.5, 3.0, unit="blocks", when="after"),
    ]
    assert settings.result_unit == "blocks"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a height"),
        ("abc", "not a number"),
        ("-1", "negative"),
        ("1000", "too high"),
        ("3.125", "too many decimals"),
    ],
)
def test_bad_height_is_refused_beside_its_field(
    qtbot: QtBot, dialog: ResultsDialog, typed: str, message: str
) -> None:
    qtbot.keyClicks(field(dialog, "height_left"), "4")
    qtbot.keyClicks(field(dialog, "height_right"), typed)
    qtbot.keyClick(field(dialog, "height_right"), Qt.Key.Key_Return)
    error = label(dialog, "height_error_right")
    assert error.isVisible()
    assert message in error.text()
    assert not label(dialog, "height_error_left").isVisible()
    # Nothing saved, the dialog stays open and the bad field has the focus to fix it.
    assert dialog.isVisible()
    assert dialog.entries() is None
    assert dialog.focusWidget() is field(dialog, "height_right")
    # Fixing it clears the message as the user types, and Enter then saves.
    right = field(dialog, "height_right")
    right.selectAll()
    qtbot.keyClicks(right, "2.25")
    assert not error.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(right, Qt.Key.Key_Return)
    entries = dialog.entries()
    assert entries is not None
    assert entries[1].entered_value == 2.25


@pytest.mark.parametrize(("typed", "message"), [("11", "above 10"), ("x", "not a whole number")])
def test_bad_pain_is_refused(qtbot: QtBot, dialog: ResultsDialog, typed: str, message: str) -> None:
    qtbot.keyClicks(field(dialog, "height_left"), "4")
    qtbot.keyClicks(field(dialog, "height_right"), "4")
    qtbot.keyClicks(field(dialog, "pain_left"), typed)
    qtbot.keyClick(field(dialog, "pain_left"), Qt.Key.Key_Return)
    assert message in label(dialog, "pain_error_left").text()
    assert label(dialog, "pain_error_left").isVisible()
    assert dialog.entries() is None
    assert dialog.isVisible()


def test_pain_note_and_centimetres(qtbot: QtBot, dialog: ResultsDialog, settings: Settings) -> None:
    dialog.unit_combo.setFocus()
    qtbot.keyClick(dialog.unit_combo, Qt.Key.Key_Down)  # blocks -> cm
    assert dialog.unit == "cm"
    assert not dialog.block_spin.isEnabled()
    assert label(dialog, "unit_left").text() == "cm"
    qtbot.keyClicks(field(dialog, "height_left"), "30,5")  # a decimal comma is fine
    qtbot.keyClicks(field(dialog, "height_right"), "28")
    qtbot.keyClicks(field(dialog, "pain_right"), "2")
    qtbot.keyClicks(field(dialog, "note"), "tight after the drive")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(field(dialog, "note"), Qt.Key.Key_Return)
    left, right = dialog.entries() or []
    assert (left.value_cm, left.unit, left.pain) == (30.5, "cm", None)
    assert (right.value_cm, right.pain, right.note) == (28.0, 2, "tight after the drive")
    assert settings.result_unit == "cm"  # remembered for next time


def test_block_thickness_is_editable_and_remembered(
    qtbot: QtBot, dialog: ResultsDialog, settings: Settings
) -> None:
    dialog.block_spin.setFocus()
    dialog.block_spin.selectAll()
    qtbot.keyClicks(dialog.block_spin, "10")
    qtbot.keyClicks(field(dialog, "height_left"), "3")
    qtbot.keyClicks(field(dialog, "height_right"), "2.5")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(field(dialog, "height_right"), Qt.Key.Key_Return)
    assert [e.value_cm for e in dialog.entries() or []] == [30.0, 25.0]
    assert settings.block_height_cm == 10.0


def test_gain_since_before_is_shown_per_side(qtbot: QtBot, settings: Settings) -> None:
    before = [
        ResultEntry(Side.LEFT, 22.5, 3, when="before"),
        ResultEntry(Side.RIGHT, 30.0, 4, when="before"),
    ]
    dlg = ResultsDialog(
        None,
        sides=[Side.LEFT, Side.RIGHT],
        when="after",
        routine_name="Hip IR",
        settings=settings,
        before=before,
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert "before 3 blocks" in label(dlg, "gain_left").text()
    qtbot.keyClicks(field(dlg, "height_left"), "3.5")
    qtbot.keyClicks(field(dlg, "height_right"), "3.75")
    assert label(dlg, "gain_left").text().startswith("+0.5 blocks")
    assert label(dlg, "gain_right").text().startswith("−0.25 blocks")
    dlg.close()


def test_one_side_only_and_font_is_big(qtbot: QtBot, settings: Settings) -> None:
    dlg = ResultsDialog(
        None, sides=["right"], when="before", routine_name="Hip ER", settings=settings
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.findChild(QLineEdit, "height_left") is None
    for widget in (field(dlg, "height_right"), field(dlg, "note"), dlg.save_button):
        assert widget.font().pointSize() >= 20
    qtbot.keyClicks(field(dlg, "height_right"), "2")
    qtbot.keyClick(field(dlg, "height_right"), Qt.Key.Key_Enter)
    assert [(e.side, e.when) for e in dlg.entries() or []] == [(Side.RIGHT, "before")]


def test_editing_prefills_values_as_entered(qtbot: QtBot, settings: Settings) -> None:
    initial = [
        ResultEntry(Side.LEFT, 25.4, 10, unit="in", pain=3, note="ok"),
        ResultEntry(Side.RIGHT, 27.94, 11, unit="in", note="ok"),
    ]
    dlg = ResultsDialog(
        None,
        sides=["left", "right"],
        when="after",
        routine_name="Hip IR",
        settings=settings,
        initial=initial,
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.unit == "in"
    assert (field(dlg, "height_left").text(), field(dlg, "pain_left").text()) == ("10", "3")
    assert field(dlg, "height_right").text() == "11"
    assert field(dlg, "note").text() == "ok"
    qtbot.keyClick(field(dlg, "height_left"), Qt.Key.Key_Return)
    assert dlg.entries() == initial
    # Showing an old entry's unit is not a new choice: the user's unit stays as it was.
    assert settings.result_unit == "blocks"


def test_editing_keeps_an_old_block_thickness_exact(qtbot: QtBot, settings: Settings) -> None:
    initial = [ResultEntry(Side.LEFT, 25.375, 3.5)]  # entered with 7.25 cm blocks
    dlg = ResultsDialog(
        None, sides=["left"], when="after", routine_name="IR", settings=settings, initial=initial
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.block_cm == 7.25
    qtbot.keyClick(field(dlg, "height_left"), Qt.Key.Key_Return)
    assert dlg.entries() == initial
    assert settings.block_height_cm == 7.5


def _click_when_modal(name: str) -> None:
    def click() -> None:
        modal = QApplication.activeModalWidget()
        assert modal is not None
        button = modal.findChild(QPushButton, name)
        assert button is not None
        button.click()

    QTimer.singleShot(0, click)


def test_ask_later_returns_none(qtbot: QtBot, settings: Settings) -> None:
    _click_when_modal("later")
    result = ResultsDialog.ask(
        None, sides=["left", "right"], when="after", routine_name="Hip IR", settings=settings
    )
    assert result is None
    assert settings.result_unit == "blocks"


def test_ask_returns_entries(qtbot: QtBot, settings: Settings) -> None:
    def fill() -> None:
        modal = QApplication.activeModalWidget()
        assert isinstance(modal, ResultsDialog)
        qtbot.keyClicks(field(modal, "height_left"), "2")
        qtbot.keyClick(field(modal, "height_left"), Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    result = ResultsDialog.ask(
        None, sides=["left"], when="after", routine_name="Hip IR", settings=settings
    )
    assert result == [ResultEntry(Side.LEFT, 15.0, 2.0)]


def test_screenshot(
    qtbot: QtBot, settings: Settings, screenshot: Callable[[QWidget, str], Path]
) -> None:
    before = [
        ResultEntry(Side.LEFT, 22.5, 3, when="before"),
        ResultEntry(Side.RIGHT, 30.0, 4, when="before"),
    ]
    dlg = ResultsDialog(
        None,
        sides=["left", "right"],
        when="after",
        routine_name="Hip internal rotation, lying",
        settings=settings,
        before=before,
    )
    qtbot.addWidget(dlg)
    with qtbot.waitExposed(dlg):
        dlg.show()
    qtbot.keyClicks(field(dlg, "height_left"), "3.5")
    qtbot.keyClicks(field(dlg, "height_right"), "abc")
    qtbot.keyClicks(field(dlg, "pain_left"), "2")
    qtbot.keyClick(field(dlg, "height_right"), Qt.Key.Key_Return)
    screenshot(dlg, "results_dialog")
    # Nothing is cut off: every label shows its whole text.
    for widget in dlg.findChildren(QLabel):
        if widget.isVisible() and not widget.wordWrap():
            assert widget.width() >= widget.sizeHint().width(), widget.text()
    dlg.close()
