"""The routine editor: what is entered is what is saved, and bad input gets the loader's words."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import REPO
from tests.gui.routine_dirs import entry_for as _entry
from timer_app.core.error_words import in_user_terms
from timer_app.core.library import RoutineEntry
from timer_app.core.routine import (
    MainBlock,
    Measurement,
    MeasureUnit,
    MeasureWhen,
    Phase,
    PhaseKind,
    Ramp,
    Routine,
    Side,
    SidesMode,
    Warmup,
)
from timer_app.core.routine_file import RoutineError, load_routine
from timer_app.ui.editor import RoutineEditorDialog

TIMER_APP = Path(sys.executable).parent / "timer-app"


def _open(qtbot: QtBot, dirs: tuple[Path, Path], entry: RoutineEntry | None) -> RoutineEditorDialog:
    builtin, user = dirs
    dialog = RoutineEditorDialog(entry, user, builtin_dir=builtin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # so typed keys and Tab move focus as for a user
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace a field's text the way a user does: select all, type, Tab away."""
    widget.setFocus()
    assert widget.hasFocus()
    if isinstance(widget, QAbstractSpinBox | QLineEdit):
        widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert not widget.hasFocus()


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _toggle(qtbot: QtBot, check: QWidget) -> None:
    check.setFocus()
    assert check.hasFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)


def _choose(qtbot: QtBot, combo: QWidget, label: str) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    index = combo.findText(label)
    assert index >= 0, f"{label!r} not offered"
    combo.setFocus()
    # Keyboard selection, as a user without a mouse would: Home then Down to the item.
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == label


