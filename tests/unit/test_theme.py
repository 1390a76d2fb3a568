"""Phase colours stay legible: strong contrast for text, distinct colours per phase kind."""

from __future__ import annotations

import pytest

from timer_app.core.routine import PhaseKind
from timer_app.ui.theme import (
    PAUSED_COLOURS,
    PHASE_COLOURS,
    SIDE_COLOURS,
    contrast_ratio,
)


def test_every_phase_kind_has_colours() -> None:
    assert set(PHASE_COLOURS) == set(PhaseKind)


@pytest.mark.parametrize("kind", list(PhaseKind), ids=lambda k: k.value)
def test_text_contrast_is_aaa_and_accents_aa(kind: PhaseKind) -> None:
    colours = PHASE_COLOURS[kind]
    assert contrast_ratio(colours.background, colours.text) >= 7.0
    assert contrast_ratio(colours.background, colours.accent) >= 4.5


def test_paused_and_side_banners_are_legible() -> None:
    assert contrast_ratio(PAUSED_COLOURS.background, PAUSED_COLOURS.text) >= 7.0
    for background, text in SIDE_COLOURS.values():
        assert contrast_ratio(background, text) >= 7.0


def test_phase_backgrounds_are_distinct() -> None:
    backgrounds = [c.background for c in PHASE_COLOURS.values()]
    assert len(set(backgrounds)) == len(backgrounds)


def test_contrast_ratio_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
