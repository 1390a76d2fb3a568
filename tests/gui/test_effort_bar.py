"""The PAIL effort bar's text is legible at every percentage: dark on the fill, in the fill's
colour on the empty part, split at the fill's edge (in the first seconds of the ramp the edge
runs through the words, which were drawn in the fill's colour on the fill, unreadable)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from timer_app.ui.display_widgets import EffortBar

FILL = QColor("#ffb3ad")  # the PAIL's accent
BACKGROUND = QColor("#8b1010")  # the PAIL's screen


def _render(bar: EffortBar) -> QImage:
    image = QImage(bar.size(), QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    bar.render(image)
    return image


def _columns(image: QImage, xs: range, test: Callable[[QColor], bool]) -> int:
    """How many pixels in columns ``xs`` (middle half of the height) pass ``test``."""
    rows = range(image.height() // 4, 3 * image.height() // 4)
    return sum(1 for x in xs for y in rows if test(image.pixelColor(x, y)))


@pytest.mark.parametrize("percent", [8, 12, 20, 46, 100])
def test_the_words_are_readable_wherever_the_fill_ends(
    qtbot: QtBot, percent: int, screenshot: Callable[[QWidget, str], Path]
) -> None:
    bar = EffortBar()
    qtbot.addWidget(bar)
    bar.resize(600, 48)
    bar.set_colour(FILL.name())
    bar.set_percent(percent)
    image = _render(bar)
    fill_end = 7 + round((600 - 14) * percent / 100)  # the inner bar's right edge
    text = range(16, 200)  # "Effort NN%" starts 14 px in
    on_fill = range(text.start, min(fill_end - 2, text.stop))
    past_fill = range(max(fill_end + 2, text.start), text.stop)
    dark = _columns(image, on_fill, lambda c: c.lightness() < 80)
    assert dark > 0, f"no dark letters on the fill at {percent}%"
    if past_fill:
        light = _columns(image, past_fill, lambda c: c.lightness() > 160)
        assert light > 0, f"no light letters past the fill at {percent}%"
    bar.setStyleSheet(f"background: {BACKGROUND.name()}")
    bar.setAutoFillBackground(True)
    screenshot(bar, f"effort-bar-{percent}")
