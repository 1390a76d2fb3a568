"""Cues spoken inside a step also appear large on the screen for a moment: halfway, the PAIL
ramp's prompts and the 3-2-1 countdown, for a muted or deaf user."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.layout_checks import clipped_texts
from tests.gui.test_session_window import Rig
from timer_app.core.cues import Anchor, Cue, CueKind
from timer_app.core.routine import PhaseKind
from timer_app.ui import cue_caption
from timer_app.ui.cue_caption import caption_text
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.results_dialog import ResultsDialog


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rig:  # type: ignore[no-untyped-def]
    """The session window tests' rig: a main window with fakes on a fake clock."""
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


def _to(rig: Rig, kind: PhaseKind) -> None:
    while rig.engine.step.kind is not kind:
        rig.window.flow.controller.next_step()  # type: ignore[union-attr]


def _caption_is_readable(rig: Rig) -> None:
    view = rig.view
    caption = view.caption
    assert caption.isVisible()
    # Large: well above the instruction's size, yet below the digits; never over them.
    assert caption.font().pixelSize() > view.instruction_label.font().pixelSize()
    assert caption.fontMetrics().capHeight() < view.countdown.digit_pixel_height() / 2
    assert not caption.geometry().intersects(view.countdown.geometry())
    assert view.rect().contains(caption.geometry())
    assert clipped_texts(view) == []


@pytest.mark.parametrize("size", [(800, 480), (1280, 800)], ids=["800x480", "1280x800"])
def test_halfway_and_countdown_show_on_screen(
    rig: Rig,
    size: tuple[int, int],
    screenshot,  # type: ignore[no-untyped-def]
) -> None:
    rig.window.resize(*size)
    rig.qtbot.waitUntil(lambda: rig.window.size().toTuple() == size)
    rig.start()
    _to(rig, PhaseKind.PASSIVE)  # 30 s: halfway at 15 s, then 3, 2, 1
    assert not rig.view.caption.isVisible()
    rig.advance(15.1)
    assert rig.view.caption.text() == "Halfway. Fifteen seconds left"
    _caption_is_readable(rig)
    screenshot(rig.window, f"caption-halfway-{size[0]}x{size[1]}")
    rig.advance(12)
    assert rig.view.caption.text() == "3"
    _caption_is_readable(rig)
    rig.advance(1)
    assert rig.view.caption.text() == "2"


def test_pail_ramp_prompts_show_and_go(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cue_caption, "SHOW_MS", 1)  # so the test need not wait 2 s
    rig.start()
    _to(rig, PhaseKind.PAIL)  # ramp 10 -> 100 % over 10 s
    rig.advance(5.1)
    assert rig.view.caption.text() == "Build to half effort"
    assert rig.view.caption.isVisible()
    rig.qtbot.waitUntil(lambda: not rig.view.caption.isVisible())
    rig.advance(5)
    assert rig.view.caption.text() == "Now maximum. Hold it"


def test_a_new_step_clears_the_caption(rig: Rig) -> None:
    rig.start()
    _to(rig, PhaseKind.PASSIVE)
    rig.advance(15.1)
    assert rig.view.caption.isVisible()
    rig.window.flow.controller.next_step()  # type: ignore[union-attr]
    assert not rig.view.caption.isVisible()


def test_only_in_step_cues_have_captions() -> None:
    assert caption_text(Cue(CueKind.COUNTDOWN, "Three.", 3, Anchor.END)) == "3"
    assert caption_text(Cue(CueKind.RAMP, "Now maximum. Hold it.", 10)) == "Now maximum. Hold it"
    assert caption_text(Cue(CueKind.ANNOUNCE, "Passive hold, two minutes.", 0)) == ""
    assert caption_text(Cue(CueKind.END, "", 0, Anchor.END)) == ""
