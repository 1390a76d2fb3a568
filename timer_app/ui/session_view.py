"""The session screen: what a person on the floor sees from two metres away.

Huge countdown, phase name, side banner, instruction, step progress, round, next step, total
time left, the PAIL effort bar, and one-key controls (each also a button showing its key). The
background takes the colour of the phase kind. The view renders the
:class:`~timer_app.core.snapshot.SessionSnapshot` the controller pushes, and its events (a cue
to flash, a notice); it never reads the engine and never computes time.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from timer_app.core.cues import display_duration
from timer_app.core.engine import CueDue
from timer_app.core.routine import PhaseKind
from timer_app.core.snapshot import SessionSnapshot
from timer_app.core.timeline import Step
from timer_app.ui.cue_caption import CaptionPlacer, CueCaption
from timer_app.ui.display_widgets import CountdownDisplay, EffortBar, ProgressStrip, SideBanner
from timer_app.ui.fit_label import FitLabel
from timer_app.ui.held_keys import HeldKeyFilter
from timer_app.ui.plain_text import plain_label
from timer_app.ui.session_badges import MicrophoneBadge, MutedBadge
from timer_app.ui.session_controller import ADJUST_STEP_SECONDS, SessionController
from timer_app.ui.session_layout import session_sizes
from timer_app.ui.theme import PAUSED_COLOURS, PHASE_COLOURS, PhaseColours


@dataclass(frozen=True)
class Control:
    """A one-key control: its label, the keys that trigger it, and the button's key hint."""

    name: str
    label: str
    keys: tuple[str, ...]
    hint: str
    short: str = ""  # the label in the one-row strip of a small window, if shorter


#: Every control of the session screen, in button order. Also the F1 help's content.
CONTROLS: tuple[Control, ...] = (
    Control("pause", "Pause", ("Space",), "Space"),
    Control("previous", "Back", ("Left",), "←"),
    Control("next", "Next", ("Right",), "→"),
    Control("add", f"+{ADJUST_STEP_SECONDS} s", ("Up",), "↑"),
    Control("remove", f"−{ADJUST_STEP_SECONDS} s", ("Down",), "↓"),
    Control("pain", "Pain: stop", ("P",), "P", "Pain"),
    Control("mute", "Mute", ("M",), "M"),
    Control("fullscreen", "Full screen", ("F", "F11"), "F", "Full"),
    Control("stop", "Stop", ("Escape",), "Esc"),
    Control("help", "Keys", ("F1", "?"), "F1"),
)

#: Keys the main window binds itself (they work on every screen); the view must not bind them
#: too, or Qt sees an ambiguous shortcut and neither fires.
WINDOW_KEYS = frozenset({"F11", "F1"})

HELP_TEXT = {
    "pause": "Pause or resume",
    "previous": "Restart this step (press again quickly: previous step)",
    "next": "Skip to the next step",
    "add": f"Add {ADJUST_STEP_SECONDS} seconds to this step",
    "remove": f"Take {ADJUST_STEP_SECONDS} seconds off this step",
    "pain": "It hurts: end this contraction now (logged)",
    "mute": "Mute or unmute the voice for this session (tones stay)",
    "fullscreen": "Full screen on or off",
    "stop": "Stop the session (asks first)",
    "help": "Show these keys",
}


def _phase_title(step: Step) -> str:
    """The phase line: "PASSIVE HOLD"; CARs keep their case ("Hip CARs, clockwise")."""
    return step.title if step.kind is PhaseKind.CARS else step.title.upper()


