"""At start-up, ONE dialog listing every session previous runs left unfinished (crash, kill,
power cut): after 25 crashes, one list, not 25 dialogs in a row.

For the session selected in the list it says where it stopped (routine, step, side, round,
time into the step) and offers: resume where it stopped, record its results, or discard it
(the row leaves the list, the dialog stays for the others); "Discard all" clears the list.
"Decide later" (Esc) leaves the rest as they are, to be offered again at the next start. The
dialog only collects the answer (:class:`RecoveryAnswer`); the caller acts on the store.

The session is rebuilt from the routine snapshot stored with it, not from the routine file,
which may have changed since: :func:`resume_timeline`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.cues import display_duration
from timer_app.core.routine import Side
from timer_app.core.routine_file import RoutineError, parse_routine
from timer_app.core.timeline import Timeline, build_timeline
from timer_app.storage.records import SessionRecord
from timer_app.ui.plain_text import plain_label
from timer_app.ui.screen_fit import fit_to_screen

TITLE_POINT_SIZE = 20
BODY_POINT_SIZE = 15
ERROR_COLOUR = "#a00000"

#: What :meth:`RecoveryDialog.ask` returns (None: decide later).
RESUME = "resume"
RESULTS = "results"
DISCARD = "discard"


@dataclass
class RecoveryAnswer:
    """What the user decided: sessions to discard, and at most one to resume or to record
    results for (``choice`` is RESUME or RESULTS, or None: decide later for the rest)."""

    discarded: list[SessionRecord] = field(default_factory=list)
    choice: str | None = None
    record: SessionRecord | None = None


def resume_timeline(record: SessionRecord) -> Timeline:
    """The session's timeline rebuilt from its stored snapshot (with its extra round, if it
    had one). Raises RoutineError if the snapshot cannot be read (e.g. a newer app wrote it)."""
    routine = parse_routine(record.snapshot, "history")
    return build_timeline(routine, extra_round_side=record.extra_round_side)


@dataclass(frozen=True)
class StopPoint:
    """Where an interrupted session stopped, in words the dialog shows."""

    step_name: str
    side: Side
    round: int
    rounds: int
    elapsed: float
    step_seconds: int

    def describe(self) -> str:
        """E.g. "Passive hold · left side · round 2 of 3 · 1:05 into 2:00"."""
        parts = [self.step_name]
        if self.side is not Side.NONE:
            parts.append(f"{self.side.value} side")
        if self.rounds > 0:
            parts.append(f"round {self.round} of {self.rounds}")
        elapsed = min(self.elapsed, float(self.step_seconds))
        parts.append(f"{display_duration(elapsed)} into {display_duration(self.step_seconds)}")
        return " · ".join(parts)


def stop_point(record: SessionRecord) -> StopPoint:
    """Where ``record`` stopped. Raises RoutineError (bad snapshot) or IndexError (a step
    the snapshot's timeline does not have)."""
    timeline = resume_timeline(record)
    if not 0 <= record.step_index < len(timeline.steps):
        raise IndexError(f"step {record.step_index + 1} is not in this routine any more")
    step = timeline.steps[record.step_index]
    return StopPoint(
        step_name=step.title,
        side=step.side,
        round=step.round,
        rounds=step.rounds,
        elapsed=record.step_elapsed,
        step_seconds=step.seconds,
    )


def _ago(moment: datetime, now: datetime) -> str:
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"


def _font(widget: QWidget, size: int, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSize(size)
    font.setBold(bold)
    widget.setFont(font)


class RecoveryDialog(QDialog):
    """Lists the unfinished sessions and offers what to do with each; the answer collects
    in :attr:`answer` (and :attr:`choice`, :attr:`record` for the session acted on)."""

    def __init__(
        self,
        records: SessionRecord | Sequence[SessionRecord],
        parent: QWidget | None = None,
        now: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecoveryDialog")
        self.setModal(True)
        self.records = [records] if isinstance(records, SessionRecord) else list(records)
        self.answer = RecoveryAnswer()
        self._now = now or datetime.now(UTC)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        self.title = plain_label()
        self.title.setObjectName("title")
        _font(self.title, TITLE_POINT_SIZE, bold=True)
        layout.addWidget(self.title)

        # The list shows only when there is a choice to make between sessions.
        self.session_list = QListWidget()
        self.session_list.setObjectName("sessions")
        _font(self.session_list, BODY_POINT_SIZE)
        self.session_list.currentRowChanged.connect(self._show_row)
        layout.addWidget(self.session_list, 1)

        self.routine_label = plain_label()
        self.routine_label.setObjectName("routine")
        self.where_label = plain_label()
        self.where_label.setObjectName("stop_point")
        self.done_label = plain_label()
        self.done_label.setObjectName("done")
        self.problem_label = plain_label()
        self.problem_label.setObjectName("problem")
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.problem_label.setWordWrap(True)
        for label in (self.routine_label, self.where_label, self.done_label, self.problem_label):
            _font(label, BODY_POINT_SIZE)
            layout.addWidget(label)

        buttons = QHBoxLayout()
        self.resume_button = self._button("&Resume where it stopped", RESUME)
        self.results_button = self._button("Record its r&esults", RESULTS)
        self.discard_button = self._button("&Discard", DISCARD)
        self.discard_all_button = QPushButton("Discard &all")
        self.discard_all_button.setObjectName("discard_all")
        self.discard_all_button.setMinimumHeight(44)
        self.discard_all_button.setAutoDefault(False)
        self.discard_all_button.setToolTip("Hide every session listed from the history")
        self.discard_all_button.clicked.connect(self._discard_all)
        self.later_button = QPushButton("Decide &later")
        self.later_button.setObjectName("later")
        self.later_button.setToolTip("Keep them; you will be asked again next time (Esc)")
        self.later_button.clicked.connect(self.reject)
        self.later_button.setAutoDefault(False)
        self.later_button.setMinimumHeight(44)
        self.discard_button.setToolTip("Hide it from the history (it stays in the file)")
        self.results_button.setToolTip("End it here and enter how high each foot reached")
        for button in (self.resume_button, self.results_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addWidget(self.discard_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        for button in (self.discard_all_button, self.later_button):
            _font(button, BODY_POINT_SIZE)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self._fill()
        fit_to_screen(self, self.sizeHint())

    # The answer, for callers that look at one session at a time.
    @property
    def choice(self) -> str | None:
        if self.answer.choice is None and self.answer.discarded:
            return DISCARD
        return self.answer.choice

    @property
    def record(self) -> SessionRecord | None:
        return self.answer.record

    def _fill(self) -> None:
        count = len(self.records)
        self.setWindowTitle("Unfinished session" if count == 1 else "Unfinished sessions")
        self.title.setText(
            "A session did not finish" if count == 1 else f"{count} sessions did not finish"
        )
        self.session_list.blockSignals(True)
        self.session_list.clear()
        for record in self.records:
            started = record.started_at.astimezone()
            self.session_list.addItem(
                QListWidgetItem(
                    f"{record.routine_name} · {started:%a %d %b, %H:%M} "
                    f"({_ago(record.started_at, self._now)})"
                )
            )
        self.session_list.blockSignals(False)
        self.session_list.setVisible(count > 1)
        self.discard_all_button.setVisible(count > 1)
        self.session_list.setCurrentRow(0)
        self._show_row(0)

    def selected(self) -> SessionRecord:
        row = self.session_list.currentRow()
        return self.records[row if 0 <= row < len(self.records) else 0]

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.records):
            return
        record = self.records[row]
        started = record.started_at.astimezone()
        self.routine_label.setText(
            f"{record.routine_name}, started {started:%A %d %B, %H:%M}"
            f" ({_ago(record.started_at, self._now)})"
        )
        try:
            point: StopPoint | None = stop_point(record)
            problem = ""
        except (RoutineError, IndexError, KeyError, TypeError, ValueError) as exc:
            point, problem = None, str(exc)
        self.where_label.setText(
            f"It stopped at: {point.describe()}"
            if point is not None
            else "Where it stopped is unknown."
        )
        self.done_label.setText(
            f"Exercised {display_duration(record.done_seconds)}"
            f" of {display_duration(record.planned_seconds)}."
        )
        self.problem_label.setText(f"It cannot be resumed: {problem}" if problem else "")
        self.problem_label.setVisible(bool(problem))
        self.resume_button.setEnabled(point is not None)
        default = self.resume_button if point is not None else self.results_button
        for button in (self.resume_button, self.results_button, self.discard_button):
            button.setDefault(button is default)
            _font(button, BODY_POINT_SIZE, bold=button is default)
        default.setFocus()

    def _button(self, text: str, choice: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(choice)
        button.setMinimumHeight(44)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: str) -> None:
        record = self.selected()
        if choice == DISCARD:
            self.answer.discarded.append(record)
            self.records.remove(record)
            if self.records:
                self._fill()  # the others stay listed
                return
        else:
            self.answer.choice, self.answer.record = choice, record
        self.accept()

    def _discard_all(self) -> None:
        self.answer.discarded.extend(self.records)
        self.records.clear()
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, records: SessionRecord | Sequence[SessionRecord]
    ) -> RecoveryAnswer:
        """Show the dialog modally and return what the user decided (an empty answer:
        decide later for every session)."""
        dialog = cls(records, parent)
        try:
            dialog.exec()
            return dialog.answer
        finally:
            dialog.deleteLater()
