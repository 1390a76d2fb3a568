"""Work deferred to after a window's first paint: one step per event-loop turn, in order, and all
of it done before any input the user sends meanwhile is handled."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from timer_app.ui.first_paint import after_first_paint, steps_left


class KeyWatcher(QWidget):
    """Notes what was done when each key reached it."""

    def __init__(self, done: list[str]) -> None:
        super().__init__()
        self.done = done
        self.seen: list[list[str]] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.seen.append(list(self.done))


def step(
    done: list[str], name: str, then: Callable[[], object] | None = None
) -> Callable[[], None]:
    def run() -> None:
        done.append(name)
        if then is not None:
            then()

    return run


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(200, 100)
    with qtbot.waitExposed(widget):
        widget.show()


def test_the_steps_run_in_order_after_the_first_paint_one_per_turn(qtbot: QtBot) -> None:
    done: list[str] = []
    widget = QWidget()
    turns: list[str] = []

    def note_turn() -> None:
        turns.append(",".join(done))

    # A zero timer started by the first step fires on the next turn: it finds only the second
    # step run too if the steps go one per turn (all three if they all ran in one go).
    after_first_paint(widget, step(done, "b"))
    after_first_paint(widget, step(done, "c"))
    after_first_paint(widget, step(done, "a", lambda: QTimer.singleShot(0, note_turn)), first=True)
    assert done == [] and steps_left(widget) == 3  # nothing before the paint
    show(qtbot, widget)
    qtbot.waitUntil(lambda: len(done) == 3 and bool(turns))
    assert steps_left(widget) == 0
    assert done == ["a", "b", "c"]
    assert turns == ["a,b"]


def test_input_before_the_steps_are_done_runs_the_rest_first(qtbot: QtBot) -> None:
    done: list[str] = []
    widget = KeyWatcher(done)
    pending_at_key: list[list[str]] = []

    def press_a_key() -> None:
        pending_at_key.append(list(done))
        qtbot.keyClick(widget, "x")

    # The key comes from a turn of its own while the third step is still to run.
    after_first_paint(widget, step(done, "1", lambda: QTimer.singleShot(0, press_a_key)))
    after_first_paint(widget, step(done, "2"))
    after_first_paint(widget, step(done, "3"))
    after_first_paint(widget, step(done, "4"))
    show(qtbot, widget)
    qtbot.waitUntil(lambda: bool(widget.seen))
    assert pending_at_key and pending_at_key[0] != ["1", "2", "3", "4"]  # the key came early
    assert widget.seen[0] == ["1", "2", "3", "4"]  # ...and met all of them done
    assert done == ["1", "2", "3", "4"]  # each ran once


def test_a_failing_step_does_not_stop_the_others(qtbot: QtBot) -> None:
    done: list[str] = []
    widget = QWidget()

    def fail() -> None:
        raise RuntimeError("step failed")

    after_first_paint(widget, fail)
    after_first_paint(widget, step(done, "after"))
    with qtbot.captureExceptions() as exceptions:
        show(qtbot, widget)
        qtbot.waitUntil(lambda: done == ["after"])
    assert [str(e[1]) for e in exceptions] == ["step failed"]


def test_a_window_that_never_paints_still_gets_its_steps(qtbot: QtBot) -> None:
    done: list[str] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    after_first_paint(widget, step(done, "late"))
    qtbot.waitUntil(lambda: done == ["late"], timeout=3000)
