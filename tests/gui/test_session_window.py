"""The guided session window, driven with keys and buttons on a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from tests.conftest import ROUTINES
from tests.gui.fakes import FakeSpeaker
from tests.helpers.clock import FakeClock
from tests.helpers.wake_lock import FakeWakeLock
from timer_app.core.cues import CueKind
from timer_app.core.engine import EngineState
from timer_app.core.routine import PhaseKind, Side
from timer_app.core.suspend import SuspendDetector
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop, KeysDialog
from timer_app.ui.main_window import MainWindow
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.theme import PHASE_COLOURS

SHORT = """
schema = 1
id = "short"
name = "Short test routine"
description = "Every phase kind, a few seconds each."

[warmup]
reps = 2
seconds_per_rep = 5
directions = ["clockwise"]
per_side = false

[main]
rounds = 2
sides = "both"
first_side = "right"
rest_between_rounds = 8
switch_sides = 9

[[main.phases]]
kind = "passive"
seconds = 30
instruction = "Let your knee fall inward and rest your foot on the blocks. Relax."

[[main.phases]]
kind = "pail"
seconds = 20
instruction = "Press your foot down into the blocks."
ramp = { from = 10, to = 100, seconds = 10 }

[[main.phases]]
kind = "rail"
seconds = 10
instruction = "Lift your foot up off the blocks."

