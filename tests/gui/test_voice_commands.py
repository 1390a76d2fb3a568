"""Voice commands as the person on the floor meets them: the switch (greyed with a reason
when the machine cannot listen), the microphone badge, commands acted on through the same
runner as the keys, the listener told to ignore the microphone while the app sounds,
"timer stop" asked again by voice.

The listening process is stood in for by ``tests/helpers/voice_listener.py`` (a real process
that prints what the real one would); the recogniser itself is tested in tests/audio.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.gui.fakes import FakeSpeaker
from tests.gui.test_session_window import Rig
from tests.helpers.clock import FakeClock
from timer_app.core.commands import SessionCommand
from timer_app.core.cues import CueKind, Tone
from timer_app.core.voice_commands import ECHO_GUARD, STOP_QUESTION, HeardCommand
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog
from timer_app.ui.voice_commands import VoiceCommands
from timer_app.ui.voice_settings import VoiceSettingsDialog
from timer_app.voice import availability
from timer_app.voice.availability import NO_MICROPHONE

LISTENER = str(Path(__file__).parents[1] / "helpers" / "voice_listener.py")


def listener(*words: str) -> list[str]:
    return [sys.executable, LISTENER, *words]


@pytest.fixture(autouse=True)
def no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))


@pytest.fixture
def rig(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:
    monkeypatch.setattr(availability, "unavailable_reason", lambda: "")
    rig = Rig(qtbot, tmp_path)
    qtbot.waitUntil(lambda: rig.window.start_screen.voice_switch.check.isEnabled())
    return rig


def start_listening(rig: Rig, *words: str) -> None:
    rig.window.flow.voice_program = listener(*words)
    rig.qtbot.mouseClick(rig.window.start_screen.voice_switch.check, Qt.MouseButton.LeftButton)
    rig.start()


def test_off_by_default_and_no_badge(rig: Rig) -> None:
    assert not Settings().voice_commands
    assert not rig.window.start_screen.voice_switch.is_on()
    rig.start()
    assert rig.window.flow.voice is None
    assert not rig.view.mic_badge.isVisible()


def test_the_start_screen_switch_is_saved_to_settings_toml(rig: Rig, tmp_path: Path) -> None:
    switch = rig.window.start_screen.voice_switch
    rig.qtbot.mouseClick(switch.check, Qt.MouseButton.LeftButton)
    assert Settings.load(tmp_path / "settings.toml").voice_commands
    assert "voice_commands = true" in (tmp_path / "settings.toml").read_text()


def test_voice_commands_true_in_settings_toml_loads_on(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("voice_commands = true\n")
    loaded = Settings.load(path)
    assert loaded.voice_commands and not loaded.problems


def test_heard_pause_pauses_shows_on_the_badge_ticks_and_is_logged(
    rig: Rig, screenshot: Any
) -> None:
    start_listening(rig, "pause")
    rig.qtbot.waitUntil(lambda: rig.engine.is_paused)
    badge = rig.view.mic_badge
    assert badge.isVisible() and badge.text().endswith('Heard "pause"')
    ticks = [c for c in rig.speaker.played if c.tone is Tone.TICK and not c.text]
    assert ticks, "a short tone confirms the command"
    logged = [e for e in rig.engine.log.entries if e.event == "voice_command"]
    assert [e.detail for e in logged] == [{"heard": "pause"}]
    screenshot(rig.window, "voice_badge_heard")


def test_the_badge_says_listening_before_anything_is_heard(rig: Rig, screenshot: Any) -> None:
    start_listening(rig)
    rig.qtbot.waitUntil(lambda: rig.view.mic_badge.text().endswith("Listening"))
    assert rig.engine.is_running
    screenshot(rig.window, "voice_badge_listening")


def test_without_echo_cancelling_the_badge_says_it_listens_between_cues(
    rig: Rig, screenshot: Any
) -> None:
    # Then nothing said during a cue is heard: the person learns when to speak.
    start_listening(rig, "--no-echo-cancel")
    rig.qtbot.waitUntil(lambda: rig.view.mic_badge.text().endswith("Listening between cues"))
    screenshot(rig.window, "voice_badge_between_cues")


def test_next_and_back_move_between_steps(rig: Rig) -> None:
    start_listening(rig, "next")
    rig.qtbot.waitUntil(lambda: rig.engine.index == 1)


def test_repeat_says_the_current_step_again(rig: Rig) -> None:
    start_listening(rig, "repeat")
    rig.qtbot.waitUntil(lambda: any("left." in c.text for c in rig.speaker.played))
    assert rig.engine.is_running and rig.engine.index == 0


def test_timer_stop_asks_by_voice_and_timer_stop_again_ends_the_session(rig: Rig) -> None:
    start_listening(rig, "stop")
    flow = rig.window.flow
    rig.qtbot.waitUntil(flow.stop_overlay.isVisible)
    assert rig.engine.is_paused
    assert any(c.text == STOP_QUESTION for c in rig.speaker.played)
    rig.clock.advance(6.0)  # slower than a second Esc may be: the spoken question waits
    assert flow.voice is not None
    flow.voice.on_heard(HeardCommand("stop", rig.clock.now))
    assert rig.window.flow.controller is None or rig.window.flow.controller.is_over


def test_timer_continue_answers_the_stop_question_with_keep_going(rig: Rig) -> None:
    start_listening(rig, "stop", "continue")
    rig.qtbot.waitUntil(
        lambda: rig.engine.is_running and not rig.window.flow.stop_overlay.isVisible()
    )


def test_listening_ends_with_the_session(rig: Rig) -> None:
    start_listening(rig)
    flow = rig.window.flow
    rig.qtbot.waitUntil(lambda: rig.view.mic_badge.text().endswith("Listening"))
    assert flow.voice is not None
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_S)
    rig.qtbot.waitUntil(lambda: flow.voice is None)


def test_no_microphone_greys_out_both_switches_with_the_reason(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshot: Any
) -> None:
    monkeypatch.setattr(availability, "unavailable_reason", lambda: NO_MICROPHONE)
    rig = Rig(qtbot, tmp_path)
    switch = rig.window.start_screen.voice_switch
    qtbot.waitUntil(lambda: switch.reason.isVisible())
    assert not switch.check.isEnabled()
    assert NO_MICROPHONE in switch.reason.text()
    screenshot(rig.window, "voice_switch_no_microphone")
    dialog = VoiceSettingsDialog(
        rig.settings, FakeSpeaker(), voice_unavailable=rig.window.flow.voice_unavailable
    )
    qtbot.addWidget(dialog)
    assert not dialog.voice_commands.check.isEnabled()
    assert NO_MICROPHONE in dialog.voice_commands.reason.text()
    rig.start()
    assert rig.window.flow.voice is None  # nothing else changes: the session runs as before
    assert rig.engine.is_running


def test_the_voice_settings_dialog_switch_is_saved(qtbot: Any) -> None:
    from timer_app.settings import settings_path

    settings = Settings()
    dialog = VoiceSettingsDialog(settings, FakeSpeaker())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.voice_commands.check, Qt.MouseButton.LeftButton)
    dialog.accept()
    assert settings.voice_commands
    assert Settings.load(settings_path()).voice_commands


class SpeakingSpeaker(FakeSpeaker):
    """A fake speaker that is "saying" something until :attr:`until`."""

    until = 0.0

    def sounding_until(self) -> float:
        return self.until


def test_a_command_heard_as_a_cue_begins_is_acted_on_once_the_cue_ends(qtbot: Any) -> None:
    # Said just before the cue, decoded while it plays: the tick waits for the cue's end.
    clock = FakeClock()
    speaker = SpeakingSpeaker()
    ran: list[SessionCommand] = []

    class Controller:
        is_over = False

        def note(self, event: str, detail: dict[str, Any]) -> None:
            pass

    voice = VoiceCommands(speaker, ran.append, lambda: Controller(), clock)  # type: ignore[arg-type,return-value]
    speaker.until = clock.now + 2.0  # a cue is playing for two more seconds
    voice.on_heard(HeardCommand("pause", clock.now))
    assert ran == []  # not while the app speaks: the tick would talk over the cue
    clock.advance(2.0)
    qtbot.wait(120)
    assert ran == []  # nor in the 300 ms after
    clock.advance(ECHO_GUARD)
    qtbot.waitUntil(lambda: ran == [SessionCommand.PAUSE])
    assert any(c.tone is Tone.TICK and c.kind is CueKind.REP for c in speaker.played)


def test_the_listener_is_told_to_ignore_the_microphone_while_the_app_sounds(
    qtbot: Any, tmp_path: Path
) -> None:
    clock = FakeClock()
    speaker = SpeakingSpeaker()
    told = tmp_path / "told.jsonl"
    voice = VoiceCommands(
        speaker,
        lambda command: None,
        lambda: None,
        clock,
        program=listener("--log", str(told)),
    )
    voice.start()
    try:
        qtbot.waitUntil(lambda: voice.status == "Listening")
        speaker.until = clock.now + 2.0  # a two-second cue begins
        qtbot.waitUntil(lambda: told.exists() and told.read_text().count("\n") >= 1)
        qtbot.wait(200)  # the same cue is not told twice
        lines = [json.loads(line) for line in told.read_text().splitlines()]
        assert lines == [{"deaf": pytest.approx(2.0 + ECHO_GUARD)}]
    finally:
        voice.stop()
