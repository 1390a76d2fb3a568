"""The main window with a real history store: results before/after, Later, recovery after a
crash, the weaker side's extra round, the history window and the start screen's panels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.gui.fakes import FakeSpeaker
from tests.helpers.clock import FakeClock
from tests.helpers.top_levels import visible_top_levels
from tests.helpers.wake_lock import FakeWakeLock
from timer_app.core.results import ResultEntry
from timer_app.core.routine import PhaseKind, Side
from timer_app.core.routine_file import load_routine
from timer_app.core.suspend import SuspendDetector
from timer_app.core.timeline import build_timeline
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.main_window import MainWindow
from timer_app.ui.recovery_dialog import RecoveryAnswer, RecoveryDialog
from timer_app.ui.results_dialog import ResultsDialog

ROUTINE = """
schema = 1
id = "mini"
name = "Mini"
extra_round_for_weaker_side = true

[main]
rounds = 1
sides = "both"
switch_sides = 5

[[main.phases]]
kind = "passive"
seconds = 10

[[main.phases]]
kind = "pail"
seconds = 10

[measurement]
when = "{when}"
"""


def entries(when: str, left: float, right: float) -> list[ResultEntry]:
    return [
        ResultEntry(Side.LEFT, left * 7.5, left, "blocks", when),
        ResultEntry(Side.RIGHT, right * 7.5, right, "blocks", when),
    ]


class Flow:
    """A main window over a real store in tmp_path, with a fake clock."""

    def __init__(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, when: str = "after", db: Path | None = None, **store: Any
    ) -> None:
        """``db`` and ``store`` (History's keyword arguments): a store elsewhere, or with
        faults injected."""
        self.builtin = tmp_path / "builtin"
        self.builtin.mkdir(exist_ok=True)
        (self.builtin / "mini.toml").write_text(ROUTINE.format(when=when))
        self.db = db or tmp_path / "history.sqlite3"
        self.history = History(self.db, **store)
        self.clock = FakeClock()
        self.speaker = FakeSpeaker()
        self.wake_lock = FakeWakeLock()
        self.settings = Settings(last_routine_id="mini", lead_in_seconds=0)
        self.window = MainWindow(
            settings=self.settings,
            settings_path=tmp_path / "settings.toml",
            speaker=self.speaker,
            wake_lock=self.wake_lock,
            builtin_dir=self.builtin,
            user_dir=tmp_path / "user",
            clock=self.clock,
            suspend_detector_factory=lambda: SuspendDetector(
                monotonic=self.clock, boottime=lambda: self.clock.now
            ),
            history=self.history,
        )
        qtbot.addWidget(self.window)
        with qtbot.waitExposed(self.window):
            self.window.show()
        self.qtbot = qtbot

    def run_to_end(self) -> None:
        controller = self.window.flow.controller
        assert controller is not None
        while self.window.flow.controller is not None:
            wake = controller.engine.next_event_time()
            assert wake is not None
            self.clock.now = max(self.clock.now, wake)
            controller.wake()


@pytest.fixture(autouse=True)
def no_modal_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))


@pytest.fixture
def make_flow(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """Build Flows; close their windows and stores afterwards (stores hold a lock file)."""
    made: list[Flow] = []

    def make(when: str = "after") -> Flow:
        flow = Flow(qtbot, tmp_path, when)
        made.append(flow)
        return flow

    yield make
    for flow in made:
        flow.window.close()
        flow.history.close()


def fake_ask(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[ResultEntry] | None]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def ask(cls, parent, *, sides, when, routine_name, settings, before=None, initial=None):  # type: ignore[no-untyped-def]
        asked.append(when)
        assert list(sides) == [Side.LEFT, Side.RIGHT]
        return answers[when]

    monkeypatch.setattr(ResultsDialog, "ask", classmethod(ask))
    return asked


def test_results_after_the_session_are_stored_and_shown(
    make_flow, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    flow = make_flow()
    flow.window.start_screen.request_start()
    session_id = flow.window.flow.recorder.session_id  # type: ignore[union-attr]
    assert flow.history.get(session_id).status == "running"  # written when it starts
    flow.run_to_end()
    assert asked == ["after"]
    record = flow.history.get(session_id)
    assert record.status == "completed"
    assert record.done_seconds == pytest.approx(45)  # 2 x (10 + 10) + a 5 s switch
    assert {(r.side, r.entered_value) for r in record.results} == {(Side.LEFT, 3), (Side.RIGHT, 4)}
    assert not record.results_pending
    assert flow.window.summary_view.results_label.text() == "Left: 3 blocks   Right: 4 blocks"


def test_before_and_after_show_the_gain(make_flow, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked = fake_ask(
        monkeypatch, {"before": entries("before", 2, 3), "after": entries("after", 3, 3.5)}
    )
    flow = make_flow("both")
    flow.window.start_screen.request_start()
    session_id = flow.window.flow.recorder.session_id  # type: ignore[union-attr]
    assert len(flow.history.get(session_id).results) == 2  # "before" kept at once
    flow.run_to_end()
    assert asked == ["before", "after"]
    assert len(flow.history.get(session_id).results) == 4
    text = flow.window.summary_view.results_label.text()
    assert text == "Left: 3 blocks (+1 block)   Right: 3.5 blocks (+0.5 blocks)"


def test_later_keeps_results_pending(make_flow, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_ask(monkeypatch, {"after": None})
    flow = make_flow()
    flow.window.start_screen.request_start()
    flow.run_to_end()
    assert [r.routine_id for r in flow.history.pending()] == ["mini"]
    summary = flow.window.summary_view
    assert "later" in summary.results_label.text()
    # "Record results now" on the end screen fills them in after all.
    fake_ask(monkeypatch, {"after": entries("after", 2, 2.5)})
    assert summary.results_button.isVisible()
    qtbot.mouseClick(summary.results_button, Qt.MouseButton.LeftButton)
    assert flow.history.pending() == []
    assert summary.results_label.text() == "Left: 2 blocks   Right: 2.5 blocks"
    assert not summary.results_button.isVisible()


def test_progress_is_saved_every_few_seconds_of_a_step(make_flow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_ask(monkeypatch, {"after": None})
    flow = make_flow()
    flow.window.start_screen.request_start()
    session_id = flow.window.flow.recorder.session_id  # type: ignore[union-attr]
    controller = flow.window.flow.controller
    flow.clock.advance(6.5)  # the display refreshes as time passes
    controller.refresh_now()  # type: ignore[union-attr]
    record = flow.history.get(session_id)
    assert record.step_index == 0
    assert record.step_elapsed == pytest.approx(6.5)  # a crash now resumes 6.5 s in


def test_get_ready_is_not_recorded_and_the_routine_is(make_flow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_ask(monkeypatch, {"after": None})
    flow = make_flow()
    flow.settings.lead_in_seconds = 5
    flow.window.start_screen.request_start()
    assert flow.history.sessions() == []  # only getting into position so far
    flow.window.flow.controller.next_step()  # type: ignore[union-attr]  # ready early: Right
    (record,) = flow.history.sessions()
    assert record.status == "running" and record.step_index == 0


def test_stopped_session_is_recorded_as_stopped(make_flow, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_ask(monkeypatch, {"after": None})
    flow = make_flow()
    flow.window.start_screen.request_start()
    flow.clock.advance(4)
    flow.window.request_stop()
    flow.window.flow.stop_overlay.stop_button.click()
    (record,) = flow.history.sessions()
    assert record.status == "stopped"
    assert record.done_seconds == pytest.approx(4)


def test_crash_then_resume_where_it_stopped(make_flow, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A previous run wrote a session and died 3 s into its second step.
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "mini.toml").write_text(ROUTINE.format(when="after"))
    routine = load_routine(builtin / "mini.toml")
    timeline = build_timeline(routine)
    dead = History(tmp_path / "history.sqlite3")
    sid = dead.start_session(routine, timeline)
    dead.update_progress(sid, 1, 3.0, 13.0, [])
    dead.close()

    monkeypatch.setattr(
        RecoveryDialog,
        "ask",
        classmethod(lambda cls, p, records: RecoveryAnswer(choice="resume", record=records[0])),
    )
    flow = make_flow()
    flow.window.flow.offer_recovery()
    # Back paused, naming the step; Space, a short "Get ready", then the step from its start.
    lead_in = flow.window.flow.controller
    assert lead_in is not None and lead_in.is_paused
    assert "Resuming: " in flow.window.session_view.notice_label.text()
    lead_in.resume()
    flow.clock.advance(5)
    lead_in.wake()
    engine = flow.window.flow.controller.engine  # type: ignore[union-attr]
    assert engine.index == 1 and engine.step.kind is PhaseKind.PAIL
    assert engine.remaining() == pytest.approx(10)
    assert flow.window.flow.recorder.session_id == sid  # type: ignore[union-attr]


def test_crash_then_discard(make_flow, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    flow = make_flow()
    flow.window.start_screen.request_start()
    # The app "dies" with its session running: no stop, no end; its store lets go.
    flow.window.flow.controller.shutdown()  # type: ignore[union-attr]
    flow.window.flow.controller = None
    flow.history.close()
    monkeypatch.setattr(
        RecoveryDialog, "ask", classmethod(lambda cls, p, records: RecoveryAnswer(list(records)))
    )
    again = make_flow()
    again.window.flow.offer_recovery()
    assert again.history.interrupted() == []
    assert again.window.flow.controller is None


def test_weaker_side_gets_an_extra_round(make_flow, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_ask(monkeypatch, {"after": entries("after", 2, 4)})
    flow = make_flow()
    flow.window.start_screen.request_start()
    flow.run_to_end()
    flow.window.show_start()
    flow.window.start_screen.select_routine("mini")
    note = flow.window.start_screen.note_label
    assert note.text() == "Left is 2 blocks behind: one extra round on the left"
    flow.window.start_screen.request_start()
    steps = flow.window.flow.controller.engine.timeline.steps  # type: ignore[union-attr]
    left_passive = [s for s in steps if s.kind is PhaseKind.PASSIVE and s.side is Side.LEFT]
    assert len(left_passive) == 2


def test_h_opens_the_history_window(make_flow, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    flow = make_flow()
    flow.window.activateWindow()
    qtbot.waitUntil(flow.window.isActiveWindow)
    qtbot.keyClick(flow.window.start_screen.routine_list, Qt.Key.Key_H)
    from timer_app.ui.history_view import HistoryWindow

    def shown() -> list[HistoryWindow]:
        # Only visible ones: a window closed by an earlier test in this process may linger.
        return [w for w in visible_top_levels() if isinstance(w, HistoryWindow)]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    [window] = shown()
    window.close()


def test_chart_library_loads_only_when_idle_on_the_start_screen(make_flow, qtbot) -> None:  # type: ignore[no-untyped-def]
    import sys

    flow = make_flow()
    sys.modules.pop("timer_app.ui.chart", None)
    flow.window.start_screen.request_start()
    flow.window.preload_history_chart()  # a session runs: nothing is loaded
    assert "timer_app.ui.chart" not in sys.modules
    flow.window.request_stop()
    flow.window.flow.stop_overlay.stop_button.click()
    flow.window.preload_history_chart()  # idle again: load it now
    assert "timer_app.ui.chart" in sys.modules


def test_start_screen_has_quick_adjust_panel(make_flow, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    flow = make_flow()
    tabs = flow.window.start_screen.tabs
    assert tabs.tabText(1) == "Adjust times"
    from timer_app.ui.quick_adjust import QuickAdjustPanel

    # Built when first needed: start-up stays light.
    assert not flow.window.findChildren(QuickAdjustPanel)
    tabs.setCurrentIndex(1)
    assert flow.window.adjust_times.panel.isVisible()
    assert flow.window.routine_actions["edit"].isEnabled()
    assert not flow.window.routine_actions["delete"].isEnabled()  # a built-in


def test_corrupt_history_is_reported_and_app_starts(
    make_flow, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    monkeypatch.setattr(
        "timer_app.ui.session_flow.warn",
        lambda parent, title, text: warnings.append(text),
    )
    flow = make_flow()
    flow.window.flow.offer_recovery()
    assert len(warnings) == 1 and "history.sqlite3.corrupt-" in warnings[0]
    assert flow.history.sessions() == []


def test_three_crashes_one_dialog_results_then_the_rest_again(
    make_flow, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "mini.toml").write_text(ROUTINE.format(when="after"))
    routine = load_routine(builtin / "mini.toml")
    for _ in range(3):
        dead = History(tmp_path / "history.sqlite3")
        dead.start_session(routine, build_timeline(routine))
        dead.close()
    asked: list[int] = []

    def ask(cls, parent, records):  # type: ignore[no-untyped-def]
        asked.append(len(records))
        if len(asked) == 1:  # first: discard one, record results for another
            return RecoveryAnswer([records[0]], "results", records[1])
        return RecoveryAnswer()  # then: decide later for the last one

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(ask))
    fake_ask(monkeypatch, {"after": entries("after", 3, 4)})
    flow = make_flow()
    flow.window.flow.offer_recovery()
    assert asked == [3, 1]
    assert len(flow.history.interrupted()) == 1
    assert sorted(s.status for s in flow.history.sessions()) == ["interrupted", "running"]
