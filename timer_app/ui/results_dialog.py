"""The block-height prompt: how high each foot reached, asked before and/or after the drill.

The user reads it from the floor, two metres away, so every field is large (>= 20 pt) and the
whole dialog works from the keyboard: type the left height, Tab, the right height, Enter saves.
Input is checked in place: a bad value is refused with a message beside its field and nothing is
returned until every field is valid. "Later" returns ``None`` and the session keeps its results
pending, to be filled in from the history window.

Other screens call :meth:`ResultsDialog.ask`; their GUI tests monkeypatch that classmethod.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from timer_app.core import units
from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Side
from timer_app.core.units import Unit
from timer_app.settings import Settings
from timer_app.ui.plain_text import plain_label
from timer_app.ui.screen_fit import fit_to_screen, text_scale

#: Point size of the fields and their labels: readable from two metres.
FIELD_POINT_SIZE = 22
#: Point size of the height fields, the numbers the user checks from the floor.
HEIGHT_POINT_SIZE = 28
#: Point size of the dialog's title line.
TITLE_POINT_SIZE = 26
#: Point size of the in-place error and gain messages.
MESSAGE_POINT_SIZE = 20
#: Dark red on the dialog's light background (contrast > 7:1).
ERROR_COLOUR = "#a00000"
#: Dark green for a gain, dark amber for a loss (both > 4.5:1 on white).
GAIN_COLOUR = "#1b5e20"
LOSS_COLOUR = "#8a4b00"

#: Range of the block-thickness setting, in cm (thin foam pad to a block standing on end).
MIN_BLOCK_CM = 1.0
MAX_BLOCK_CM = 30.0
MAX_NOTE_LENGTH = 500


def _font(widget: QWidget, size: int, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSize(size)
    font.setBold(bold)
    widget.setFont(font)


def _number(value: float) -> str:
    """A number as a user would type it: no trailing zeros, at most two decimals."""
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


def _show_error(field: QLineEdit, label: QLabel, message: str) -> None:
    """Show ``message`` beside ``field`` and frame the field in red; "" clears both."""
    label.setText(f"⚠ {message}" if message else "")
    label.setVisible(bool(message))
    field.setStyleSheet(f"QLineEdit {{ border: 3px solid {ERROR_COLOUR}; }}" if message else "")
    field.setToolTip(message)


@dataclass
class _SideRow:
    """The widgets of one side's line: height field, pain field, gain and error labels."""

    side: Side
    height: QLineEdit
    unit_label: QLabel
    pain: QLineEdit
    gain: QLabel
    height_error: QLabel
    pain_error: QLabel


