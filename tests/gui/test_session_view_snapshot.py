"""The session screen renders what a snapshot says, with no engine behind it."""

from __future__ import annotations

from typing import Any

from tests.unit.core.helpers import simple_routine
from timer_app.core.engine import EngineState
from timer_app.core.snapshot import SessionSnapshot
from timer_app.core.timeline import build_timeline
from timer_app.ui.session_view import SessionView


def snapshot(**changes: Any) -> SessionSnapshot:
    steps = build_timeline(simple_routine((30, 20))).steps
    values: dict[str, Any] = {
        "state": EngineState.RUNNING,
        "step_index": 1,
        "step": steps[1],
        "next_step": None,
        "time_left": 7,
        "total_left": 7,
        "then_total": None,
        "step_progress": 0.65,
        "effort": 55.0,
        "elapsed": 13.0,
        "step_length": 20.0,
        "active_seconds": 43.0,
        "routine_name": "Test",
    }
    values.update(changes)
    return SessionSnapshot(**values)


def test_the_view_shows_the_snapshot_as_given(qtbot: Any) -> None:
    view = SessionView()
    qtbot.addWidget(view)
    view.show_snapshot(snapshot())
    assert view.countdown.text() == "0:07"  # as rounded in the snapshot, not again here
    assert view.total_label.text() == "Total left 0:07"
    assert view.next_label.text() == "Next: finished"
    assert not view.effort.isHidden()  # a PAIL with a ramp shows its effort bar
    view.show_snapshot(snapshot(state=EngineState.PAUSED, time_left=6))
    assert view.countdown.text() == "0:06"
    assert view.phase_label.text().startswith("PAUSED")
    assert view.buttons["pause"].text().startswith("Resume")


def test_during_get_ready_the_total_is_the_routines(qtbot: Any) -> None:
    view = SessionView()
    qtbot.addWidget(view)
    view.show_snapshot(snapshot(then_total=1210, effort=None))
    assert view.total_label.text() == "Total 20:10 after get ready"
    assert view.effort.isHidden()