class SessionView(QWidget):
    """Shows one running session and turns single keys into controller commands."""

    stop_requested = Signal()
    fullscreen_requested = Signal()
    mute_requested = Signal()
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller: SessionController | None = None
        self._shown: SessionSnapshot | None = None
        self._muted = False
        self._notice_step: int | None = None  # the step a step notice belongs to
        self._flash_on = False
        self._colours = PHASE_COLOURS[PhaseKind.PASSIVE]
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(350)
        self._flash_timer.timeout.connect(self._end_flash)
        self._install_shortcuts()
        # Holding Space (or a remote's pause button) pauses once; holding ↑/↓ keeps adding
        # or taking off time.
        self.installEventFilter(HeldKeyFilter((Qt.Key.Key_Up, Qt.Key.Key_Down), self))

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        self.side_banner = SideBanner()
        self.round_label = plain_label()
        self.total_label = plain_label()
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.side_banner)
        top.addSpacing(16)
        top.addWidget(self.round_label, 1)
        self.muted_badge = MutedBadge()
        top.addWidget(self.muted_badge)
        self.mic_badge = MicrophoneBadge()
        top.addWidget(self.mic_badge)
        top.addSpacing(16)
        top.addWidget(self.total_label)

        self.phase_label = plain_label()
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = CountdownDisplay()
        self.progress = ProgressStrip()
        self.effort = EffortBar()
        # The text lines fit their width by shrinking (FitLabel): never clipped or elided.
        self.instruction_label = FitLabel()
        self.next_label = FitLabel()
        self.notice_label = FitLabel()
        self.notice_label.hide()
        # Stays until the history takes this session again: a save problem must not be
        # covered by a passing notice (pause, pain stop) and go unseen.
        self.save_label = FitLabel()
        self.save_label.setObjectName("save_problem")
        self.save_label.hide()
        self.sound_label = FitLabel()
        self.sound_label.hide()

        self.buttons: dict[str, QPushButton] = {}
        self._button_labels = {control.name: control.label for control in CONTROLS}
        self.button_strip = QWidget()
        self._button_grid = QGridLayout(self.button_strip)
        self._button_grid.setContentsMargins(0, 0, 0, 0)
        for control in CONTROLS:
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys always reach the view
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            button.setToolTip(f"{HELP_TEXT[control.name]} ({' or '.join(control.keys)})")
            button.clicked.connect(lambda _=False, n=control.name: self.trigger(n))
            self.buttons[control.name] = button
        # Shown instead of the buttons in full screen: the keys still work.
        self.keys_hint = plain_label("F1: keys · Esc: leave full screen")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keys_hint.hide()
        self._full_screen = False
        self._sizes = session_sizes(self.width(), self.height())
        self._place_buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.countdown, 1)  # everything else has its size: the digits grow
        layout.addWidget(self.progress)
        layout.addWidget(self.effort)
        layout.addWidget(self.instruction_label)
        layout.addWidget(self.next_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.save_label)
        layout.addWidget(self.sound_label)
        layout.addWidget(self.button_strip)
        layout.addWidget(self.keys_hint)
        self._layout = layout
        self.caption = CueCaption(self)
        self._caption_placer = CaptionPlacer(
            self.caption,
            self.countdown,
            [self.progress, self.effort, self.instruction_label, self.next_label],
        )

    def _install_shortcuts(self) -> None:
        for control in CONTROLS:
            for key in control.keys:
                if key in WINDOW_KEYS:
                    continue
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda n=control.name: self.trigger(n))

    # --------------------------------------------------------------- commands
    def trigger(self, name: str) -> None:
        """Run a control by name (keys and buttons both come here)."""
        controller = self.controller
        window_level = {
            "stop": self.stop_requested,
            "fullscreen": self.fullscreen_requested,
            "mute": self.mute_requested,
            "help": self.help_requested,
        }
        if name in window_level:
            window_level[name].emit()
            return
        if controller is None or controller.is_over:
            return
        actions = {
            "pause": controller.toggle_pause,
            "previous": controller.previous_step,
            "next": controller.next_step,
            "add": controller.add_time,
            "remove": controller.remove_time,
            "pain": controller.cut_short,
        }
        actions[name]()

    # ------------------------------------------------------------ controller
    def attach(self, controller: SessionController) -> None:
        """Show this controller's session (replacing any previous one)."""
        if self.controller is not None:
            self._detach(self.controller)
        self.controller = controller
        self._shown = None
        controller.snapshot_changed.connect(self.show_snapshot)
        controller.unheard_cue.connect(self._flash)
        controller.cue_due.connect(self._show_cue)
        controller.notice.connect(self.show_notice)
        controller.step_notice.connect(self.show_step_notice)
        self.show_notice("")
        self.show_snapshot(controller.snapshot())

    def _detach(self, controller: SessionController) -> None:
        for signal, slot in (
            (controller.snapshot_changed, self.show_snapshot),
            (controller.unheard_cue, self._flash),
            (controller.cue_due, self._show_cue),
            (controller.notice, self.show_notice),
            (controller.step_notice, self.show_step_notice),
        ):
            # A controller already deleted has lost its connections with it.
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._button_labels["mute"] = "Unmute" if muted else "Mute"
        self._refresh_button_texts()
        self.muted_badge.setVisible(muted)

    def set_sound_notice(self, text: str) -> None:
        """Why there is no sound (no engine, no device), shown until it changes."""
        self._sound_notice = text
        self._update_sound_label()

    def _update_sound_label(self) -> None:
        text = getattr(self, "_sound_notice", "")
        self.sound_label.setText(text)
        self.sound_label.setVisible(bool(text))

    def set_save_problem(self, text: str) -> None:
        """Why this session is not being saved to the history ("" once it is again)."""
        self.save_label.setText(f"⚠ {text}" if text else "")
        self.save_label.setVisible(bool(text))

    def show_notice(self, text: str) -> None:
        self._notice_step = None
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    def show_step_notice(self, text: str) -> None:
        """A notice about what just happened in this step (the pain stop): it goes when the
        next step starts, instead of lingering over steps it has nothing to do with."""
        self.show_notice(text)
        if self._shown is not None:
            self._notice_step = self._shown.step_index

    def show_snapshot(self, snapshot: SessionSnapshot) -> None:
        """Show ``snapshot``: the step's texts when the step or state changed, the clock always."""
        shown = self._shown
        self._shown = snapshot
        if shown is None or shown.step_index != snapshot.step_index or shown.step != snapshot.step:
            self._show_step(snapshot)
        if shown is None or shown.state is not snapshot.state:
            self._button_labels["pause"] = "Resume" if snapshot.is_paused else "Pause"
            self._refresh_button_texts()
            self._apply_colours()
        self._show_time(snapshot)

    def _show_step(self, snapshot: SessionSnapshot) -> None:
        step = snapshot.step
        if self._notice_step is not None and self._notice_step != snapshot.step_index:
            self.show_notice("")
        self._colours = PHASE_COLOURS[step.kind]
        self.caption.hide()  # a caption belongs to the step it was said in
        self.phase_label.setText(_phase_title(step))
        self.side_banner.set_side(step.side)
        if step.rounds > 1:
            self.round_label.setText(f"Round {step.round} of {step.rounds}")
        else:
            self.round_label.setText("")
        self.instruction_label.setText(step.instruction)
        following = snapshot.next_step
        self.next_label.setText(
            f"Next: {following.describe_short()}" if following is not None else "Next: finished"
        )
        self.effort.setVisible(snapshot.effort is not None)
        self._apply_colours()

    def _show_cue(self, event: CueDue) -> None:
        # Every in-step cue is also read on the screen: muted, deaf or in a noisy room.
        self.caption.show_cue(event.cue)

    def _flash(self, _event: CueDue) -> None:
        # A cue the user will not hear (muted, no sound) flashes the screen at its moment.
        self._flash_on = True
        self._apply_colours()
        self._flash_timer.start()

    def _end_flash(self) -> None:
        self._flash_on = False
        self._apply_colours()

    def _show_time(self, snapshot: SessionSnapshot) -> None:
        """Everything that depends on the clock, as the snapshot has it (rounded there)."""
        self.countdown.set_text(display_duration(snapshot.time_left))
        self.progress.set_fraction(snapshot.step_progress)
        if snapshot.then_total is not None:
            # During "Get ready" the total is the routine's, as the start screen showed it;
            # the lead-in is named rather than counted.
            routine_total = display_duration(snapshot.then_total)
            self.total_label.setText(f"Total {routine_total} after get ready")
        else:
            self.total_label.setText(f"Total left {display_duration(snapshot.total_left)}")
        if snapshot.effort is not None:
            self.effort.set_percent(snapshot.effort)
        if snapshot.is_paused:
            self.phase_label.setText("PAUSED: press Space to continue")
        elif self.phase_label.text().startswith("PAUSED"):
            self.phase_label.setText(_phase_title(snapshot.step))

    # ------------------------------------------------------------- look & size
    def _current_colours(self) -> PhaseColours:
        if self._shown is not None and self._shown.is_paused:
            return PAUSED_COLOURS
        return self._colours

    def _apply_colours(self) -> None:
        colours = self._current_colours()
        background = QColor(colours.background)
        if self._flash_on:
            background = background.lighter(190)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, background)
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colours.text))
        self.setPalette(palette)
        self.countdown.set_colour(colours.text)
        self.progress.set_colour(colours.accent)
        self.effort.set_colour(colours.accent)
        for label in (self.round_label, self.total_label, self.next_label, self.keys_hint):
            label.setStyleSheet(f"color: {colours.accent};")
        self.phase_label.setStyleSheet(f"color: {colours.text};")
        self.instruction_label.setStyleSheet(f"color: {colours.text};")
        self.notice_label.setStyleSheet(
            "color: #1a1a1a; background: #ffd54f; border-radius: 6px; padding: 4px;"
        )
        self.sound_label.setStyleSheet(
            "color: #ffffff; background: rgba(0,0,0,90); border-radius: 6px; padding: 4px;"
        )
        self.save_label.setStyleSheet(
            "color: #ffffff; background: #b00020; border-radius: 6px; padding: 4px;"
        )
        button_style = (
            f"QPushButton {{ color: {colours.text}; background: rgba(255,255,255,30);"
            f" border: 2px solid {colours.accent}; border-radius: 8px; padding: 4px; }}"
            f"QPushButton:pressed {{ background: rgba(255,255,255,80); }}"
        )
        for button in self.buttons.values():
            button.setStyleSheet(button_style)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_sizes()

    def set_full_screen(self, full_screen: bool) -> None:
        """Full screen shows only the session: the button strip gives way to a keys hint."""
        self._full_screen = full_screen
        self._apply_sizes()

    def is_compact(self) -> bool:
        """True in a small window (under ~600 px high): one row of short buttons."""
        return self._sizes.compact

    def _place_buttons(self) -> None:
        """Ten buttons in one row, or two rows of five in a narrow window."""
        columns = len(CONTROLS) if self._sizes.button_rows == 1 else (len(CONTROLS) + 1) // 2
        for i, control in enumerate(CONTROLS):
            button = self.buttons[control.name]
            self._button_grid.removeWidget(button)
            self._button_grid.addWidget(button, i // columns, i % columns)
        self._refresh_button_texts()

    def _refresh_button_texts(self) -> None:
        short = self._sizes.short_buttons
        for control in CONTROLS:
            label = self._button_labels[control.name]
            if short:
                # The short name only where the label is the control's own ("Full screen"
                # becomes "Full"); "Resume" and "Unmute" stay what they are.
                text = control.short if control.short and label == control.label else label
            else:
                text = f"{label}\n{control.hint}"
            self.buttons[control.name].setText(text)
        largest = QFont(self.font())
        largest.setPixelSize(self._sizes.button_px)
        largest.setBold(True)
        self._fit_button_font(largest)

    def _fit_button_font(self, largest: QFont) -> None:
        """The largest font, up to ``largest``, at which every button's label fits."""
        columns = len(CONTROLS) if self._sizes.button_rows == 1 else (len(CONTROLS) + 1) // 2
        sizes = self._sizes
        room = (self.width() - 2 * sizes.margin - (columns - 1) * sizes.spacing) / columns
        room -= 16  # the button's padding and border
        texts = [line for b in self.buttons.values() for line in b.text().split("\n")]
        font = QFont(largest)
        while font.pixelSize() > 9:
            metrics = QFontMetricsF(font)
            if max(metrics.horizontalAdvance(t) for t in texts) <= room:
                break
            font.setPixelSize(font.pixelSize() - 1)
        for button in self.buttons.values():
            button.setFont(font)

    def _apply_sizes(self) -> None:
        old = self._sizes
        sizes = session_sizes(self.width(), self.height(), buttons=not self._full_screen)
        self._sizes = sizes
        if (sizes.button_rows, sizes.short_buttons) != (old.button_rows, old.short_buttons):
            self._place_buttons()

        def font(pixels: int, bold: bool = False) -> QFont:
            f = QFont(self.font())
            f.setPixelSize(pixels)
            f.setBold(bold)
            return f

        self._layout.setContentsMargins(sizes.margin, sizes.margin, sizes.margin, sizes.margin)
        self._layout.setSpacing(sizes.spacing)
        self._button_grid.setSpacing(sizes.spacing)
        self.phase_label.setFont(font(sizes.phase_px, bold=True))
        self.side_banner.setFixedHeight(sizes.banner_height)
        self.round_label.setFont(font(sizes.status_px, bold=True))
        self.total_label.setFont(font(sizes.status_px, bold=True))
        self.instruction_label.set_fit(sizes.instruction_px, sizes.instruction_lines)
        self.next_label.set_fit(sizes.next_px, 1, bold=True)
        self.notice_label.set_fit(sizes.notice_px, sizes.notice_lines, bold=True)
        self.save_label.set_fit(sizes.notice_px, sizes.notice_lines, bold=True)
        self.sound_label.set_fit(sizes.notice_px, sizes.notice_lines)
        self.muted_badge.scale_to(sizes.status_px / 2.0)  # as big as the round and total
        self.mic_badge.scale_to(sizes.status_px / 2.0)
        self.effort.setFixedHeight(sizes.effort_height)
        self.progress.setFixedHeight(sizes.progress_height)
        self._refresh_button_texts()
        self.button_strip.setVisible(sizes.button_rows > 0)
        self.keys_hint.setVisible(sizes.button_rows == 0)
        self.keys_hint.setFont(font(sizes.notice_px))
        self.side_banner.updateGeometry()
