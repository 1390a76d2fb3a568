"""The checks of ``test_screen_sizes.py`` on big screens at scale 1 and on portrait screens,
plus what those screens add: the main window opens in proportion to the screen (not at
1280x800 in a corner of a 4K screen; tall on a portrait one), and the countdown's digits stay
big in a narrow window. A file of its own, so the parallel run shoots these sizes on another
worker than the first four.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.screens.test_screen_sizes import (  # noqa: F401 - the same checks, collected here
    pytestmark,
    shoot,
    test_countdown_is_the_largest_thing_and_a_quarter_of_the_height,
    test_hidpi_draws_at_the_screens_pixel_ratio,
    test_no_text_cut_and_nothing_overlaps,
    test_screen_and_scale_are_as_asked,
    test_window_fits_the_screen,
)

SIZES = {
    "2560x1440": (2560, 1440, 1),
    "3840x2160": (3840, 2160, 1),
    "1080x1920": (1080, 1920, 1),
    "800x1280": (800, 1280, 1),
}


@pytest.fixture(scope="module", params=list(SIZES), ids=list(SIZES))
def report(request: pytest.FixtureRequest) -> dict[str, Any]:
    return shoot(request.param, *SIZES[request.param])


def test_the_main_window_opens_in_proportion_to_the_screen(report: dict[str, Any]) -> None:
    _, _, width, height = report["shots"]["start"]["frame"]
    _, _, free_width, free_height = report["shots"]["start"]["available"]
    assert width >= 0.7 * free_width and height >= 0.7 * free_height, (width, height)
    if free_height > free_width:  # portrait screen: a portrait window
        assert height > width


@pytest.mark.parametrize("screen", ["history", "editor"])
def test_big_windows_grow_with_the_screen_too(report: dict[str, Any], screen: str) -> None:
    _, _, width, height = report["shots"][screen]["frame"]
    _, _, free_width, free_height = report["shots"][screen]["available"]
    assert width >= 0.7 * free_width and height >= 0.7 * free_height, (width, height)


def test_in_a_portrait_window_the_digits_fill_its_width(report: dict[str, Any]) -> None:
    pail = report["shots"]["pail"]
    if pail["window_height"] > pail["window_width"]:
        assert pail["digits_width"] >= 0.85 * pail["window_width"]