[measurement]
when = "after"
seconds = 10
"""


class Rig:
    """A main window with fakes, plus helpers to move time."""

    def __init__(self, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        builtin = tmp_path / "builtin"
        builtin.mkdir()
        (builtin / "short.toml").write_text(SHORT)
        (builtin / "hip-ir-lying.toml").write_text((ROUTINES / "hip-ir-lying.toml").read_text())
        self.clock = FakeClock()
        self.boottime_offset = 0.0
        self.speaker = FakeSpeaker()
        self.wake_lock = FakeWakeLock()
        # No "get ready" lead-in here (tested on its own below), so steps start at once.
        self.settings = Settings(last_routine_id="short", lead_in_seconds=0)
        self.window = MainWindow(
            settings=self.settings,
            settings_path=tmp_path / "settings.toml",
            speaker=self.speaker,  # type: ignore[arg-type]
            wake_lock=self.wake_lock,
            builtin_dir=builtin,
            user_dir=tmp_path / "user",
            clock=self.clock,
            suspend_detector_factory=lambda: SuspendDetector(
                monotonic=self.clock, boottime=lambda: self.clock.now + self.boottime_offset
            ),
        )
        qtbot.addWidget(self.window)
        with qtbot.waitExposed(self.window):
            self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)  # shortcuts only reach an active window
        self.qtbot = qtbot

    @property
    def view(self):  # type: ignore[no-untyped-def]
        return self.window.session_view

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        assert self.window.flow.controller is not None
        return self.window.flow.controller.engine

    def key(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.window.focusWidget() or self.window, key)

    def advance(self, seconds: float) -> None:
        """Move the fake clock in small hops, waking the controller as its timer would."""
        target = self.clock.now + seconds
        while self.window.flow.controller is not None and self.clock.now < target:
            wake = self.engine.next_event_time()
            if wake is None or wake > target:
                self.clock.now = target
            else:
                self.clock.now = max(wake, self.clock.now)
            self.window.flow.controller.wake()
        self.clock.now = max(self.clock.now, target)
        if self.window.flow.controller is not None:
            self.window.flow.controller.refresh_now()  # what the display timer does in real time

    def start(self) -> None:
        self.qtbot.keyClick(self.window.start_screen.routine_list, Qt.Key.Key_Return)
        assert self.window.flow.controller is not None


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    # Closing the window mid-session asks first; a test's teardown must never block on that.
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    # The results prompt at the end is tested in test_main_window_flow; here it says "Later".
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def test_start_screen_lists_routines_with_totals_and_selects_last_used(rig: Rig) -> None:
    screen = rig.window.start_screen
    texts = [screen.routine_list.item(i).text() for i in range(screen.routine_list.count())]
    assert any(t.startswith("Hip internal rotation, lying\n21:10") for t in texts)
    assert screen.selected_entry().id == "short"
    assert rig.window.windowTitle() == "Mobility Timer"
    details = screen.total_label.text()
    assert details.startswith("Total ")
    assert screen.details.rowCount() >= 5  # warm-up, passive, PAIL, RAIL, rounds...


def test_routine_option_selects_by_id_or_file(rig: Rig, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert rig.window.routines.select("hip-ir-lying")
    assert rig.window.start_screen.selected_entry().id == "hip-ir-lying"
    own = tmp_path / "coach.toml"
    own.write_text(SHORT.replace('id = "short"', 'id = "coach"'))
    assert rig.window.routines.select(str(own))
    assert rig.window.start_screen.selected_entry().id == "coach"
    warnings: list[str] = []
    monkeypatch.setattr(
        "timer_app.ui.routine_catalog.warn",
        lambda parent, title, text: warnings.append(text),
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(SHORT.replace("seconds = 30", "seconds = 0"))
    assert not rig.window.routines.select(str(bad))
    assert "bad.toml: main.phases[0].seconds: must be 1..3600, got 0" in warnings[0]
    assert not rig.window.routines.select("no-such-routine")
    assert warnings[1] == "No routine called “no-such-routine”."


def test_enter_starts_and_title_names_routine(rig: Rig) -> None:
    rig.start()
    assert rig.window.windowTitle() == "Short test routine"  # the desktop adds the app name
    assert rig.window.stack.currentWidget() is rig.view
    assert rig.view.countdown.text() == "0:10"
    assert rig.view.phase_label.text() == "Hip CARs, clockwise"
    assert rig.speaker.prepared and "Session complete. Well done." in rig.speaker.prepared
    assert rig.speaker.spoken()[0].startswith("Hip CARs, clockwise")


def test_get_ready_lead_in_then_the_routine(rig: Rig, screenshot) -> None:  # type: ignore[no-untyped-def]
    rig.settings.lead_in_seconds = 10
    rig.start()
    view = rig.view
    rig.window.resize(800, 480)
    screenshot(rig.window, "session-get-ready-800x480")
    assert view.phase_label.text() == "GET READY"
    assert view.countdown.text() == "0:10"
    assert view.next_label.text() == "Next: Hip CARs, clockwise, 0:10"
    # The routine's total, as the start screen shows it; the lead-in is named, not counted.
    assert view.total_label.text() == "Total 4:55 after get ready"
    assert rig.speaker.spoken()[0] == "Get ready. First: Hip CARs, clockwise."
    assert "Get ready. First: Hip CARs, clockwise." in rig.speaker.prepared
    rig.advance(10)
    assert rig.engine.step.name == "Hip CARs" and rig.engine.index == 0
    assert view.phase_label.text() == "Hip CARs, clockwise"
    assert rig.wake_lock.held


def test_escape_during_get_ready_goes_back_to_the_routines(rig: Rig) -> None:
    rig.settings.lead_in_seconds = 10
    rig.start()
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    assert rig.window.flow.controller is None
    assert rig.window.stack.currentWidget() is rig.window.start_screen
    assert not rig.wake_lock.held


def test_session_screen_shows_side_round_next_and_total(rig: Rig) -> None:
    rig.start()
    rig.advance(10)
    view = rig.view
    assert view.phase_label.text() == "PASSIVE HOLD"
    assert view.side_banner.side() is Side.RIGHT and view.side_banner.text() == "RIGHT ▶"
    assert view.round_label.text() == "Round 1 of 2"
    assert view.next_label.text() == "Next: Right: PAIL, 0:20"
    assert view.instruction_label.text().startswith("Let your knee fall inward")
    total = rig.engine.timeline.total_seconds - 10
    assert view.total_label.text() == f"Total left {total // 60}:{total % 60:02d}"
    rig.advance(4.5)
    assert view.countdown.text() == "0:26"
    assert view.progress.fraction() == pytest.approx(4.5 / 30, abs=0.01)


def test_pail_shows_effort_ramp(rig: Rig) -> None:
    rig.start()
    rig.advance(10 + 30)
    assert rig.engine.step.kind is PhaseKind.PAIL
    assert rig.view.effort.isVisible()
    assert rig.view.effort.percent() == pytest.approx(10)
    rig.advance(5)
    assert rig.view.effort.percent() == pytest.approx(55)
    rig.advance(6)
    assert rig.view.effort.percent() == 100
    rig.advance(9)
    assert not rig.view.effort.isVisible()  # RAIL now
    ramp_cues = [
        c[1].text for c in rig.speaker.calls if c[0] == "play" and c[1].kind is CueKind.RAMP
    ]
    assert ramp_cues == ["Build to half effort.", "Now maximum. Hold it."]


def test_space_pauses_and_resumes(rig: Rig) -> None:
    rig.start()
    rig.advance(3)
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.state is EngineState.PAUSED
    assert rig.view.phase_label.text().startswith("PAUSED")
    assert rig.view.buttons["pause"].text().startswith("Resume")
    assert ("silence",) in rig.speaker.calls
    rig.clock.advance(60)
    assert rig.view.countdown.text() == "0:07"
    rig.key(Qt.Key.Key_Space)
    assert rig.engine.state is EngineState.RUNNING
    rig.advance(1)
    rig.window.flow.controller.refresh_now()  # what the display timer does
    assert rig.view.countdown.text() == "0:06"


def test_arrows_next_previous_and_time(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Right)
    assert rig.engine.index == 1
    assert rig.engine.log.skipped_steps == [0]
    rig.key(Qt.Key.Key_Up)
    assert rig.view.countdown.text() == "0:40"
    rig.key(Qt.Key.Key_Down)
    rig.key(Qt.Key.Key_Down)
    assert rig.view.countdown.text() == "0:20"
    rig.key(Qt.Key.Key_Left)  # within 3 s: back to the previous step
    assert rig.engine.index == 0
    rig.advance(5)
    rig.key(Qt.Key.Key_Left)  # 5 s in: restart this step
    assert rig.engine.index == 0 and rig.view.countdown.text() == "0:10"


def test_pain_key_cuts_contraction_short_and_logs_it(rig: Rig) -> None:
    rig.start()
    rig.advance(10 + 30 + 4)  # 4 s into the PAIL
    rig.key(Qt.Key.Key_P)
    assert rig.engine.step.kind is PhaseKind.RAIL
    assert rig.engine.log.cut_short_steps == [2]
    assert "pain" in rig.view.notice_label.text().lower()
    assert rig.view.notice_label.isVisible()


def test_mute_key_mutes_speaker_for_the_session(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_M)
    assert rig.speaker.muted
    assert rig.view.buttons["mute"].text().startswith("Unmute")
    assert rig.view.muted_badge.isVisible()
    rig.key(Qt.Key.Key_M)
    assert not rig.speaker.muted
    assert not rig.view.muted_badge.isVisible()


def test_full_screen_keys(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_F)
    rig.qtbot.waitUntil(lambda: rig.window.isFullScreen())
    rig.key(Qt.Key.Key_F11)
    rig.qtbot.waitUntil(lambda: not rig.window.isFullScreen())


def test_escape_asks_before_stopping(rig: Rig) -> None:
    rig.start()
    rig.key(Qt.Key.Key_Escape)
    assert rig.window.flow.stop_overlay.isVisible()
    assert rig.engine.is_paused  # time must not run while the user reads
    rig.clock.advance(5)
    rig.key(Qt.Key.Key_Space)  # "keep going"
    assert not rig.window.flow.stop_overlay.isVisible()
    assert rig.engine.is_running
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    assert rig.window.stack.currentWidget() is rig.window.summary_view
    assert rig.window.summary_view.title_label.text().startswith("Session stopped")
    assert rig.wake_lock.calls[-1] == "release"


def test_help_key_shows_keys(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[object] = []
    monkeypatch.setattr(KeysDialog, "show_keys", classmethod(lambda cls, p: shown.append(p)))
    rig.key(Qt.Key.Key_F1)  # on the start screen: the dialog
    assert len(shown) == 1
    rig.start()
    rig.key(Qt.Key.Key_F1)  # in a session: the overlay over the paused session
    assert rig.window.flow.keys_overlay.isVisible()
    rig.key(Qt.Key.Key_Escape)
    assert not rig.window.flow.keys_overlay.isVisible()
    rig.qtbot.keyClick(rig.view, "?")
    assert rig.window.flow.keys_overlay.isVisible()
    assert len(shown) == 1
    rig.key(Qt.Key.Key_Escape)


def test_every_button_works(rig: Rig) -> None:
    rig.start()
    click = lambda name: rig.qtbot.mouseClick(rig.view.buttons[name], Qt.MouseButton.LeftButton)  # noqa: E731
    click("pause")
    assert rig.engine.is_paused
    click("pause")
    assert rig.engine.is_running
    click("next")
    assert rig.engine.index == 1
    click("add")
    assert rig.engine.remaining() == 40
    click("remove")
    assert rig.engine.remaining() == 30
    click("previous")
    assert rig.engine.index == 0
    click("mute")
    assert rig.speaker.muted
    click("help")
    assert rig.window.flow.keys_overlay.isVisible()
    rig.key(Qt.Key.Key_Space)  # close the keys and continue
    assert rig.engine.is_running
    click("fullscreen")
    rig.qtbot.waitUntil(lambda: rig.window.isFullScreen())
    click("fullscreen")
    rig.qtbot.waitUntil(lambda: not rig.window.isFullScreen())
    rig.advance(10 + 30 + 2)
    click("pain")
    assert rig.engine.log.cut_short_steps == [2]
    click("stop")
    rig.qtbot.mouseClick(rig.window.flow.stop_overlay.stop_button, Qt.MouseButton.LeftButton)
    assert rig.window.stack.currentWidget() is rig.window.summary_view


def test_full_short_routine_to_end_screen(rig: Rig) -> None:
    rig.start()
    total = rig.engine.timeline.total_seconds
    rig.advance(total + 1)
    assert rig.window.flow.controller is None
    summary = rig.window.summary_view
    assert rig.window.stack.currentWidget() is summary
    assert summary.title_label.text() == "Session complete. Well done!"
    assert f"Time done: {total // 60}:{total % 60:02d}" in summary.facts_label.text()
    assert rig.speaker.spoken()[-1] == "Session complete. Well done."
    assert rig.window.windowTitle() == "Mobility Timer"
    rig.qtbot.keyClick(summary, Qt.Key.Key_Return)
    assert rig.window.stack.currentWidget() is rig.window.start_screen


def test_wake_lock_taken_while_running_released_on_pause_stop_finish(rig: Rig) -> None:
    rig.start()
    assert rig.wake_lock.held
    rig.key(Qt.Key.Key_Space)
    assert not rig.wake_lock.held
    rig.key(Qt.Key.Key_Space)
    assert rig.wake_lock.held
    rig.advance(rig.engine.timeline.total_seconds + 1)
    assert not rig.wake_lock.held


def test_refused_wake_lock_shows_notice_and_goes_on(rig: Rig) -> None:
    rig.wake_lock.refuse = "The system did not allow keeping the screen awake."
    rig.start()
    assert rig.view.notice_label.text() == "The system did not allow keeping the screen awake."
    assert rig.engine.is_running


def test_suspend_pauses_the_session_and_says_so(rig: Rig) -> None:
    rig.start()
    rig.advance(4)
    rig.boottime_offset = 3600.0  # the machine slept an hour
    rig.clock.advance(2)  # monotonic clocks may still move a little
    rig.window.flow.controller.wake()  # type: ignore[union-attr]
    assert rig.engine.is_paused
    assert rig.engine.remaining() == pytest.approx(6)
    assert "asleep" in rig.view.notice_label.text()
    assert not rig.wake_lock.held


def test_suspend_noticed_by_the_display_refresh_pauses_at_the_last_second(rig: Rig) -> None:
    rig.start()
    rig.advance(10 + 20)  # 20 s into the 30 s passive hold; the display refreshed then
    rig.boottime_offset = 1800.0  # the lid was closed for half an hour
    rig.clock.advance(0.5)
    rig.window.flow.controller.refresh_now()  # type: ignore[union-attr]
    assert rig.engine.is_paused
    assert rig.engine.step.kind is PhaseKind.PASSIVE
    assert rig.engine.remaining() == pytest.approx(10)  # nothing of the sleep was counted
    assert rig.view.phase_label.text().startswith("PAUSED")


def test_stalled_wakeup_without_boottime_pauses(rig: Rig) -> None:
    rig.start()
    rig.advance(2)
    rig.clock.advance(200)  # woke 200 s after the planned time: a frozen process or a jump
    rig.window.flow.controller.wake()  # type: ignore[union-attr]
    assert rig.engine.is_paused
    assert rig.engine.index == 0


def test_close_during_session_asks(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [False, True]
    monkeypatch.setattr(
        ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: answers.pop(0))
    )
    rig.start()
    rig.window.close()
    assert rig.window.isVisible() and rig.engine.is_running
    rig.window.close()
    assert not rig.window.isVisible()
    assert not rig.wake_lock.held


def test_no_sound_flashes_screen_on_cues(rig: Rig) -> None:
    rig.speaker.sound = False
    rig.start()
    rig.speaker.notice_changed.emit("No audio device: cues are shown on screen only.")
    assert rig.view.sound_label.text().startswith("No audio device")
    rig.advance(7)  # the "Three." of the countdown
    steady = QColor(PHASE_COLOURS[rig.engine.step.kind].background)
    flashed = rig.view.palette().color(QPalette.ColorRole.Window)
    assert flashed.lightness() > steady.lightness()  # the background lights up at the cue


def test_countdown_digits_are_large(rig: Rig) -> None:
    rig.start()
    for width, height in ((1280, 800), (800, 480)):
        rig.window.resize(width, height)

        def big_enough(h: int = height) -> None:
            # at least a fifth of the window height: ~18 mm tall on a 13" laptop at 800 px
            assert rig.view.countdown.digit_pixel_height() >= h * 0.2

        rig.qtbot.waitUntil(big_enough)  # layouts settle asynchronously after a resize


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_screenshots_of_each_phase_kind(rig: Rig, screenshot, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    rig.window.resize(*size)
    rig.qtbot.waitUntil(lambda: rig.window.width() == size[0])
    screenshot(rig.window, f"start-{size[0]}x{size[1]}")
    rig.window.start_screen.tabs.setCurrentIndex(1)
    screenshot(rig.window, f"start-adjust-{size[0]}x{size[1]}")
    rig.window.start_screen.tabs.setCurrentIndex(0)
    rig.start()
    seen: set[PhaseKind] = set()
    while rig.window.flow.controller is not None:
        kind = rig.engine.step.kind
        if kind not in seen:
            rig.advance(3.2)
            seen.add(kind)
            screenshot(rig.window, f"session-{kind.value}-{size[0]}x{size[1]}")
            if kind is PhaseKind.PASSIVE:
                rig.key(Qt.Key.Key_Space)
                screenshot(rig.window, f"session-paused-{size[0]}x{size[1]}")
                rig.key(Qt.Key.Key_Space)
        rig.window.flow.controller.next_step()
    assert seen == set(PhaseKind)
    screenshot(rig.window, f"summary-{size[0]}x{size[1]}")


def test_the_speaker_is_told_when_the_next_cue_comes_and_when_none_will(rig: Rig) -> None:
    """So it can close its sound stream through a quiet stretch and open it in time."""
    rig.start()
    assert rig.speaker.expected_cues[-1] == rig.engine.next_event_time()
    rig.advance(1.0)
    assert rig.speaker.expected_cues[-1] == rig.engine.next_event_time()
    rig.key(Qt.Key.Key_Space)  # pause: no cue until resumed
    assert rig.engine.is_paused
    assert rig.speaker.expected_cues[-1] is None
    rig.key(Qt.Key.Key_Space)
    assert rig.speaker.expected_cues[-1] is not None
    assert rig.speaker.expected_cues[-1] == rig.engine.next_event_time()
