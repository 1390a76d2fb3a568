"""Every main screen at four screen sizes, as a user meets them: from an 800x480 tablet to a
4K television at a device pixel ratio of 2.

Each size runs ``tests/screens/shoot.py`` on an X server of exactly that size (a QApplication's
screen is fixed for its life), then checks what it measured: every window inside the screen's
available area, no text cut off, no widgets on top of each other, the dialogs' buttons on the
screen, and the countdown digits at least a quarter of the window's height. The PNGs are left
in tests/artifacts/screens/<size>/ to be looked at. ``test_big_and_portrait_screens.py`` runs the
same checks on big and portrait screens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import REPO

ARTIFACTS = REPO / "tests" / "artifacts" / "screens"
SIZES = {
    "800x480": (800, 480, 1),
    "1280x800": (1280, 800, 1),
    "1920x1080": (1920, 1080, 1),
    "3840x2160@2": (3840, 2160, 2),
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb"),
]


def _screen_args(width: int, height: int) -> list[str]:
    return ["-screen", "0", f"{width}x{height}x24"]


def _xvfb(width: int, height: int) -> Iterator[str]:
    """A private X server of the given size; yields its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", *_screen_args(width, height)],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(name: str, width: int, height: int, scale: int) -> dict[str, Any]:
    """Run shoot.py on a screen of that size and scale; its report, with ``asked`` set."""
    out = ARTIFACTS / name
    shutil.rmtree(out, ignore_errors=True)
    for display in _xvfb(width, height):
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "QT_SCALE_FACTOR": str(scale),
            "PYTHONPATH": str(REPO),
        }
        env.pop("WAYLAND_DISPLAY", None)
        done = subprocess.run(
            [sys.executable, "-m", "tests.screens.shoot", str(out)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    report["asked"] = [width, height, scale]
    return report


@pytest.fixture(scope="module", params=list(SIZES), ids=list(SIZES))
def report(request: pytest.FixtureRequest) -> dict[str, Any]:
    return shoot(request.param, *SIZES[request.param])


SCREENS = ["start", "pail", "results", "history", "editor", "voice", "keys"]


def test_screen_and_scale_are_as_asked(report: dict[str, Any]) -> None:
    width, height, scale = report["asked"]
    assert report["screen"][2:] == [width // scale, height // scale]
    assert report["screen_device_pixel_ratio"] == scale
    assert report["warnings"] == []


@pytest.mark.parametrize("screen", SCREENS)
def test_window_fits_the_screen(report: dict[str, Any], screen: str) -> None:
    shot = report["shots"][screen]
    assert shot["outside"] == "", f"{screen} window past the screen: {shot['outside']}"
    assert shot["buttons_off_screen"] == []


@pytest.mark.parametrize("screen", SCREENS)
def test_no_text_cut_and_nothing_overlaps(report: dict[str, Any], screen: str) -> None:
    shot = report["shots"][screen]
    assert shot["clipped"] == []
    assert shot["overlaps"] == []


def test_countdown_is_the_largest_thing_and_a_quarter_of_the_height(
    report: dict[str, Any],
) -> None:
    """(Of the window's shorter side: on a portrait screen "0:14" fills the width first.)"""
    pail = report["shots"]["pail"]
    shorter = min(pail["window_height"], pail["window_width"])
    assert pail["digit_height"] >= 0.25 * shorter
    assert pail["digit_height"] > 2 * pail["largest_text"]


def test_hidpi_draws_at_the_screens_pixel_ratio(report: dict[str, Any]) -> None:
    _, _, scale = report["asked"]
    assert all(shot["device_pixel_ratio"] == scale for shot in report["shots"].values())
    hidpi = report["hidpi"]
    width, height = hidpi["countdown_logical"]
    assert hidpi["countdown_pixels"] == [width * scale, height * scale]  # one pixel per pixel
    assert hidpi["icon_pixels"] == [48 * scale, 48 * scale]  # the SVG drawn at the density
