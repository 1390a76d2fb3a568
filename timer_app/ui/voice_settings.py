"""The voice settings dialog: voice, speaking rate, volume, mute, tones, and "Test voice".

Open it with ``VoiceSettingsDialog.edit(settings, speaker, parent)``; it returns True when the
user pressed OK, after the settings were saved and given to the speaker. The voice list comes
from the speech engine in the background, so the dialog opens at once and fills the list when
it arrives. Big type and plain words: the user may be sitting on the floor, a metre away.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from timer_app.settings import Settings, settings_path
from timer_app.speech.speaker import Speaker
from timer_app.ui.plain_text import plain_label
from timer_app.ui.screen_fit import fit_to_screen
from timer_app.ui.voice_switch import VoiceCommandsSwitch

log = logging.getLogger(__name__)

TEST_PHRASE = "Left side. Passive hold, two minutes. Relax into the stretch."
MIN_RATE, MAX_RATE = 80, 300  # words a minute; espeak is unintelligible beyond
FONT_POINTS = 15
#: Large, high-contrast handles and boxes: easy to see and hit from arm's length.
STYLE = f"""
* {{ font-size: {FONT_POINTS}pt; }}
QSlider {{ min-height: 34px; }}
QSlider::groove:horizontal {{ height: 8px; background: #c4c4c4; border-radius: 4px; }}
QSlider::sub-page:horizontal {{ background: #1f5fa8; border-radius: 4px; }}
QSlider::handle:horizontal {{
    width: 28px; margin: -10px 0; border-radius: 14px;
    background: #0d3c73; border: 2px solid #ffffff;
}}
QSlider::handle:horizontal:focus {{ border: 3px solid #f0a000; }}
QCheckBox {{ spacing: 12px; }}
QCheckBox::indicator {{ width: 26px; height: 26px; }}
"""


class VoiceSettingsDialog(QDialog):
    """Edits the voice part of :class:`Settings`; OK saves and applies."""

    def __init__(
        self,
        settings: Settings,
        speaker: Speaker,
        parent: QWidget | None = None,
        voice_unavailable: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Voice and sounds")
        self.settings = settings
        self.speaker = speaker
        font = self.font()
        font.setPointSize(FONT_POINTS)
        self.setFont(font)
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(660)

        self.notice = plain_label()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background: #fff4cc; color: #3d2c00; border: 1px solid #b38f00;"
            " border-radius: 6px; padding: 8px;"
        )

        self.voice = QComboBox()
        self.voice.setMinimumContentsLength(24)
        self.voice.setAccessibleName("Voice")

        self.rate = QSlider(Qt.Orientation.Horizontal)
        self.rate.setRange(MIN_RATE, MAX_RATE)
        self.rate.setSingleStep(5)
        self.rate.setPageStep(20)
        self.rate.setValue(max(MIN_RATE, min(MAX_RATE, int(settings.speech_rate))))
        self.rate.setAccessibleName("Speaking rate")
        self.rate_label = plain_label()
        self.rate_label.setMinimumWidth(200)
        self.rate.valueChanged.connect(self._show_rate)
        self._show_rate(self.rate.value())

        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setPageStep(10)
        self.volume.setValue(round(max(0.0, min(1.0, settings.volume)) * 100))
        self.volume.setAccessibleName("Volume")
        self.volume_label = plain_label()
        self.volume_label.setMinimumWidth(200)
        self.volume.valueChanged.connect(lambda v: self.volume_label.setText(f"{v} %"))
        self.volume_label.setText(f"{self.volume.value()} %")

        # The lasting choice; M during a session mutes that session only.
        self.muted = QCheckBox("Voice &off in every session (tones still play)")
        self.muted.setChecked(settings.muted)
        self.tones = QCheckBox("Play &tones: 3-2-1 ticks, end of a contraction, the finish")
        self.tones.setChecked(settings.tones)
        self.voice_commands = VoiceCommandsSwitch()
        self.voice_commands.set_on(settings.voice_commands)
        self.voice_commands.set_unavailable(voice_unavailable)

        self.test = QPushButton("Test &voice")
        self.test.setAutoDefault(False)
        self.test.clicked.connect(self._test_voice)

        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00000; font-weight: bold;")
        self.error.hide()

        form = QFormLayout()
        form.setVerticalSpacing(14)
        voice_label = plain_label("V&oice:")
        voice_label.setBuddy(self.voice)
        form.addRow(voice_label, self.voice)
        rate_label = plain_label("&Rate:")
        rate_label.setBuddy(self.rate)
        form.addRow(rate_label, _row(self.rate, self.rate_label))
        volume_label = plain_label("Vo&lume:")
        volume_label.setBuddy(self.volume)
        form.addRow(volume_label, _row(self.volume, self.volume_label))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for button in (*buttons.buttons(), self.test):
            button.setMinimumHeight(44)
            button.setMinimumWidth(140)

        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.muted)
        layout.addWidget(self.tones)
        layout.addWidget(self.voice_commands)
        layout.addWidget(self.test, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        speaker.notice_changed.connect(self._show_notice)
        speaker.voices_changed.connect(self._fill_voices)
        self._show_notice(speaker.notice())
        self._fill_voices()
        self.voice.setFocus()
        fit_to_screen(self, self.sizeHint(), settings.window_sizes, "voice")

    # ------------------------------------------------------------------ API
    @classmethod
    def edit(
        cls,
        settings: Settings,
        speaker: Speaker,
        parent: QWidget | None = None,
        voice_unavailable: str = "",
    ) -> bool:
        """Show the dialog modally; True if the user saved (``settings`` is then updated).
        ``voice_unavailable``: why voice commands cannot work here (the switch is greyed)."""
        dialog = cls(settings, speaker, parent, voice_unavailable)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def chosen(self) -> Settings:
        """The settings as the form shows them (a copy; nothing saved)."""
        voice = self.voice.currentData()
        return replace(
            self.settings,
            voice_id=str(voice) if voice is not None else self.settings.voice_id,
            speech_rate=self.rate.value(),
            volume=self.volume.value() / 100,
            muted=self.muted.isChecked(),
            tones=self.tones.isChecked(),
            voice_commands=self.voice_commands.is_on(),
        )

    def accept(self) -> None:
        chosen = self.chosen()
        path = settings_path()
        try:
            chosen.save(path)
        except OSError as exc:
            # Keep the dialog open with the user's choices: nothing is lost, they can retry.
            self.error.setText(f"Could not save the settings to {path}: {exc.strerror or exc}")
            self.error.show()
            return
        for name in ("voice_id", "speech_rate", "volume", "muted", "tones", "voice_commands"):
            setattr(self.settings, name, getattr(chosen, name))
        self.speaker.apply_settings(self.settings)
        super().accept()

    # ------------------------------------------------------------- internals
    def _show_rate(self, value: int) -> None:
        self.rate_label.setText(f"{value} words a minute")

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _fill_voices(self) -> None:
        voices = self.speaker.voices()
        wanted = self.voice.currentData() if self.voice.count() else self.settings.voice_id
        self.voice.clear()
        if voices is None:
            self.voice.addItem("Looking for voices…", self.settings.voice_id)
            self.voice.setEnabled(False)
            return
        self.voice.setEnabled(True)
        self.voice.addItem("Default voice", "")
        # English voices first: the cues are written in English.
        ordered = sorted(
            voices, key=lambda v: (not v.get("lang", "").startswith("en"), v.get("name", ""))
        )
        for v in ordered:
            label = v.get("name") or v.get("id", "")
            if v.get("lang"):
                label += f" ({v['lang']})"
            self.voice.addItem(label, v.get("id", ""))
        index = self.voice.findData(wanted)
        if index < 0 and wanted:
            self.voice.addItem(f"{wanted} (not installed)", wanted)
            index = self.voice.count() - 1
        self.voice.setCurrentIndex(max(index, 0))

    def _test_voice(self) -> None:
        chosen = self.chosen()
        if not self.speaker.has_sound():
            # Pressing Test and hearing nothing, with nothing on screen, looks like a hang.
            self._show_notice(
                self.speaker.notice()
                or "No sound device: nothing can be heard on this computer. "
                "Sessions show every cue on screen instead."
            )
            return
        if chosen.muted:
            self._show_notice("“Voice off” is ticked: untick it to hear the test.")
            return
        self.speaker.say_now(TEST_PHRASE, chosen)
        self._show_notice(f"Speaking: “{TEST_PHRASE}”")


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget, 1 if isinstance(widget, QSlider) else 0)
    return box
