"""Small input widgets shared by the quick adjust panel and the routine editor."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox, QWidget

from timer_app.core.durations import DurationError, format_duration, parse_duration


class DurationSpinBox(QSpinBox):
    """Whole seconds shown as ``m:ss``; typing ``1:30`` or ``90`` both mean 90 seconds.

    The arrows step by ``step`` seconds. Half-typed text (``"1:"``) is allowed while typing;
    on leaving the field Qt reverts anything unreadable to the last good value.
    """

    def __init__(
        self, maximum: int = 3600, minimum: int = 0, step: int = 5, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setAccelerated(True)
        self.setToolTip("Minutes:seconds like 2:00, or seconds like 90")

    def textFromValue(self, value: int) -> str:
        return format_duration(value)

    def valueFromText(self, text: str) -> int:
        try:
            return parse_duration(text)
        except DurationError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return self._state(text), text, pos

    def _state(self, text: str) -> QValidator.State:
        typed = text.strip()
        if not typed or typed.endswith(":"):
            return QValidator.State.Intermediate
        try:
            seconds = parse_duration(typed)
        except DurationError:
            # "1:5" on the way to "1:50" must stay typeable.
            head, _, tail = typed.partition(":")
            if head.isdigit() and tail.isdigit() and len(tail) == 1:
                return QValidator.State.Intermediate
            return QValidator.State.Invalid
        if seconds > self.maximum():
            return QValidator.State.Invalid
        if seconds < self.minimum():
            return QValidator.State.Intermediate
        return QValidator.State.Acceptable
