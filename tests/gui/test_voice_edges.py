"""The voice at a session's edges: the clock waits for the first words, resume says where
the session is (issue 10). The speaker is a fake whose clips are ready when told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.gui.test_main_window_flow import ROUTINE, Flow
from timer_app.core.engine import EngineState
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline
from timer_app.storage.history import History
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.main_window import MainWindow
from timer_app.ui.recovery_dialog import RecoveryAnswer, RecoveryDialog
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.voice_gate import NOT_READY, PREPARING, VoiceGate


@pytest.fixture
def flow(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    made = Flow(qtbot, tmp_path)
    yield made
    made.window.close()
    made.history.close()


def gate(window: MainWindow) -> VoiceGate:
    assert window.flow.controller is not None
    found = window.flow.controller.findChild(VoiceGate)
    assert found is not None
    return found


def notice(window: MainWindow) -> str:
    label = window.session_view.notice_label
    return label.text() if label.isVisible() else ""


def test_the_clock_waits_for_the_first_words_with_a_notice_after_300_ms(
    flow: Flow, screenshot: Any
) -> None:
    flow.speaker.ready = False
    flow.window.start_screen.request_start()
    controller = flow.window.flow.controller
    assert controller is not None and controller.state is EngineState.IDLE
    assert flow.window.stack.currentWidget() is flow.window.session_view
    flow.clock.advance(0.2)
    gate(flow.window).poll()
    assert notice(flow.window) == ""  # a short wait goes unremarked
    flow.clock.advance(0.15)
    gate(flow.window).poll()
    assert notice(flow.window) == PREPARING
    assert controller.state is EngineState.IDLE
    screenshot(flow.window, "session-preparing-voice")
    flow.speaker.ready = True
    started_at = flow.clock.advance(0.4)
    gate(flow.window).poll()
    assert controller.state is EngineState.RUNNING
    assert notice(flow.window) == ""
    # The first step's whole length is still ahead: the wait was not counted as exercise,
    # and its announcement was handed over the moment the clock started.
    assert controller.engine.remaining() == pytest.approx(10)
    assert flow.speaker.played[0].text.startswith("Left side")
    assert flow.clock.now == started_at


def test_after_three_seconds_the_session_starts_on_visual_cues(flow: Flow) -> None:
    flow.speaker.ready = False
    flow.window.start_screen.request_start()
    controller = flow.window.flow.controller
    assert controller is not None
    flow.clock.advance(2.9)
    gate(flow.window).poll()
    assert controller.state is EngineState.IDLE
    flow.clock.advance(0.2)
    gate(flow.window).poll()
    assert controller.state is EngineState.RUNNING
    assert notice(flow.window) == NOT_READY
    flow.speaker.ready = True  # the clips arrive a little later
    gate(flow.window).poll()
    assert notice(flow.window) == ""


def test_the_wait_is_for_the_first_two_steps_only(flow: Flow) -> None:
    seen: list[list[str]] = []
    flow.speaker.is_ready = lambda phrases: seen.append(list(phrases)) or True  # type: ignore[method-assign]
    flow.settings.lead_in_seconds = 10
    flow.window.start_screen.request_start()
    waited_for = seen[0]
    assert waited_for[0].startswith("Get ready.")  # the lead-in's words
    assert any(p.startswith("Left side") for p in waited_for)  # the first step's
    assert all("Right side" not in p for p in waited_for)  # later steps render meanwhile


def test_resume_after_a_pause_says_where_the_session_is(flow: Flow) -> None:
    flow.window.start_screen.request_start()
    controller = flow.window.flow.controller
    assert controller is not None
    flow.clock.advance(2.2)
    controller.wake()
    controller.toggle_pause()
    said = "Left side, Passive hold, eight seconds left."
    # Rendered while paused, ahead of idle work, so resuming says it at once.
    assert ("prefetch", [said], True) in flow.speaker.calls
    flow.clock.advance(60)  # a long pause
    controller.add_time()  # while paused: +10 s, so the phrase changes
    assert ("prefetch", ["Left side, Passive hold, eighteen seconds left."], True) in (
        flow.speaker.calls
    )
    controller.toggle_pause()
    assert flow.speaker.spoken()[-1] == "Left side, Passive hold, eighteen seconds left."


def test_a_session_resumed_after_a_crash_says_where_it_is(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "mini.toml").write_text(ROUTINE.format(when="after"))
    routine = load_routine(builtin / "mini.toml")
    dead = History(tmp_path / "history.sqlite3")
    sid = dead.start_session(routine, build_timeline(routine))
    dead.update_progress(sid, 1, 3.0, 13.0, [])  # died 3 s into the PAIL
    dead.close()
    monkeypatch.setattr(
        RecoveryDialog,
        "ask",
        classmethod(lambda cls, p, records: RecoveryAnswer(choice="resume", record=records[0])),
    )
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    flow = Flow(qtbot, tmp_path)
    try:
        flow.window.flow.offer_recovery()
        # Back paused at the start of the PAIL (issue 13): nothing is said until Space, then
        # a short "Get ready" that names the step, rendered first, before the clock starts.
        said = "Get ready. First: left side, PAIL."
        assert flow.speaker.prepared[0] == said
        assert flow.speaker.spoken() == []
        controller = flow.window.flow.controller
        assert controller is not None and controller.is_paused
        controller.resume()
        assert flow.speaker.spoken() == [said]
    finally:
        flow.window.close()
        flow.history.close()


def test_esc_while_the_voice_is_prepared_stops_before_anything_began(flow: Flow) -> None:
    flow.speaker.ready = False
    flow.window.start_screen.request_start()
    controller = flow.window.flow.controller
    assert controller is not None
    flow.window.request_stop()
    flow.speaker.ready = True
    flow.clock.advance(0.5)
    gate(flow.window).poll()  # the voice is ready now, but the question is open
    assert controller.state is EngineState.IDLE
    flow.window.flow.stop_overlay.stop_button.click()
    assert controller.state is EngineState.STOPPED
    (record,) = flow.history.sessions()
    assert record.status == "stopped" and record.done_seconds == 0


def test_keep_going_starts_a_session_whose_voice_got_ready_meanwhile(flow: Flow) -> None:
    flow.speaker.ready = False
    flow.window.start_screen.request_start()
    controller = flow.window.flow.controller
    assert controller is not None
    flow.window.request_stop()
    flow.speaker.ready = True
    gate(flow.window).poll()
    assert controller.state is EngineState.IDLE  # nothing behind the question
    flow.window.flow.stop_overlay.answer_keep_going()
    assert controller.state is EngineState.RUNNING
    assert controller.engine.remaining() == pytest.approx(10)
