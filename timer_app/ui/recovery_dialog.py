"""At start-up, one dialog per session a previous run left unfinished (crash, kill, power cut).

It says where the session stopped (routine, step, side, round, time into the step) and offers:
resume where it stopped, record its results, or discard it. "Decide later" (Esc) leaves the
session as it is, to be offered again at the next start.

The session is rebuilt from the routine snapshot stored with it, not from the routine file,
which may have changed since: :func:`resume_timeline`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.cues import display_duration
from timer_app.core.routine import Side
from timer_app.core.routine_file import RoutineError, parse_routine
from timer_app.core.timeline import Timeline, build_timeline
from timer_app.storage.records import SessionRecord
from timer_app.ui.screen_fit import fit_to_screen

TITLE_POINT_SIZE = 20
BODY_POINT_SIZE = 15
ERROR_COLOUR = "#a00000"

#: What :meth:`RecoveryDialog.ask` returns (None: decide later).
RESUME = "resume"
RESULTS = "results"
DISCARD = "discard"


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
    """Offers what to do with one interrupted session; ``choice`` holds the answer."""

    def __init__(
        self, record: SessionRecord, parent: QWidget | None = None, now: datetime | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecoveryDialog")
        self.setWindowTitle("Unfinished session")
        self.setModal(True)
        self.record = record
        self.choice: str | None = None
        now = now or datetime.now(UTC)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        title = QLabel("A session did not finish")
        _font(title, TITLE_POINT_SIZE, bold=True)
        layout.addWidget(title)

        started = record.started_at.astimezone()
        routine = QLabel(
            f"<b>{_escape(record.routine_name)}</b>, started "
            f"{started:%A %d %B, %H:%M} ({_ago(record.started_at, now)})"
        )
        routine.setObjectName("routine")
        layout.addWidget(routine)

        try:
            point: StopPoint | None = stop_point(record)
            problem = ""
        except (RoutineError, IndexError, KeyError, TypeError, ValueError) as exc:
            point, problem = None, str(exc)
        where = QLabel(
            f"It stopped at: <b>{_escape(point.describe())}</b>"
            if point is not None
            else "Where it stopped is unknown."
        )
        where.setObjectName("stop_point")
        layout.addWidget(where)
        done = QLabel(
            f"Exercised {display_duration(record.done_seconds)}"
            f" of {display_duration(record.planned_seconds)}."
        )
        done.setObjectName("done")
        layout.addWidget(done)
        self.problem_label = QLabel(f"It cannot be resumed: {problem}" if problem else "")
        self.problem_label.setObjectName("problem")
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(bool(problem))
        layout.addWidget(self.problem_label)
        for label in (routine, where, done, self.problem_label):
            _font(label, BODY_POINT_SIZE)

        buttons = QHBoxLayout()
        self.resume_button = self._button("&Resume where it stopped", RESUME)
        self.results_button = self._button("Record its r&esults", RESULTS)
        self.discard_button = self._button("&Discard", DISCARD)
        self.later_button = QPushButton("Decide &later")
        self.later_button.setObjectName("later")
        self.later_button.setToolTip("Keep it; you will be asked again next time (Esc)")
        self.later_button.clicked.connect(self.reject)
        self.later_button.setAutoDefault(False)
        self.resume_button.setEnabled(point is not None)
        default = self.resume_button if point is not None else self.results_button
        default.setDefault(True)
        default.setFocus()
        self.discard_button.setToolTip("Hide it from the history (it stays in the file)")
        self.results_button.setToolTip("End it here and enter how high each foot reached")
        for button in (self.resume_button, self.results_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        for button in (*(self.resume_button, self.results_button), self.discard_button):
            _font(button, BODY_POINT_SIZE, bold=button.isDefault())
        _font(self.later_button, BODY_POINT_SIZE)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        fit_to_screen(self, self.sizeHint())

    def _button(self, text: str, choice: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(choice)
        button.setMinimumHeight(44)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, record: SessionRecord) -> str | None:
        """Show the dialog modally: "resume", "results", "discard", or None (decide later)."""
        dialog = cls(record, parent)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
