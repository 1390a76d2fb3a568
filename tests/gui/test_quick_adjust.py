"""Quick adjust: the new total shows while typing, Apply keeps it, Reset brings defaults back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import ROUTINES
from tests.gui.routine_dirs import entry_for as _entry
from timer_app.core.cues import display_duration
from timer_app.core.library import discover_routines
from timer_app.core.routine import Phase, PhaseKind, Ramp
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline
from timer_app.ui.quick_adjust import Adjustments, QuickAdjustPanel, apply_adjustments


def _panel(qtbot: QtBot, dirs: tuple[Path, Path]) -> QuickAdjustPanel:
    builtin, user = dirs
    panel = QuickAdjustPanel(user, builtin_dir=builtin)
    panel.resize(360, 560)
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()  # so typed keys and Tab move focus as for a user
    qtbot.waitUntil(panel.isActiveWindow)
    return panel


def _type(qtbot: QtBot, box: object, text: str) -> None:
    from PySide6.QtWidgets import QAbstractSpinBox

    assert isinstance(box, QAbstractSpinBox)
    box.setFocus()
    assert box.hasFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert not box.hasFocus()


def test_shows_only_the_rows_the_routine_has_and_its_total(
    qtbot: QtBot, dirs: tuple[Path, Path], screenshot: Callable[..., Path]
) -> None:
    panel = _panel(qtbot, dirs)
    entry = _entry(dirs, "hip-ir-lying")
    panel.set_routine(entry)
    assert entry.routine is not None
    visible = {kind for kind, box in panel.phase_boxes.items() if box.isVisible()}
    assert visible == {PhaseKind.PASSIVE, PhaseKind.PAIL, PhaseKind.RAIL}
    assert panel.cars_reps.isVisible() and panel.rounds.isVisible()
    assert panel.phase_boxes[PhaseKind.PASSIVE].text() == "2:00"
    total = display_duration(build_timeline(entry.routine).total_seconds)
    assert panel.total.text() == f"Total {total}"
    assert not panel.apply_button.isEnabled()
    assert not panel.reset_button.isVisible()  # nothing to reset yet
    assert panel.font().pointSize() >= 14
    assert panel.minimumSizeHint().width() <= 360  # fits beside the routine list
    screenshot(panel, "quick_adjust_builtin")

    quick = _entry(dirs, "quick-hip-check")
    panel.set_routine(quick)
    assert not panel.cars_reps.isVisible()  # no warm-up in this routine
    assert not panel.rest_between.isEnabled()  # one round: nothing to rest between


def test_typing_a_duration_updates_the_total_live(qtbot: QtBot, dirs: tuple[Path, Path]) -> None:
    panel = _panel(qtbot, dirs)
    entry = _entry(dirs, "hip-ir-lying")
    assert entry.routine is not None
    panel.set_routine(entry)
    before = build_timeline(entry.routine).total_seconds
    _type(qtbot, panel.phase_boxes[PhaseKind.PASSIVE], "1:00")
    # 3 rounds x 2 sides, each passive hold one minute shorter
    expected = display_duration(before - 6 * 60)
    assert panel.total.text() == f"Total {expected}  (was {display_duration(before)})"
    _type(qtbot, panel.rounds, "2")
    assert panel.apply_button.isEnabled()
    _type(qtbot, panel.phase_boxes[PhaseKind.RAIL], "abc")  # not a duration: refused
    assert panel.phase_boxes[PhaseKind.RAIL].value() == 15
    adjusted = panel.adjusted_routine()
    assert adjusted is not None
    assert adjusted.main.rounds == 2 and adjusted.main.phases[0].seconds == 60


def test_apply_keeps_the_times_for_next_time_and_reset_brings_defaults_back(
    qtbot: QtBot, dirs: tuple[Path, Path], screenshot: Callable[..., Path]
) -> None:
    builtin, user = dirs
    shipped = (builtin / "hip-ir-lying.toml").read_bytes()
    panel = _panel(qtbot, dirs)
    panel.set_routine(_entry(dirs, "hip-ir-lying"))
    _type(qtbot, panel.phase_boxes[PhaseKind.PAIL], "30")
    with qtbot.waitSignal(panel.routine_changed) as applied:
        qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    saved = applied.args[0]
    assert saved.main.phases[1].seconds == 30
    assert panel.status.text() == "Saved. Your next session uses these times."
    assert panel.reset_button.isVisible()
    # the start screen re-reads the list and selects the routine again: the note stays
    panel.set_routine(_entry(dirs, "hip-ir-lying"))
    assert panel.status.text() == "Saved. Your next session uses these times."
    screenshot(panel, "quick_adjust_saved")

    # Next time (a new panel, the list read again) the adjusted routine is what is offered.
    again = _panel(qtbot, dirs)
    entry = _entry(dirs, "hip-ir-lying")
    assert entry.overrides_builtin and load_routine(user / "hip-ir-lying.toml") == saved
    again.set_routine(entry)
    assert again.phase_boxes[PhaseKind.PAIL].text() == "0:30"
    assert (builtin / "hip-ir-lying.toml").read_bytes() == shipped

    with qtbot.waitSignal(again.routine_changed) as reset:
        qtbot.mouseClick(again.reset_button, Qt.MouseButton.LeftButton)
    assert reset.args[0].main.phases[1].seconds == 20
    assert again.phase_boxes[PhaseKind.PAIL].text() == "0:20"
    assert not again.reset_button.isVisible()
    assert not _entry(dirs, "hip-ir-lying").overrides_builtin


def test_a_routine_with_errors_offers_nothing_to_adjust(
    qtbot: QtBot, dirs: tuple[Path, Path]
) -> None:
    _, user = dirs
    user.mkdir()
    (user / "broken.toml").write_text("schema = 1\nid = 'broken'\n", encoding="utf-8")
    panel = _panel(qtbot, dirs)
    broken = next(e for e in discover_routines(*dirs) if e.routine is None)
    panel.set_routine(broken)
    assert not panel.apply_button.isEnabled()
    assert "broken.toml: name: is required" in panel.status.text()
    assert not any(box.isVisible() for box in panel.phase_boxes.values())


def test_one_field_sets_every_phase_of_its_kind_and_pail_ramps_still_fit() -> None:
    routine = load_routine(ROUTINES / "hip-ir-lying.toml")
    two_pails = replace(
        routine.main,
        phases=(*routine.main.phases, Phase(PhaseKind.PAIL, 40, ramp=Ramp(10, 100, 30))),
    )
    routine = routine.with_changes(main=two_pails)
    adjusted = apply_adjustments(routine, Adjustments(phase_seconds={PhaseKind.PAIL: 10}))
    pails = [p for p in adjusted.main.phases if p.kind is PhaseKind.PAIL]
    assert [p.seconds for p in pails] == [10, 10]
    assert all(p.ramp is not None and 1 <= p.ramp.seconds <= 10 for p in pails)
    untouched = apply_adjustments(routine, Adjustments())
    assert untouched == routine
