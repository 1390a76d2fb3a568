"""The full routine editor: warm-up, main-block phases, rounds and sides, measurement.

Validation uses the routine file loader itself: the fields are turned into the same table a
routine file holds (``routine_file.routine_to_dict``'s shape) and read with
``routine_file.parse_routine``, so the errors shown in place are word for word what
``timer-app --check-routine`` would say about the saved file. Save stays disabled while
there are any. Saving goes through :mod:`timer_app.core.routine_store`: a built-in is saved
as the user's copy with the same id, never written itself.

Other screens open it with :meth:`RoutineEditorDialog.edit`, which tests can replace.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.cues import display_duration
from timer_app.core.error_words import in_user_terms
from timer_app.core.library import RoutineEntry
from timer_app.core.routine import (
    SCHEMA_VERSION,
    MainBlock,
    Measurement,
    Phase,
    PhaseKind,
    Ramp,
    Routine,
    SidesMode,
    Warmup,
)
from timer_app.core.routine_file import RoutineError, parse_routine
from timer_app.core.routine_store import Folders, save_new_routine, save_user_routine, slugify
from timer_app.core.timeline import build_timeline
from timer_app.ui.editor_phases import ERROR_COLOUR, FIELD_MAX_SECONDS, PhaseListEditor
from timer_app.ui.editor_widgets import DurationSpinBox
from timer_app.ui.plain_text import plain_label, warn
from timer_app.ui.screen_fit import BIG_WINDOW_SHARE, fit_to_screen

EDITOR_POINTS = 12
_PHASE_ERROR = re.compile(r": main\.phases\[(\d+)\]")


def new_routine_template() -> Routine:
    """What "New routine" starts from: the drill the app was born from, shortened."""
    return Routine(
        id="",
        name="My routine",
        warmup=Warmup(),
        main=MainBlock(
            phases=(
                Phase(PhaseKind.PASSIVE, 120),
                Phase(PhaseKind.PAIL, 20, ramp=Ramp(10, 100, 15)),
                Phase(PhaseKind.RAIL, 15),
            ),
            rounds=2,
            rest_between_rounds=20,
            switch_sides_seconds=20,
        ),
        measurement=Measurement(seconds=30),
    )


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


def _spin(name: str, high: int, suffix: str = "") -> QSpinBox:
    # Ranges wider than the loader's rules, so the loader's message explains a bad value.
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(0, high)
    box.setSuffix(suffix)
    return box


def _duration(name: str) -> DurationSpinBox:
    box = DurationSpinBox(maximum=FIELD_MAX_SECONDS)
    box.setObjectName(name)
    return box


class RoutineEditorDialog(QDialog):
    """Edit every part of a routine, with the live total and the loader's errors in place."""

    def __init__(
        self,
        entry: RoutineEntry | None,
        user_dir: Path,
        parent: QWidget | None = None,
        builtin_dir: Path | None = None,
        window_sizes: dict[str, list[int]] | None = None,
    ) -> None:
        super().__init__(parent)
        if builtin_dir is None:
            from timer_app.paths import builtin_routines_dir

            builtin_dir = builtin_routines_dir()
        self._folders = Folders(user=user_dir, builtin=builtin_dir)
        routine = entry.routine if entry is not None else None
        self._is_new = routine is None
        self._original = routine or new_routine_template()
        self._routine: Routine | None = None
        self.saved_path: Path | None = None

        self.setObjectName("routine_editor")
        self.setWindowTitle("New routine" if self._is_new else f"Edit: {self._original.name}")
        font = self.font()
        font.setPointSize(EDITOR_POINTS)
        self.setFont(font)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self._build_about())
        left.addWidget(self._build_warmup())
        left.addWidget(self._build_measurement())
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._build_main(), 1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.total = plain_label()
        self.total.setObjectName("total")
        total_font = self.total.font()
        total_font.setPointSize(EDITOR_POINTS + 4)
        total_font.setBold(True)
        self.total.setFont(total_font)
        self.errors = plain_label()
        self.errors.setObjectName("errors")
        self.errors.setWordWrap(True)
        self.errors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A style sheet drops the inherited font size, so it names the size again.
        self.errors.setStyleSheet(f"color: {ERROR_COLOUR}; font-size: {EDITOR_POINTS}pt;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.note = plain_label()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        if entry is not None and (entry.builtin or entry.overrides_builtin):
            self.note.setText(
                "A built-in routine: saving keeps your own copy, and "
                "“Reset to defaults” brings the original back."
            )
        footer = QHBoxLayout()
        footer.addWidget(self.note, 1)  # beside the buttons: no height taken from the form
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.errors)
        layout.addLayout(footer)
        fit_to_screen(self, QSize(1100, 800), window_sizes, "editor", BIG_WINDOW_SHARE)

        self._load(self._original)
        self._connect_changes()
        self.validate()
        self._loaded = self.to_dict()  # what "unchanged" means, for the Cancel question

    # --- building the form -----------------------------------------------------------------

    def _build_about(self) -> QGroupBox:
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.extra_round = QCheckBox("Give the weaker side one extra round")
        self.extra_round.setObjectName("extra_round")
        self.extra_round.setToolTip(
            "When the last results show one side at least half a block behind, "
            "that side gets one more round."
        )
        box = QGroupBox("Routine")
        form = QFormLayout(box)
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow(self.extra_round)
        return box

    def _build_warmup(self) -> QGroupBox:
        self.warmup = QGroupBox("CARs warm-up")
        self.warmup.setObjectName("warmup")
        self.warmup.setCheckable(True)
        self.warmup_name = QLineEdit()
        self.warmup_name.setObjectName("warmup_name")
        self.warmup_reps = _spin("warmup_reps", 999, " circles each way")
        self.warmup_rep_seconds = _spin("warmup_rep_seconds", 999, " s per circle")
        self.warmup_directions = QLineEdit()
        self.warmup_directions.setObjectName("warmup_directions")
        self.warmup_directions.setPlaceholderText("clockwise, counter-clockwise")
        self.warmup_per_side = QCheckBox("Each side")
        self.warmup_per_side.setObjectName("warmup_per_side")
        self.warmup_instruction = QLineEdit()
        self.warmup_instruction.setObjectName("warmup_instruction")
        form = QFormLayout(self.warmup)
        form.addRow("Name", self.warmup_name)
        form.addRow("Repetitions", self.warmup_reps)
        form.addRow("Pace", self.warmup_rep_seconds)
        form.addRow("Directions", self.warmup_directions)
        form.addRow("", self.warmup_per_side)
        form.addRow("Instruction", self.warmup_instruction)
        return self.warmup

    def _build_main(self) -> QGroupBox:
        self.rounds = _spin("rounds", 99, " per side")
        self.sides = _combo(
            "sides",
            [("Both sides", "both"), ("Left side only", "left"), ("Right side only", "right")],
        )
        self.first_side = _combo("first_side", [("Left first", "left"), ("Right first", "right")])
        self.rest_between = _duration("rest_between_rounds")
        self.rest_between.setSpecialValueText("none")
        self.switch_sides = _duration("switch_sides")
        self.switch_sides.setSpecialValueText("none")
        self.phases = PhaseListEditor()
        sides_row = QHBoxLayout()
        sides_row.addWidget(self.sides)
        sides_row.addWidget(self.first_side)
        box = QGroupBox("Main block, repeated each round")
        form = QFormLayout(box)
        form.addRow("Rounds", self.rounds)
        form.addRow("Sides", sides_row)
        form.addRow("Rest between rounds", self.rest_between)
        form.addRow("Switching sides", self.switch_sides)
        form.addRow(self.phases)
        return box

    def _build_measurement(self) -> QGroupBox:
        self.measurement = QGroupBox("Range test (block height)")
        self.measurement.setObjectName("measurement")
        self.measurement.setCheckable(True)
        self.measure_when = _combo(
            "measure_when",
            [
                ("After the drill", "after"),
                ("Before the drill", "before"),
                ("Before and after", "both"),
            ],
        )
        self.measure_unit = _combo(
            "measure_unit", [("Blocks", "blocks"), ("Centimetres", "cm"), ("Inches", "in")]
        )
        self.measure_seconds = _duration("measure_seconds")
        self.measure_seconds.setSpecialValueText("not timed")
        self.measure_prompt = QLineEdit()
        self.measure_prompt.setObjectName("measure_prompt")
        self.measure_instruction = QLineEdit()
        self.measure_instruction.setObjectName("measure_instruction")
        form = QFormLayout(self.measurement)
        form.addRow("When", self.measure_when)
        form.addRow("Unit", self.measure_unit)
        form.addRow("Timed test", self.measure_seconds)
        form.addRow("Question", self.measure_prompt)
        form.addRow("Instruction", self.measure_instruction)
        return self.measurement

    # --- fields <-> routine ----------------------------------------------------------------

    def _load(self, routine: Routine) -> None:
        self.name.setText(routine.name)
        self.description.setPlainText(routine.description)
        self.extra_round.setChecked(routine.extra_round_for_weaker_side)
        warmup = routine.warmup or Warmup()
        self.warmup.setChecked(routine.warmup is not None)
        self.warmup_name.setText(warmup.name)
        self.warmup_reps.setValue(warmup.reps)
        self.warmup_rep_seconds.setValue(warmup.seconds_per_rep)
        self.warmup_directions.setText(", ".join(warmup.directions))
        self.warmup_per_side.setChecked(warmup.per_side)
        self.warmup_instruction.setText(warmup.instruction)
        main = routine.main
        self.rounds.setValue(main.rounds)
        _select(self.sides, main.sides.value)
        _select(self.first_side, main.first_side.value)
        self.rest_between.setValue(main.rest_between_rounds)
        self.switch_sides.setValue(main.switch_sides_seconds)
        self.phases.set_phases(main.phases)
        measurement = routine.measurement or Measurement()
        self.measurement.setChecked(routine.measurement is not None)
        _select(self.measure_when, measurement.when.value)
        _select(self.measure_unit, measurement.unit.value)
        self.measure_seconds.setValue(measurement.seconds)
        self.measure_prompt.setText(measurement.prompt)
        self.measure_instruction.setText(measurement.instruction)
        # Show the start of long texts, not their end (setText leaves the cursor at the end).
        for line in self.findChildren(QLineEdit):
            line.setCursorPosition(0)

    def _connect_changes(self) -> None:
        for line in self.findChildren(QLineEdit):
            line.textChanged.connect(self.validate)
        for box in self.findChildren(QSpinBox):
            box.valueChanged.connect(self.validate)
        for combo in self.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self.validate)
        for check in (self.extra_round, self.warmup_per_side):
            check.toggled.connect(self.validate)
        for group in (self.warmup, self.measurement):
            group.toggled.connect(self.validate)
        self.description.textChanged.connect(self.validate)
        self.phases.changed.connect(self.validate)

    @property
    def routine_id(self) -> str:
        """The id the saved file will have (a new routine's is made from its name)."""
        if not self._is_new:
            return self._original.id
        return slugify(self.name.text())

    @property
    def source_name(self) -> str:
        """The file name errors are reported against, as the loader would."""
        return f"{self.routine_id}.toml"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a routine file table, valid or not (the loader judges it)."""
        data: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": self.routine_id,
            "name": self.name.text(),
        }
        if self.description.toPlainText().strip():
            data["description"] = self.description.toPlainText()
        if self.extra_round.isChecked():
            data["extra_round_for_weaker_side"] = True
        if self.warmup.isChecked():
            directions = [d.strip() for d in self.warmup_directions.text().split(",")]
            data["warmup"] = {
                "name": self.warmup_name.text(),
                "reps": self.warmup_reps.value(),
                "seconds_per_rep": self.warmup_rep_seconds.value(),
                "directions": [d for d in directions if d],
                "per_side": self.warmup_per_side.isChecked(),
                "instruction": self.warmup_instruction.text(),
            }
        data["main"] = {
            "rounds": self.rounds.value(),
            "sides": self.sides.currentData(),
            "first_side": self.first_side.currentData(),
            "rest_between_rounds": self.rest_between.value(),
            "switch_sides": self.switch_sides.value(),
            "phases": self.phases.phase_dicts(),
        }
        if self.measurement.isChecked():
            data["measurement"] = {
                "when": self.measure_when.currentData(),
                "prompt": self.measure_prompt.text(),
                "unit": self.measure_unit.currentData(),
                "seconds": self.measure_seconds.value(),
                "instruction": self.measure_instruction.text(),
            }
        return data

    def validate(self) -> Routine | None:
        """Check the fields with the loader's rules; show the total or the errors."""
        self.first_side.setEnabled(self.sides.currentData() == SidesMode.BOTH.value)
        data = self.to_dict()
        try:
            routine = parse_routine(data, self.source_name)
        except RoutineError as exc:
            self._routine = None
            # Phases as the list numbers them, with their names; values as typed.
            self.errors.setText("\n".join(in_user_terms(e, data) for e in exc.errors))
            self.errors.setVisible(True)
            self.total.setText("Total: fix the errors below to see it")
            self.save_button.setEnabled(False)
            rows = {int(m.group(1)) for e in exc.errors if (m := _PHASE_ERROR.search(e))}
            self.phases.mark_errors(rows)
            return None
        self._routine = routine
        self.errors.clear()
        self.errors.setVisible(False)
        self.phases.mark_errors(set())
        timeline = build_timeline(routine)
        self.total.setText(
            f"Total {display_duration(timeline.total_seconds)}  ({len(timeline)} steps)"
        )
        self.save_button.setEnabled(True)
        return routine

    def current_routine(self) -> Routine | None:
        """The routine the fields describe, or None while they are invalid."""
        return self._routine

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Save (a built-in as the user's copy, a new routine under a fresh id) and close."""
        routine = self.validate()
        if routine is None:
            return
        try:
            if self._is_new:
                saved = save_new_routine(routine, self._folders)
            else:
                saved = save_user_routine(routine, self._folders.user)
        except (RoutineError, OSError) as exc:
            self.errors.setText(f"Not saved: {exc}")
            self.errors.setVisible(True)
            return
        self.saved_path = Path(saved.source)
        self.accept()

    def has_changes(self) -> bool:
        """Whether the fields differ from what the editor opened with."""
        return self.to_dict() != self._loaded

    def reject(self) -> None:
        """Cancel (or Escape, or closing the window): ask before throwing edits away."""
        if self.saved_path is None and self.has_changes():
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Discard changes?",
                "Your changes to this routine are not saved.",
                parent=self,
            )
            discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
            keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(keep)
            box.exec()
            if box.clickedButton() is not discard:
                return
        super().reject()

    @classmethod
    def edit(
        cls,
        entry: RoutineEntry | None,
        user_dir: Path,
        parent: QWidget | None = None,
        builtin_dir: Path | None = None,
        window_sizes: dict[str, list[int]] | None = None,
    ) -> Path | None:
        """Open the editor (``None`` for a new routine) and wait; the saved file, or None
        if cancelled. A routine whose file has errors cannot be edited here: its errors
        are shown instead (fix the file, or delete it)."""
        if entry is not None and entry.routine is None:
            warn(
                parent,
                "Routine has errors",
                f"{entry.path.name} cannot be opened in the editor:\n\n{entry.error}",
            )
            return None
        dialog = cls(entry, user_dir, parent, builtin_dir=builtin_dir, window_sizes=window_sizes)
        try:
            dialog.exec()
            return dialog.saved_path
        finally:
            dialog.deleteLater()
