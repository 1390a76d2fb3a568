"""The routine editor's list of main-block phases: add, remove, reorder, and edit one.

The phases are kept as plain drafts (what the fields say, valid or not) so that a half-made
edit is never lost and the dialog can validate the whole routine with the file loader's
rules. ``changed`` fires on every edit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.durations import format_duration
from timer_app.core.routine import DEFAULT_PHASE_NAMES, MAIN_PHASE_KINDS, Phase, PhaseKind, Ramp
from timer_app.ui.editor_widgets import DurationSpinBox
from timer_app.ui.plain_text import plain_label

#: Wider than the loader allows, so an out-of-range value gets the loader's message
#: instead of being silently clamped by the field.
FIELD_MAX_SECONDS = 99 * 60 + 59
ERROR_COLOUR = "#a00000"


@dataclass
class PhaseDraft:
    """One phase as typed. ``ramp_*`` are used only when ``kind`` is PAIL."""

    kind: PhaseKind = PhaseKind.PASSIVE
    name: str = ""
    seconds: int = 60
    instruction: str = ""
    ramp_from: int = 10
    ramp_to: int = 100
    ramp_seconds: int = 15

    @classmethod
    def from_phase(cls, phase: Phase) -> PhaseDraft:
        ramp = phase.ramp or Ramp(seconds=max(1, phase.seconds // 2))
        return cls(
            kind=phase.kind,
            name=phase.name,
            seconds=phase.seconds,
            instruction=phase.instruction,
            ramp_from=ramp.start_percent,
            ramp_to=ramp.end_percent,
            ramp_seconds=ramp.seconds,
        )

    def to_dict(self) -> dict[str, Any]:
        """The phase as a routine file table (see ``routine_file.routine_to_dict``)."""
        entry: dict[str, Any] = {"kind": self.kind.value, "seconds": self.seconds}
        if self.name.strip():
            entry["name"] = self.name
        if self.instruction.strip():
            entry["instruction"] = self.instruction
        if self.kind is PhaseKind.PAIL:
            entry["ramp"] = {
                "from": self.ramp_from,
                "to": self.ramp_to,
                "seconds": self.ramp_seconds,
            }
        return entry

    def label(self, number: int) -> str:
        name = self.name.strip() or DEFAULT_PHASE_NAMES[self.kind]
        return f"{number}. {name}  {format_duration(self.seconds)}"


_KIND_LABELS = {
    PhaseKind.PASSIVE: "Passive hold",
    PhaseKind.PAIL: "PAIL (push, effort ramps up)",
    PhaseKind.RAIL: "RAIL (lift, pull deeper)",
    PhaseKind.REST: "Rest",
}


class PhaseListEditor(QWidget):
    """The ordered phases of the main block with a detail form for the selected one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drafts: list[PhaseDraft] = []
        self._loading = False

        self.list = QListWidget()
        self.list.setObjectName("phase_list")
        self.list.setMinimumHeight(120)
        self.list.currentRowChanged.connect(self._show_current)

        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        for button, name, slot in (
            (self.add_button, "add_phase", self.add_phase),
            (self.remove_button, "remove_phase", self.remove_phase),
            (self.up_button, "move_up", lambda: self.move_phase(-1)),
            (self.down_button, "move_down", lambda: self.move_phase(1)),
        ):
            button.setObjectName(name)
            button.clicked.connect(slot)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(buttons)

        self.kind = QComboBox()
        self.kind.setObjectName("phase_kind")
        for kind in MAIN_PHASE_KINDS:
            self.kind.addItem(_KIND_LABELS[kind], kind.value)
        self.name = QLineEdit()
        self.name.setObjectName("phase_name")
        self.seconds = DurationSpinBox(maximum=FIELD_MAX_SECONDS)
        self.seconds.setObjectName("phase_seconds")
        self.instruction = QLineEdit()
        self.instruction.setObjectName("phase_instruction")
        self.instruction.setPlaceholderText("What to do, said aloud when the phase starts")
        self.ramp_from = QSpinBox()
        self.ramp_from.setObjectName("ramp_from")
        self.ramp_to = QSpinBox()
        self.ramp_to.setObjectName("ramp_to")
        for box in (self.ramp_from, self.ramp_to):
            box.setRange(0, 100)
            box.setSuffix(" %")
        self.ramp_seconds = DurationSpinBox(maximum=FIELD_MAX_SECONDS)
        self.ramp_seconds.setObjectName("ramp_seconds")

        self.detail = QGroupBox("Selected phase")
        form = QFormLayout(self.detail)
        form.addRow("Kind", self.kind)
        form.addRow("Name", self.name)
        form.addRow("Time", self.seconds)
        form.addRow("Instruction", self.instruction)
        self.ramp = QGroupBox("PAIL effort ramp")
        ramp_form = QHBoxLayout(self.ramp)
        ramp_form.addWidget(self.ramp_from)
        ramp_form.addWidget(_label("to"))
        ramp_form.addWidget(self.ramp_to)
        ramp_form.addWidget(_label("over"))
        ramp_form.addWidget(self.ramp_seconds)
        ramp_form.addStretch(1)
        form.addRow(self.ramp)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.detail)

        self.kind.currentIndexChanged.connect(self._edited)
        self.name.textChanged.connect(self._edited)
        self.instruction.textChanged.connect(self._edited)
        for box in (self.seconds, self.ramp_from, self.ramp_to, self.ramp_seconds):
            box.valueChanged.connect(self._edited)
        self._update_buttons()

    # --- public API ------------------------------------------------------------------------

    def set_phases(self, phases: tuple[Phase, ...]) -> None:
        self._drafts = [PhaseDraft.from_phase(p) for p in phases]
        self._rebuild(select=0)

    def drafts(self) -> list[PhaseDraft]:
        return [replace(d) for d in self._drafts]

    def phase_dicts(self) -> list[dict[str, Any]]:
        return [d.to_dict() for d in self._drafts]

    def mark_errors(self, rows: set[int]) -> None:
        """Flag the phases the validator complained about, in words and colour."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            text = self._drafts[row].label(row + 1)
            bad = row in rows
            item.setText(f"{text}  (see errors)" if bad else text)
            item.setForeground(QBrush(QColor(ERROR_COLOUR)) if bad else QBrush())

    def add_phase(self) -> None:
        """Add a phase after the selected one: the kind that usually follows it."""
        row = self.list.currentRow()
        after = self._drafts[row].kind if 0 <= row < len(self._drafts) else None
        order = list(MAIN_PHASE_KINDS)
        kind = order[(order.index(after) + 1) % len(order)] if after else PhaseKind.PASSIVE
        seconds = {PhaseKind.PASSIVE: 120, PhaseKind.PAIL: 20, PhaseKind.RAIL: 15}.get(kind, 30)
        self._drafts.insert(row + 1, PhaseDraft(kind=kind, seconds=seconds))
        self._rebuild(select=row + 1)
        self.changed.emit()

    def remove_phase(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._drafts):
            return
        del self._drafts[row]
        self._rebuild(select=min(row, len(self._drafts) - 1))
        self.changed.emit()

    def move_phase(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self._drafts) and 0 <= target < len(self._drafts)):
            return
        drafts = self._drafts
        drafts[row], drafts[target] = drafts[target], drafts[row]
        self._rebuild(select=target)
        self.changed.emit()

    # --- internals -------------------------------------------------------------------------

    def _rebuild(self, select: int) -> None:
        self._loading = True
        try:
            self.list.clear()
            for number, draft in enumerate(self._drafts, start=1):
                self.list.addItem(QListWidgetItem(draft.label(number)))
        finally:
            self._loading = False
        self.list.setCurrentRow(select if self._drafts else -1)
        self._show_current(self.list.currentRow())

    def _show_current(self, row: int) -> None:
        if self._loading:
            return
        has = 0 <= row < len(self._drafts)
        self.detail.setEnabled(has)
        self._update_buttons()
        if not has:
            return
        draft = self._drafts[row]
        self._loading = True
        try:
            self.kind.setCurrentIndex(self.kind.findData(draft.kind.value))
            self.name.setText(draft.name)
            self.name.setPlaceholderText(DEFAULT_PHASE_NAMES[draft.kind])
            self.seconds.setValue(draft.seconds)
            self.instruction.setText(draft.instruction)
            self.instruction.setCursorPosition(0)  # show the start of a long instruction
            self.ramp_from.setValue(draft.ramp_from)
            self.ramp_to.setValue(draft.ramp_to)
            self.ramp_seconds.setValue(draft.ramp_seconds)
            self.ramp.setVisible(draft.kind is PhaseKind.PAIL)
        finally:
            self._loading = False

    def _edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._drafts):
            return
        draft = self._drafts[row]
        draft.kind = PhaseKind(self.kind.currentData())
        draft.name = self.name.text()
        draft.seconds = self.seconds.value()
        draft.instruction = self.instruction.text()
        draft.ramp_from = self.ramp_from.value()
        draft.ramp_to = self.ramp_to.value()
        draft.ramp_seconds = self.ramp_seconds.value()
        self.name.setPlaceholderText(DEFAULT_PHASE_NAMES[draft.kind])
        self.ramp.setVisible(draft.kind is PhaseKind.PAIL)
        self.list.item(row).setText(draft.label(row + 1))
        self.changed.emit()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        count = len(self._drafts)
        self.remove_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(0 < row < count)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.add_button.setEnabled(count < 50)


def _label(text: str) -> QWidget:

    label = plain_label(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
