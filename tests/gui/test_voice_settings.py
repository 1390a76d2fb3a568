"""The voice settings dialog, driven with the keyboard and mouse as a user would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.helpers.speaker import RecordingSpeaker
from timer_app.settings import Settings, settings_path
from timer_app.speech.speaker import NullSpeaker
from timer_app.ui.voice_settings import TEST_PHRASE, VoiceSettingsDialog


class LateVoices(RecordingSpeaker):
    """A speaker whose voice list arrives after the dialog opened."""

    def __init__(self) -> None:
        super().__init__()
        self.known: list[dict[str, str]] | None = None

    def voices(self) -> list[dict[str, str]] | None:
        return self.known


def open_dialog(qtbot: Any, settings: Settings, speaker: Any) -> VoiceSettingsDialog:
    dialog = VoiceSettingsDialog(settings, speaker)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_ok(qtbot: Any, dialog: VoiceSettingsDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_ok_saves_the_choices_and_gives_them_to_the_speaker(qtbot: Any, screenshot: Any) -> None:
    settings = Settings()
    speaker = RecordingSpeaker()
    dialog = open_dialog(qtbot, settings, speaker)
    screenshot(dialog, "voice_settings")
    assert dialog.voice.currentText() == "Default voice"
    assert dialog.rate_label.text() == "165 words a minute"
    # Keyboard only: voice down one, rate and volume with the arrow keys, toggles with Space.
    qtbot.keyClick(dialog.voice, Qt.Key.Key_Down)
    dialog.rate.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.rate, Qt.Key.Key_Right)
    dialog.volume.setFocus()
    qtbot.keyClick(dialog.volume, Qt.Key.Key_PageDown)
    dialog.muted.setFocus()
    qtbot.keyClick(dialog.muted, Qt.Key.Key_Space)
    dialog.tones.setFocus()
    qtbot.keyClick(dialog.tones, Qt.Key.Key_Space)
    assert dialog.rate_label.text() == "180 words a minute"
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()

    saved = Settings.load(settings_path())
    assert (saved.voice_id, saved.speech_rate, saved.muted, saved.tones) == (
        "test/voice",
        180,
        True,
        False,
    )
    assert saved.volume == 0.8
    assert settings.speech_rate == 180  # the caller's object is updated too
    applied = [c[1] for c in speaker.calls if c[0] == "settings"]
    assert len(applied) == 1 and applied[0].voice_id == "test/voice"
    assert speaker.is_muted()


def test_cancel_changes_nothing(qtbot: Any) -> None:
    settings = Settings()
    speaker = RecordingSpeaker()
    dialog = open_dialog(qtbot, settings, speaker)
    dialog.rate.setValue(250)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert not settings_path().exists()
    assert settings.speech_rate == 165
    assert not [c for c in speaker.calls if c[0] == "settings"]


def test_test_voice_speaks_with_the_choices_not_yet_saved(qtbot: Any) -> None:
    speaker = RecordingSpeaker()
    dialog = open_dialog(qtbot, Settings(), speaker)
    dialog.rate.setValue(120)
    qtbot.mouseClick(dialog.test, Qt.MouseButton.LeftButton)
    assert speaker.calls[-1] == ("say_now", TEST_PHRASE)
    assert not settings_path().exists()
    dialog.close()


def test_the_voice_list_fills_in_when_the_engine_answers(qtbot: Any) -> None:
    speaker = LateVoices()
    dialog = open_dialog(qtbot, Settings(voice_id="gmw/en-gb"), speaker)
    assert dialog.voice.currentText() == "Looking for voices…"
    assert not dialog.voice.isEnabled()
    speaker.known = [
        {"id": "roa/fr", "name": "French", "lang": "fr"},
        {"id": "gmw/en-gb", "name": "English (Great Britain)", "lang": "en-gb"},
    ]
    speaker.voices_changed.emit()
    assert dialog.voice.isEnabled()
    assert dialog.voice.currentText() == "English (Great Britain) (en-gb)"  # kept the choice
    assert dialog.voice.itemText(1).startswith("English")  # English voices first
    dialog.close()


def test_a_voice_that_is_gone_stays_selected_and_says_so(qtbot: Any) -> None:
    dialog = open_dialog(qtbot, Settings(voice_id="xx/gone"), RecordingSpeaker())
    assert dialog.voice.currentText() == "xx/gone (not installed)"
    dialog.close()


def test_no_sound_is_explained_at_the_top(qtbot: Any, screenshot: Any) -> None:
    speaker = NullSpeaker("No audio device: cues are shown on screen only.")
    dialog = open_dialog(qtbot, Settings(), speaker)
    assert dialog.notice.isVisible()
    assert "No audio device" in dialog.notice.text()
    screenshot(dialog, "voice_settings_no_device")
    speaker.notice_changed.emit("")  # the device came back
    assert not dialog.notice.isVisible()
    dialog.close()


def test_a_failed_save_keeps_the_dialog_open_with_a_clear_message(
    qtbot: Any, isolated_dirs: Path
) -> None:
    blocker = settings_path()
    blocker.parent.parent.mkdir(parents=True, exist_ok=True)
    blocker.parent.write_text("a file where the config folder should be")
    dialog = open_dialog(qtbot, Settings(), RecordingSpeaker())
    dialog.rate.setValue(200)
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "Could not save the settings" in dialog.error.text()
    assert dialog.rate.value() == 200  # nothing lost
    dialog.close()


def test_edit_returns_whether_the_user_saved(qtbot: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(VoiceSettingsDialog, "exec", lambda self: (self.accept(), 1)[1])
    settings = Settings()
    assert VoiceSettingsDialog.edit(settings, RecordingSpeaker()) is True
    assert settings_path().exists()
    monkeypatch.setattr(VoiceSettingsDialog, "exec", lambda self: 0)
    assert VoiceSettingsDialog.edit(settings, RecordingSpeaker()) is False
