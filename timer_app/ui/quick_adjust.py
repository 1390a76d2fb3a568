"""The quick adjust panel: change the selected routine's main durations without the editor.

It sits beside the routine list on the start screen. Each row adjusts every phase of one
kind (all passive holds, all PAILs…), so a routine with two passive holds keeps one field;
a field left untouched changes nothing. The new total is shown as the values change, and
Apply saves the user's copy through :mod:`timer_app.core.routine_store` (a built-in stays as
shipped; "Reset to defaults" brings it back).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.cues import display_duration
from timer_app.core.describe import refreshed_description
from timer_app.core.library import RoutineEntry
from timer_app.core.routine import Phase, PhaseKind, Ramp, Routine
from timer_app.core.routine_file import MAX_REPS, MAX_ROUNDS, MAX_SECONDS, RoutineError
from timer_app.core.routine_store import (
    Folders,
    RoutineStoreError,
    reset_to_default,
    save_user_routine,
)
from timer_app.core.timeline import build_timeline
from timer_app.ui.editor_widgets import DurationSpinBox
from timer_app.ui.plain_text import plain_label

#: Phase kinds with a row, in the order a session meets them.
ADJUSTABLE_KINDS = (PhaseKind.PASSIVE, PhaseKind.PAIL, PhaseKind.RAIL, PhaseKind.REST)
_ROW_LABELS = {
    PhaseKind.PASSIVE: "Passive hold",
    PhaseKind.PAIL: "PAIL",
    PhaseKind.RAIL: "RAIL",
    PhaseKind.REST: "Rest",
}
FONT_POINTS = 14
FIELD_WIDTH = 110


@dataclass(frozen=True)
class Adjustments:
    """What the panel changes. ``None`` (or a missing kind) means "leave as it is"."""

    phase_seconds: dict[PhaseKind, int] = field(default_factory=dict)
    rounds: int | None = None
    rest_between_rounds: int | None = None
    cars_reps: int | None = None


def _scaled_ramp(ramp: Ramp | None, old_seconds: int, new_seconds: int) -> Ramp | None:
    # Keep the ramp the same share of the PAIL: a 15 s ramp in a 20 s PAIL becomes 30 s in
    # 40 s. It must also fit the phase, which the loader checks.
    if ramp is None:
        return None
    seconds = round(ramp.seconds * new_seconds / old_seconds) if old_seconds else ramp.seconds
    return replace(ramp, seconds=max(1, min(new_seconds, seconds)))


def apply_adjustments(routine: Routine, changes: Adjustments) -> Routine:
    """``routine`` with the adjustments made (a new routine; the old one is untouched)."""
    phases: list[Phase] = []
    for phase in routine.main.phases:
        new_seconds = changes.phase_seconds.get(phase.kind)
        if new_seconds is None or new_seconds == phase.seconds:
            phases.append(phase)
            continue
        ramp = _scaled_ramp(phase.ramp, phase.seconds, new_seconds)
        phases.append(replace(phase, seconds=new_seconds, ramp=ramp))
    main = replace(routine.main, phases=tuple(phases))
    if changes.rounds is not None:
        main = replace(main, rounds=changes.rounds)
    if changes.rest_between_rounds is not None:
        main = replace(main, rest_between_rounds=changes.rest_between_rounds)
    warmup = routine.warmup
    if warmup is not None and changes.cars_reps is not None:
        warmup = replace(warmup, reps=changes.cars_reps)
    adjusted = routine.with_changes(main=main, warmup=warmup)
    # "three rounds of a 2-minute passive hold" must not survive a change to those numbers.
    return adjusted.with_changes(description=refreshed_description(routine, adjusted))


class QuickAdjustPanel(QWidget):
    """Spin boxes for the selected routine's main numbers, a live total, Apply and Reset.

    ``routine_changed(Routine)`` is emitted after Apply or Reset with the routine the next
    session should use (re-read the routine list then: the user's copy appeared or went).
    """

    routine_changed = Signal(object)

    def __init__(
        self, user_dir: Path, builtin_dir: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if builtin_dir is None:
            from timer_app.paths import builtin_routines_dir

            builtin_dir = builtin_routines_dir()
        self._folders = Folders(user=user_dir, builtin=builtin_dir)
        self._entry: RoutineEntry | None = None
        self._routine: Routine | None = None
        self.setObjectName("quick_adjust")
        font = self.font()
        font.setPointSize(FONT_POINTS)
        self.setFont(font)

        self.heading = plain_label("Adjust times")
        heading_font = self.heading.font()
        heading_font.setBold(True)
        self.heading.setFont(heading_font)

        self.phase_boxes: dict[PhaseKind, DurationSpinBox] = {}
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for kind in ADJUSTABLE_KINDS:
            box = DurationSpinBox(maximum=MAX_SECONDS, minimum=1)
            box.setObjectName(f"{kind.value}_seconds")
            self.phase_boxes[kind] = box
            self._form.addRow(_ROW_LABELS[kind], box)
        self.rest_between = DurationSpinBox(maximum=MAX_SECONDS, minimum=0)
        self.rest_between.setObjectName("rest_between_rounds")
        self.rest_between.setSpecialValueText("none")
        self._form.addRow("Rest between rounds", self.rest_between)
        self.rounds = QSpinBox()
        self.rounds.setObjectName("rounds")
        self.rounds.setRange(1, MAX_ROUNDS)
        self._form.addRow("Rounds per side", self.rounds)
        self.cars_reps = QSpinBox()
        self.cars_reps.setObjectName("cars_reps")
        self.cars_reps.setRange(1, MAX_REPS)
        self._form.addRow("CARs reps each way", self.cars_reps)
        for field_box in self._fields():
            # The panel shares a ~360 px column with nothing else; "9:59" fits in this.
            field_box.setMaximumWidth(FIELD_WIDTH)

        self.total = plain_label()
        self.total.setObjectName("total")
        total_font = self.total.font()
        total_font.setPointSize(FONT_POINTS + 4)
        total_font.setBold(True)
        self.total.setFont(total_font)
        self.total.setWordWrap(True)

        self.status = plain_label()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.apply_button = QPushButton("Apply")
        self.apply_button.setObjectName("apply")
        self.apply_button.setToolTip("Keep these times for next time")
        self.apply_button.clicked.connect(self.apply)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setObjectName("reset")
        self.reset_button.setToolTip("Remove your changes to this built-in routine")
        self.reset_button.clicked.connect(self.reset_to_defaults)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self._form)
        layout.addWidget(self.total)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

        for field_box in self._fields():
            field_box.valueChanged.connect(self._refresh)
        self.set_routine(None)

    # --- public API ------------------------------------------------------------------------

    def set_routine(self, entry: RoutineEntry | None) -> None:
        """Show ``entry``'s numbers (None or a routine with errors: nothing to adjust)."""
        same = entry is not None and self._entry is not None and entry.id == self._entry.id
        if (
            same
            and entry is not None
            and self._entry is not None
            and (entry.path, entry.routine) == (self._entry.path, self._routine)
        ):
            # The same routine re-selected (the window refreshes its selection when the
            # session part is built after the first paint): the fields may hold times typed
            # but not applied yet, which must not be wiped.
            self._entry = entry
            return
        self._entry = entry
        self._routine = entry.routine if entry is not None else None
        if not same:
            # The start screen re-selects the routine after Apply; "Saved." must survive that.
            self.status.clear()
        self._load_fields()

    def adjusted_routine(self) -> Routine | None:
        """The routine as the fields now describe it (not saved yet)."""
        if self._routine is None:
            return None
        return apply_adjustments(self._routine, self._adjustments())

    def has_unapplied_changes(self) -> bool:
        """True if the fields show times the routine does not have yet (typed, not applied)."""
        return self._routine is not None and self.adjusted_routine() != self._routine

    def apply(self) -> bool:
        """Save the adjusted routine as the user's copy and announce it. False if it could
        not be saved (the reason is shown under the fields)."""
        routine = self.adjusted_routine()
        if routine is None or self._entry is None:
            return False
        try:
            saved = save_user_routine(routine, self._folders.user)
        except (RoutineError, OSError) as exc:
            self._show_error(f"Not saved: {exc}")
            return False
        was_builtin = self._entry.builtin or self._entry.overrides_builtin
        self.set_routine(
            RoutineEntry(Path(saved.source), False, saved, overrides_builtin=was_builtin)
        )
        self._show_ok("Saved. Your next session uses these times.")
        self.routine_changed.emit(saved)
        return True

    def reset_to_defaults(self) -> None:
        """Remove the user's copy of a built-in and show the built-in's numbers again."""
        if self._entry is None or not self._entry.overrides_builtin:
            return
        try:
            original = reset_to_default(self._entry.id, self._folders)
        except (RoutineStoreError, OSError) as exc:
            self._show_error(f"Not reset: {exc}")
            return
        self.set_routine(RoutineEntry(Path(original.source), True, original))
        self._show_ok("Back to the built-in times.")
        self.routine_changed.emit(original)

    # --- internals -------------------------------------------------------------------------

    def _fields(self) -> list[QSpinBox]:
        return [*self.phase_boxes.values(), self.rest_between, self.rounds, self.cars_reps]

    def _adjustments(self) -> Adjustments:
        assert self._routine is not None
        routine = self._routine
        kinds = {p.kind for p in routine.main.phases}
        shown = self._shown_values(routine)
        phase_seconds = {
            kind: box.value()
            for kind, box in self.phase_boxes.items()
            # untouched fields leave phases of that kind alone, even if they differ
            if kind in kinds and box.value() != shown[kind]
        }
        return Adjustments(
            phase_seconds=phase_seconds,
            rounds=self.rounds.value(),
            rest_between_rounds=self.rest_between.value(),
            cars_reps=self.cars_reps.value() if routine.warmup is not None else None,
        )

    @staticmethod
    def _shown_values(routine: Routine) -> dict[PhaseKind, int]:
        shown: dict[PhaseKind, int] = {}
        for phase in routine.main.phases:
            shown.setdefault(phase.kind, phase.seconds)
        return shown

    def _load_fields(self) -> None:
        routine = self._routine
        entry = self._entry
        usable = routine is not None
        # Loading values is not an edit: no refresh per field, no "changed" state.
        for widget in self._fields():
            widget.blockSignals(True)
        try:
            shown = self._shown_values(routine) if routine is not None else {}
            counts = {
                k: sum(1 for p in routine.main.phases if p.kind is k) if routine else 0
                for k in ADJUSTABLE_KINDS
            }
            for kind, box in self.phase_boxes.items():
                present = kind in shown
                self._form.setRowVisible(box, present)
                if present:
                    box.setValue(shown[kind])
                    many = counts[kind] > 1
                    box.setToolTip(
                        f"Sets all {counts[kind]} {_ROW_LABELS[kind]} phases" if many else ""
                    )
            self._form.setRowVisible(self.rest_between, usable)
            self._form.setRowVisible(self.rounds, usable)
            self._form.setRowVisible(self.cars_reps, routine is not None and bool(routine.warmup))
            if routine is not None:
                self.rest_between.setValue(routine.main.rest_between_rounds)
                self.rounds.setValue(routine.main.rounds)
                if routine.warmup is not None:
                    self.cars_reps.setValue(routine.warmup.reps)
        finally:
            for widget in self._fields():
                widget.blockSignals(False)
        self.reset_button.setVisible(entry is not None and entry.overrides_builtin)
        if entry is not None and entry.routine is None:
            self._show_error(f"This routine file has errors:\n{entry.error}")
        self._refresh()

    def _refresh(self) -> None:
        routine = self._routine
        if routine is None:
            self.total.setText("" if self._entry is not None else "Choose a routine")
            self.apply_button.setEnabled(False)
            return
        adjusted = self.adjusted_routine()
        assert adjusted is not None
        new_total = build_timeline(adjusted).total_seconds
        old_total = build_timeline(routine).total_seconds
        changed = adjusted != routine
        self.rest_between.setEnabled(self.rounds.value() > 1)
        text = f"Total {display_duration(new_total)}"
        if new_total != old_total:
            text += f"  (was {display_duration(old_total)})"
        self.total.setText(text)
        self.apply_button.setEnabled(changed)
        if changed:
            self.status.clear()

    def _show_ok(self, text: str) -> None:
        self.status.setStyleSheet(f"font-size: {FONT_POINTS}pt;")
        self.status.setText(text)

    def _show_error(self, text: str) -> None:
        # Dark red on the default light background: readable, and not colour alone (words).
        # A style sheet drops the inherited font size, so it names the size again.
        self.status.setStyleSheet(f"color: #a00000; font-size: {FONT_POINTS}pt;")
        self.status.setText(text)