def _answer_next_box(button_text: str, texts: list[str]) -> None:
    """Press ``button_text`` on the next message box as soon as it is up (it blocks)."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        texts.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, poll)


def _discard(qtbot: QtBot, dialog: RoutineEditorDialog) -> None:
    texts: list[str] = []
    _answer_next_box("Discard changes", texts)
    dialog.reject()
    assert texts == ["Your changes to this routine are not saved."]
    assert not dialog.isVisible()


def test_round_trip_what_is_entered_is_saved_and_passes_check_routine(
    qtbot: QtBot, dirs: tuple[Path, Path], screenshot: Callable[..., Path]
) -> None:
    builtin, user = dirs
    shipped = (builtin / "hip-ir-lying.toml").read_bytes()
    dialog = _open(qtbot, dirs, _entry(dirs, "hip-ir-lying"))
    screenshot(dialog, "editor_builtin")

    _type(qtbot, dialog.name, "Hip IR for Sam")
    _toggle(qtbot, dialog.extra_round)
    _type(qtbot, dialog.warmup_reps, "5")
    _toggle(qtbot, dialog.warmup_per_side)
    _type(qtbot, dialog.rounds, "2")
    _choose(qtbot, dialog.first_side, "Right first")
    _type(qtbot, dialog.rest_between, "0:30")
    _type(qtbot, dialog.switch_sides, "45")

    phases = dialog.phases
    phases.list.setCurrentRow(0)
    _type(qtbot, phases.seconds, "1:30")  # passive hold as m:ss
    phases.list.setCurrentRow(1)
    _type(qtbot, phases.seconds, "25")  # PAIL as seconds
    _type(qtbot, phases.ramp_from, "20")
    _type(qtbot, phases.ramp_seconds, "0:20")
    phases.list.setCurrentRow(2)
    _click(qtbot, phases.add_button)  # a new phase after RAIL: a rest
    assert phases.kind.currentData() == PhaseKind.REST.value
    _type(qtbot, phases.seconds, "10")
    _type(qtbot, phases.instruction, "Shake the leg out")
    _click(qtbot, phases.up_button)  # now before RAIL
    assert phases.list.currentRow() == 2

    _choose(qtbot, dialog.measure_unit, "Centimetres")
    _choose(qtbot, dialog.measure_when, "Before and after")
    _type(qtbot, dialog.measure_prompt, "How high did your foot reach, in cm?")
    screenshot(dialog, "editor_edited")

    assert dialog.save_button.isEnabled()
    _click(qtbot, dialog.save_button)
    assert dialog.result() == RoutineEditorDialog.DialogCode.Accepted
    saved_path = user / "hip-ir-lying.toml"
    assert dialog.saved_path == saved_path
    assert (builtin / "hip-ir-lying.toml").read_bytes() == shipped

    original = load_routine(builtin / "hip-ir-lying.toml")
    assert original.warmup is not None and original.measurement is not None
    passive, pail, rail = original.main.phases
    expected = Routine(
        id="hip-ir-lying",
        name="Hip IR for Sam",
        description=original.description,
        extra_round_for_weaker_side=True,
        warmup=Warmup(
            reps=5,
            seconds_per_rep=original.warmup.seconds_per_rep,
            directions=original.warmup.directions,
            per_side=False,
            name=original.warmup.name,
            instruction=original.warmup.instruction,
        ),
        main=MainBlock(
            phases=(
                Phase(PhaseKind.PASSIVE, 90, passive.name, passive.instruction),
                Phase(PhaseKind.PAIL, 25, pail.name, pail.instruction, Ramp(20, 100, 20)),
                Phase(PhaseKind.REST, 10, instruction="Shake the leg out"),
                rail,
            ),
            rounds=2,
            sides=SidesMode.BOTH,
            first_side=Side.RIGHT,
            rest_between_rounds=30,
            switch_sides_seconds=45,
        ),
        measurement=Measurement(
            when=MeasureWhen.BOTH,
            prompt="How high did your foot reach, in cm?",
            unit=MeasureUnit.CM,
            seconds=original.measurement.seconds,
            instruction=original.measurement.instruction,
        ),
    )
    assert load_routine(saved_path) == expected
    assert _entry(dirs, "hip-ir-lying").overrides_builtin

    checked = subprocess.run(
        [str(TIMER_APP), "--check-routine", str(saved_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"{saved_path}: ok (hip-ir-lying, total ")


def test_invalid_input_shows_the_loaders_message_and_blocks_save(
    qtbot: QtBot, dirs: tuple[Path, Path], tmp_path: Path, screenshot: Callable[..., Path]
) -> None:
    dialog = _open(qtbot, dirs, _entry(dirs, "hip-ir-lying"))
    dialog.phases.list.setCurrentRow(1)  # the 20-second PAIL
    _type(qtbot, dialog.phases.ramp_seconds, "25")
    _type(qtbot, dialog.rounds, "0")
    # In the user's terms: the phase as the list numbers and names it, values as typed.
    message = (
        "hip-ir-lying.toml: phase 2 (PAIL), ramp.seconds: "
        'must be at most the phase\'s seconds (20), got "25"'
    )
    assert dialog.errors.text().splitlines() == [
        'hip-ir-lying.toml: rounds: must be 1..20, got "0"',
        message,
    ]
    assert dialog.phases.list.item(1).text().startswith("2. PAIL")
    assert not dialog.save_button.isEnabled()
    assert "2:00" not in dialog.total.text() and "fix the errors" in dialog.total.text()
    assert dialog.phases.list.item(1).text().endswith("(see errors)")
    screenshot(dialog, "editor_errors")

    # The very same messages as the file loader gives for the same content.
    as_file = tmp_path / "hip-ir-lying.toml"
    as_file.write_text(tomli_w.dumps(dialog.to_dict()), encoding="utf-8")
    with pytest.raises(RoutineError) as caught:
        load_routine(as_file)
    # The very same problems as the file loader finds, in the same order.
    words = [in_user_terms(e, dialog.to_dict()) for e in caught.value.errors]
    assert words == dialog.errors.text().splitlines()

    _type(qtbot, dialog.rounds, "3")
    _type(qtbot, dialog.phases.ramp_seconds, "15")
    assert dialog.save_button.isEnabled() and not dialog.errors.isVisible()
    assert not dialog.has_changes()  # back to what it opened with: Cancel asks nothing
    dialog.reject()
    assert not dialog.isVisible()


def test_an_empty_name_and_no_phases_are_refused(qtbot: QtBot, dirs: tuple[Path, Path]) -> None:
    _, user = dirs
    dialog = _open(qtbot, dirs, _entry(dirs, "quick-hip-check"))
    dialog.name.clear()
    while dialog.phases.list.count():
        _click(qtbot, dialog.phases.remove_button)
    assert dialog.errors.text().splitlines() == [
        "quick-hip-check.toml: name: must not be empty",
        "quick-hip-check.toml: phases: must have at least one phase",
    ]
    assert not dialog.save_button.isEnabled()
    dialog.save()  # even if called directly, nothing is written
    assert not user.exists() or not list(user.glob("*.toml"))
    _discard(qtbot, dialog)


def test_a_new_routine_gets_an_id_from_its_name_and_the_total_is_live(
    qtbot: QtBot, dirs: tuple[Path, Path]
) -> None:
    _, user = dirs
    dialog = _open(qtbot, dirs, None)
    assert dialog.windowTitle() == "New routine"
    _type(qtbot, dialog.name, "Knee ER, seated")
    before = dialog.total.text()
    dialog.phases.list.setCurrentRow(0)
    _type(qtbot, dialog.phases.seconds, "3:00")
    assert dialog.total.text() != before
    _click(qtbot, dialog.save_button)
    assert dialog.saved_path == user / "knee-er-seated.toml"
    saved = load_routine(user / "knee-er-seated.toml")
    assert saved.name == "Knee ER, seated" and saved.main.phases[0].seconds == 180


def test_edit_returns_the_saved_path_or_none_when_cancelled(
    qtbot: QtBot, dirs: tuple[Path, Path]
) -> None:
    builtin, user = dirs
    entry = _entry(dirs, "hip-er-lying")

    def press(button_name: str) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RoutineEditorDialog):
            QTimer.singleShot(10, lambda: press(button_name))
            return
        if button_name == "save":
            _click(qtbot, dialog.save_button)
        else:
            dialog.reject()

    QTimer.singleShot(0, lambda: press("cancel"))
    assert RoutineEditorDialog.edit(entry, user, builtin_dir=builtin) is None
    assert not user.exists() or not list(user.glob("*.toml"))
    QTimer.singleShot(0, lambda: press("save"))
    assert RoutineEditorDialog.edit(entry, user, builtin_dir=builtin) == user / "hip-er-lying.toml"


def test_cancel_asks_before_throwing_edits_away(qtbot: QtBot, dirs: tuple[Path, Path]) -> None:
    dialog = _open(qtbot, dirs, _entry(dirs, "quick-hip-check"))
    assert dialog.note.isVisible() and "built-in" in dialog.note.text().lower()
    _type(qtbot, dialog.rounds, "2")
    texts: list[str] = []
    _answer_next_box("Keep editing", texts)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert texts and dialog.isVisible() and dialog.rounds.value() == 2
    _discard(qtbot, dialog)
    _, user = dirs
    assert not user.exists() or not list(user.glob("*.toml"))
