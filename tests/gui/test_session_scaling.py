"""The session screen scales to its window, from an 800x480 tablet to a 4K television and
portrait screens: the countdown is the largest thing and at least a quarter of the window's
height (of its width in a portrait window, which "0:14" fills first), a small window
gets one compact row of buttons, and no text is ever cut (checked against font metrics)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from tests.gui.layout_checks import clipped_texts, overlapping_siblings
from tests.gui.test_session_window import Rig
from timer_app.core.routine import PhaseKind
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog

SIZES = [
    (800, 480),
    (1024, 600),
    (1024, 768),
    (1280, 720),
    (1280, 800),
    (1366, 768),
    (1920, 1080),
    (2560, 1440),
    (3840, 2160),
    # Portrait: tablets and turned monitors.
    (768, 1024),
    (800, 1280),
    (1080, 1920),
]

LONG_INSTRUCTION = (
    "Let your knee fall inward and rest your foot on the blocks; keep the pelvis square, "
    "breathe out slowly and let the hip sink a little further with every breath."
)


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    """The session window tests' rig: a main window with fakes on a fake clock."""
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def _to_pail(rig: Rig) -> None:
    rig.start()
    while rig.engine.step.kind is not PhaseKind.PAIL:
        rig.window.flow.controller.next_step()  # type: ignore[union-attr]
    rig.advance(4)


def _resize(rig: Rig, width: int, height: int) -> None:
    rig.window.resize(width, height)
    rig.qtbot.waitUntil(lambda: rig.window.size().toTuple() == (width, height))
    # Layouts settle over a few event-loop turns after a resize.
    rig.qtbot.waitUntil(lambda: rig.view.countdown.height() > 0 and not rig.view.layout().isEmpty())
    rig.qtbot.wait(20)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_countdown_is_a_quarter_of_the_height_and_nothing_is_cut(
    rig: Rig, size: tuple[int, int]
) -> None:
    width, height = size
    _to_pail(rig)
    rig.view.show_notice("Could not save progress: the disk is full. The session goes on.")
    _resize(rig, width, height)
    view = rig.view
    digits = view.countdown.digit_pixel_height()
    shorter = min(width, height)
    assert digits >= 0.25 * shorter, f"digits {digits:.0f} px in a {width}x{height} window"
    # The largest thing: no other text comes near the digits.
    for label in view.findChildren(QLabel):
        if label.isVisible():
            assert label.fontMetrics().capHeight() < digits / 3, label.text()
    assert clipped_texts(view) == []
    assert overlapping_siblings(view) == []
    assert view.is_compact() == (height <= 720 + 24)  # a 720 px window, less its menu bar
    # Every control stays on the screen as a button: one row, or two in a narrow window.
    rows = {button.y() for button in view.buttons.values()}
    assert len(rows) == (2 if width < 1100 and not view.is_compact() else 1)
    for button in view.buttons.values():
        assert button.isVisible()
        assert view.rect().contains(button.geometry())


def test_small_window_short_buttons_and_one_line_banners(rig: Rig) -> None:
    _to_pail(rig)
    _resize(rig, 800, 480)
    view = rig.view
    assert view.buttons["fullscreen"].text() == "Full"
    assert view.buttons["pause"].text() == "Pause"
    view.trigger("pause")
    assert view.buttons["pause"].text() == "Resume"
    view.show_notice("Could not save progress: the disk is full. The session goes on regardless.")
    rig.qtbot.wait(10)
    line = view.notice_label.fontMetrics().lineSpacing()
    assert view.notice_label.max_lines() == 1
    assert view.notice_label.contentsRect().height() < 2 * line  # one line, not two
    assert clipped_texts(view) == []
    _resize(rig, 1280, 800)
    assert view.buttons["pause"].text() == "Resume\nSpace"
    assert view.notice_label.max_lines() == 2


def test_a_long_instruction_shrinks_to_fit_instead_of_being_cut(rig: Rig) -> None:
    _to_pail(rig)
    _resize(rig, 800, 480)
    view = rig.view
    before = view.instruction_label.font().pixelSize()
    view.instruction_label.setText(f"{LONG_INSTRUCTION} {LONG_INSTRUCTION}")
    rig.qtbot.wait(10)
    assert view.instruction_label.font().pixelSize() < before
    assert clipped_texts(view) == []
    assert view.countdown.digit_pixel_height() >= 0.25 * 480


@pytest.mark.parametrize("size", [(800, 480), (1024, 600)], ids=["800x480", "1024x600"])
def test_every_phase_paused_and_muted_fits_a_small_window(rig: Rig, size: tuple[int, int]) -> None:
    rig.settings.lead_in_seconds = 10  # "Total … after get ready" is the longest top line
    _resize(rig, *size)
    rig.start()
    rig.window.toggle_mute()  # the MUTED badge joins the top line
    rig.view.set_sound_notice("No audio device: cues are shown on screen only.")
    rig.view.show_notice("Could not save progress: the disk is full. The session goes on.")
    seen = set()
    while rig.window.flow.controller is not None and len(seen) < 8:
        kind = rig.engine.step.kind
        seen.add(kind)
        rig.advance(1)
        rig.qtbot.wait(5)
        assert clipped_texts(rig.view) == [], kind
        assert overlapping_siblings(rig.view) == [], kind
        assert rig.view.countdown.digit_pixel_height() >= 0.25 * size[1]
        rig.view.trigger("pause")
        rig.qtbot.wait(5)
        assert clipped_texts(rig.view) == [], f"{kind} paused"
        rig.view.trigger("pause")
        rig.window.flow.controller.next_step()
    assert len(seen) >= 5


def test_a_portrait_window_gets_larger_labels_than_its_width_alone_gives(rig: Rig) -> None:
    """A tall window has height to spare: its buttons and labels are a size up from a
    square one of the same width, while the countdown still fills the width."""
    _to_pail(rig)
    _resize(rig, 800, 800)
    square = rig.view.buttons["pause"].font().pixelSize()
    square_phase = rig.view.phase_label.font().pixelSize()
    _resize(rig, 800, 1280)
    assert rig.view.buttons["pause"].font().pixelSize() > square
    assert rig.view.phase_label.font().pixelSize() > square_phase
    assert rig.view.countdown.text_pixel_width() >= 0.85 * 800
    assert clipped_texts(rig.view) == []
