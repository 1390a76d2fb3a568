"""GUI test fixtures: a real X server (pytest-xvfb), screenshots, and a guard against leaks.

Qt warnings fail a test (``qt_log_level_fail = WARNING`` in pyproject.toml). The ``no_leaks``
guard fails a test that leaves a visible top-level window or dialog behind.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
ROUTINES = Path(__file__).resolve().parent.parent.parent / "routines"


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(builtin, user) routine folders: the shipped routines copied, and an empty user one."""
    builtin = tmp_path / "builtin"
    shutil.copytree(ROUTINES, builtin)
    return builtin, tmp_path / "user"


@pytest.fixture
def screenshot(qtbot: object) -> Callable[..., Path]:
    """Save ``widget.grab()`` as tests/artifacts/screenshots/<name>.png and return the path."""

    def save(widget: object, name: str) -> Path:
        from PySide6.QtWidgets import QApplication, QWidget

        assert isinstance(widget, QWidget)
        QApplication.processEvents()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for this test (dates on screen and in reports are local)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def no_leaks(qapp: object) -> Iterator[None]:
    """Fail a test that leaves a visible window or dialog open.

    Widgets are told apart by their C++ address, which stays while the widget lives (a widget
    Qt made gets a new Python wrapper, and so a new ``id``, each time it is listed). The
    garbage collector is paused while the windows are listed and read: see
    tests/helpers/top_levels.py for the segfault it otherwise caused now and then."""
    from PySide6.QtWidgets import QApplication
    from shiboken6 import getCppPointer

    from tests.helpers.top_levels import collector_paused, visible_top_levels

    with collector_paused():
        before = {getCppPointer(w)[0] for w in visible_top_levels()}
    yield
    QApplication.processEvents()
    with collector_paused():
        left = visible_top_levels(
            lambda w: getCppPointer(w)[0] not in before and w.windowType().name != "ToolTip"
        )
        names = [type(w).__name__ for w in left]
        for widget in left:
            widget.close()
        del left
    assert not names, f"test left windows open: {names}"