class ResultsDialog(QDialog):
    """Asks, for each side done, the height the foot reached, an optional pain score and a note.

    ``before`` holds the entries measured before the drill (for the gain shown per side);
    ``initial`` pre-fills the fields when editing results already saved.
    On Save, a unit or block thickness the user changed here is written to ``settings``
    (``result_unit``, ``block_height_cm``); persisting the settings file is the caller's job.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        sides: Sequence[Side | str],
        when: str,
        routine_name: str,
        settings: Settings,
        before: Sequence[ResultEntry] | None = None,
        initial: Sequence[ResultEntry] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ResultsDialog")
        self._sides = [Side(s) for s in sides]
        self._when = when
        self._settings = settings
        self._before: dict[Side, float] = {Side(e.side): e.value_cm for e in before or ()}
        self._entries: list[ResultEntry] | None = None
        self._rows: list[_SideRow] = []
        self._text_scale = text_scale(parent if parent is not None else self)

        title = "Before the drill" if when == "before" else "After the drill"
        self.setWindowTitle(f"{title}: {routine_name}")
        self.setModal(True)

        # Everything but the buttons scrolls: on a small screen (or with error messages shown)
        # the form scrolls while Save and Later stay where they are.
        content = QWidget()
        content.setObjectName("results_content")
        layout = QVBoxLayout(content)
        layout.setSpacing(14)
        layout.setContentsMargins(28, 24, 28, 8)

        heading = plain_label(f"{routine_name}: {title.lower()}")
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        self._font(heading, TITLE_POINT_SIZE, bold=True)
        layout.addWidget(heading)
        question = plain_label("How high did your foot reach?")
        self._font(question, FIELD_POINT_SIZE)
        layout.addWidget(question)

        layout.addLayout(self._build_unit_row())
        layout.addLayout(self._build_side_grid())
        layout.addLayout(self._build_note_row())
        layout.addStretch(1)
        self.form_scroll = QScrollArea()
        self.form_scroll.setObjectName("results_scroll")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form_scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 16)
        outer.addWidget(self.form_scroll, 1)
        buttons = self._build_buttons()
        buttons.setContentsMargins(28, 8, 28, 0)
        outer.addLayout(buttons)

        self._fill_initial(initial or ())
        # Remembered in the settings only if the user changes them here: editing an old
        # session shows the unit and block it was entered with, which are not a new choice.
        self._unit_at_open = self.unit
        self._block_at_open = self.block_cm
        self._refresh_unit_labels()
        self._set_tab_order()
        if self._rows:
            self._rows[0].height.setFocus()
        wanted = content.sizeHint() + QSize(
            self.form_scroll.verticalScrollBar().sizeHint().width(), 0
        )
        wanted.setHeight(wanted.height() + buttons.sizeHint().height() + 24)
        fit_to_screen(self, wanted, settings.window_sizes, "results")

    def _set_tab_order(self) -> None:
        # Keyboard first: left height, Tab, right height, Enter. The optional fields and the
        # unit come after, so the common case never tabs through them.
        chain: list[QWidget] = [r.height for r in self._rows]
        chain += [r.pain for r in self._rows]
        chain += [self.note_edit, self.save_button, self.later_button]
        chain += [self.unit_combo, self.block_spin]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- construction ------------------------------------------------------------------------

    def _font(self, widget: QWidget, size: int, bold: bool = False) -> None:
        _font(widget, max(9, round(size * self._text_scale)), bold)

    def _build_unit_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        unit_label = plain_label("&Unit")
        self._font(unit_label, FIELD_POINT_SIZE)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unit")
        for unit in units.Unit:
            self.unit_combo.addItem(unit.choice, unit.value)
        self._font(self.unit_combo, FIELD_POINT_SIZE)
        unit_label.setBuddy(self.unit_combo)
        index = self.unit_combo.findData(self._settings.result_unit)
        self.unit_combo.setCurrentIndex(max(0, index))
        self.unit_combo.currentIndexChanged.connect(self._refresh_unit_labels)

        block_label = plain_label("One &block")
        self._font(block_label, FIELD_POINT_SIZE)
        self.block_spin = QDoubleSpinBox()
        self.block_spin.setObjectName("block_height")
        # Two decimals, so an old entry's block (e.g. 7.25 cm) is shown back exactly.
        self.block_spin.setDecimals(2)
        self.block_spin.setRange(MIN_BLOCK_CM, MAX_BLOCK_CM)
        self.block_spin.setSingleStep(0.5)
        self.block_spin.setSuffix(" cm")
        self.block_spin.setValue(self._settings.block_height_cm)
        self.block_spin.setToolTip("Thickness of one yoga block lying flat")
        self._font(self.block_spin, FIELD_POINT_SIZE)
        block_label.setBuddy(self.block_spin)
        self.block_spin.valueChanged.connect(self._refresh_gains)

        row.addWidget(unit_label)
        row.addWidget(self.unit_combo)
        row.addSpacing(24)
        row.addWidget(block_label)
        row.addWidget(self.block_spin)
        row.addStretch(1)
        return row

    def _build_side_grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        header_pain = plain_label("Pain 0–10")
        self._font(header_pain, MESSAGE_POINT_SIZE)
        grid.addWidget(header_pain, 0, 3)
        for i, side in enumerate(self._sides):
            line = 1 + 3 * i
            name = plain_label(side.value.capitalize())
            self._font(name, FIELD_POINT_SIZE, bold=True)
            height = QLineEdit()
            height.setObjectName(f"height_{side.value}")
            height.setAccessibleName(f"{side.value} height")
            height.setPlaceholderText("height")
            self._font(height, HEIGHT_POINT_SIZE, bold=True)
            height.setMinimumWidth(150)
            height.setMaximumWidth(200)
            name.setBuddy(height)
            unit_label = plain_label()
            unit_label.setObjectName(f"unit_{side.value}")
            self._font(unit_label, FIELD_POINT_SIZE)
            # As wide as the widest unit, so changing the unit moves no field.
            unit_label.setMinimumWidth(
                max(unit_label.fontMetrics().horizontalAdvance(u.choice) for u in units.Unit)
            )
            pain = QLineEdit()
            pain.setObjectName(f"pain_{side.value}")
            pain.setAccessibleName(f"{side.value} pain, 0 to 10, optional")
            pain.setPlaceholderText("–")
            pain.setMaximumWidth(90)
            self._font(pain, FIELD_POINT_SIZE)
            gain = plain_label()
            gain.setObjectName(f"gain_{side.value}")
            self._font(gain, MESSAGE_POINT_SIZE, bold=True)
            height_error = plain_label()
            height_error.setObjectName(f"height_error_{side.value}")
            pain_error = plain_label()
            pain_error.setObjectName(f"pain_error_{side.value}")
            for label in (height_error, pain_error):
                self._font(label, MESSAGE_POINT_SIZE)
                label.setStyleSheet(f"color: {ERROR_COLOUR};")
                label.setWordWrap(True)  # never wider than the dialog: never cut
                # The line is kept while hidden: a message appearing must not move the
                # fields below it (a click aimed at one would land in another).
                policy = label.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                label.setSizePolicy(policy)
                label.setText("⚠ one line")
                label.setMinimumHeight(label.sizeHint().height())
                label.setText("")
                label.hide()
            grid.addWidget(name, line, 0)
            grid.addWidget(height, line, 1)
            grid.addWidget(unit_label, line, 2)
            grid.addWidget(pain, line, 3)
            grid.addWidget(gain, line, 4)
            # The messages sit right under the field they are about, on the full width so a
            # sentence is never cut (a wrapped label does not grow the dialog).
            grid.addWidget(height_error, line + 1, 1, 1, 4)
            grid.addWidget(pain_error, line + 2, 1, 1, 4)
            row = _SideRow(side, height, unit_label, pain, gain, height_error, pain_error)
            self._rows.append(row)
            height.textEdited.connect(lambda _text, r=row: self._on_height_edited(r))
            pain.textEdited.connect(lambda _text, r=row: self._on_pain_edited(r))
        grid.setColumnStretch(4, 1)
        grid.setColumnMinimumWidth(4, round(200 * self._text_scale))
        return grid

    def _build_note_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = plain_label("&Note")
        self._font(label, FIELD_POINT_SIZE)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setPlaceholderText("optional")
        self.note_edit.setMaxLength(MAX_NOTE_LENGTH)
        self._font(self.note_edit, FIELD_POINT_SIZE)
        label.setBuddy(self.note_edit)
        row.addWidget(label)
        row.addWidget(self.note_edit, 1)
        return row

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.later_button = QPushButton("&Later")
        self.later_button.setObjectName("later")
        self.later_button.setToolTip("Keep the results pending; fill them in from the history")
        self.later_button.setAutoDefault(False)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        for button in (self.later_button, self.save_button):
            self._font(button, FIELD_POINT_SIZE, bold=button is self.save_button)
            button.setMinimumHeight(56)
            button.setMinimumWidth(160)
        self.later_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self._on_save)
        row.addWidget(self.later_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        return row

    def _fill_initial(self, initial: Sequence[ResultEntry]) -> None:
        by_side = {Side(e.side): e for e in initial}
        if by_side:
            first = next(iter(by_side.values()))
            index = self.unit_combo.findData(first.unit)
            if index >= 0:
                self.unit_combo.setCurrentIndex(index)
            if first.unit == "blocks" and first.entered_value > 0:
                # Show the block thickness the values were entered with, so they read the same.
                self.block_spin.setValue(first.value_cm / first.entered_value)
        notes: list[str] = []
        for row in self._rows:
            entry = by_side.get(row.side)
            if entry is None:
                continue
            shown = (
                entry.entered_value
                if entry.unit == self.unit
                else units.from_cm(entry.value_cm, self.unit, self.block_cm)
            )
            row.height.setText(_number(shown))
            if entry.pain is not None:
                row.pain.setText(str(entry.pain))
            if entry.note and entry.note not in notes:
                notes.append(entry.note)
        self.note_edit.setText("; ".join(notes))
        self._refresh_gains()

    # -- state ---------------------------------------------------------------------------------

    @property
    def unit(self) -> str:
        """The unit the heights are typed in: "blocks", "cm" or "in"."""
        return str(self.unit_combo.currentData())

    @property
    def block_cm(self) -> float:
        """Thickness of one block, in cm, as set in the dialog."""
        return float(self.block_spin.value())

    def entries(self) -> list[ResultEntry] | None:
        """The entries saved (after Save), or None (before, or after Later)."""
        return self._entries

    def _refresh_unit_labels(self) -> None:
        self.block_spin.setEnabled(self.unit == "blocks")
        for row in self._rows:
            row.unit_label.setText(units.Unit(self.unit).choice)
            if not row.height_error.isHidden():
                self._check_height(row)
        self._refresh_gains()

    def _on_height_edited(self, row: _SideRow) -> None:
        # Once a message is shown, re-check as the user types so it goes away when fixed;
        # do not nag while a first value is still being typed.
        if not row.height_error.isHidden():
            self._check_height(row)
        self._refresh_gain(row)

    def _on_pain_edited(self, row: _SideRow) -> None:
        if not row.pain_error.isHidden():
            self._check_pain(row)

    def _check_height(self, row: _SideRow) -> units.Height | None:
        """The parsed height, or None after showing why it is refused."""
        try:
            height = units.parse_height(row.height.text(), self.unit, self.block_cm)
        except units.InputError as exc:
            _show_error(row.height, row.height_error, str(exc))
            return None
        _show_error(row.height, row.height_error, "")
        return height

    def _check_pain(self, row: _SideRow) -> tuple[bool, int | None]:
        """(valid, pain score or None when left empty)."""
        try:
            pain = units.parse_pain(row.pain.text())
        except units.InputError as exc:
            _show_error(row.pain, row.pain_error, str(exc))
            return False, None
        _show_error(row.pain, row.pain_error, "")
        return True, pain

    def _refresh_gains(self) -> None:
        for row in self._rows:
            self._refresh_gain(row)

    def _refresh_gain(self, row: _SideRow) -> None:
        before_cm = self._before.get(row.side)
        if before_cm is None:
            row.gain.clear()
            return
        before = units.format_height(units.from_cm(before_cm, self.unit, self.block_cm), self.unit)
        try:
            after = units.parse_height(row.height.text(), self.unit, self.block_cm)
        except units.InputError:
            row.gain.setText(f"before {before}")
            row.gain.setStyleSheet("")
            row.gain.setToolTip(f"{before_cm:.1f} cm")
            return
        gain_cm = after.cm - before_cm
        gain = units.from_cm(gain_cm, self.unit, self.block_cm)
        sign = "+" if gain >= 0 else "−"
        row.gain.setText(f"{sign}{units.format_height(abs(gain), self.unit)} (before {before})")
        row.gain.setToolTip(f"{gain_cm:+.1f} cm since before ({before_cm:.1f} cm)")
        row.gain.setStyleSheet(f"color: {GAIN_COLOUR if gain_cm >= 0 else LOSS_COLOUR};")

    def _on_save(self) -> None:
        heights: dict[Side, units.Height] = {}
        pains: dict[Side, int | None] = {}
        first_bad: tuple[QLineEdit, QLabel] | None = None
        for row in self._rows:
            height = self._check_height(row)
            pain_ok, pain = self._check_pain(row)
            if height is None:
                first_bad = first_bad or (row.height, row.height_error)
            else:
                heights[row.side] = height
            if not pain_ok:
                first_bad = first_bad or (row.pain, row.pain_error)
            pains[row.side] = pain
        if first_bad is not None:
            # Nothing is saved: take the user straight to the first field to fix, and
            # scroll its message into view: on a small screen it can sit below the fold,
            # leaving a red frame with no reason.
            bad_field, message = first_bad
            bad_field.setFocus()
            bad_field.selectAll()
            self.form_scroll.ensureWidgetVisible(message, 0, 8)
            self.form_scroll.ensureWidgetVisible(bad_field, 0, 8)
            return
        note = self.note_edit.text().strip()
        self._entries = [
            ResultEntry(
                side=side,
                value_cm=heights[side].cm,
                entered_value=heights[side].entered,
                unit=Unit(heights[side].unit),
                when=When(self._when),
                pain=pains[side],
                note=note,
            )
            for side in self._sides
        ]
        if self.unit != self._unit_at_open:
            self._settings.result_unit = self.unit
        if self.block_cm != self._block_at_open:
            self._settings.block_height_cm = self.block_cm
        self.accept()

    # -- entry point ---------------------------------------------------------------------------

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        sides: Sequence[Side | str],
        when: str,
        routine_name: str,
        settings: Settings,
        before: Sequence[ResultEntry] | None = None,
        initial: Sequence[ResultEntry] | None = None,
    ) -> list[ResultEntry] | None:
        """Show the prompt modally; the entries saved, or None if the user chose Later."""
        dialog = cls(
            parent,
            sides=sides,
            when=when,
            routine_name=routine_name,
            settings=settings,
            before=before,
            initial=initial,
        )
        try:
            dialog.exec()
            return dialog.entries()
        finally:
            dialog.deleteLater()
