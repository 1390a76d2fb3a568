"""Start-up pays only for the start screen: the modules behind sessions, history, sound,
voice commands, reports and crash reports load after the window's first paint (or on first
use), so the window shows sooner (benchmarks/startup.py measures how much sooner)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROUTINES

HELPER = Path(__file__).parents[1] / "helpers" / "modules_at_first_paint.py"

#: Loaded before the first paint, each of these would delay it (tens of ms each, numpy and
#: pyqtgraph hundreds) for something the start screen does not show.
NOT_BEFORE_FIRST_PAINT = (
    "numpy",  # the history chart
    "pyqtgraph",  # the history chart
    "sqlite3",  # the history store: opened after the first paint
    "timer_app.storage.history",
    "miniaudio",  # the sound output: set up with the speaker after the first paint
    "pyttsx3",
    "timer_app.speech.factory",
    "timer_app.speech.output",
    "jeepney",  # MPRIS, with the session part
    "pocketsphinx",  # voice commands
    "timer_app.voice.availability",  # runs pactl
    "subprocess",  # no helper process is started before the window shows
    "wakepy",  # the wake lock, taken when a session starts
    "timer_app.report",  # the PDF report
    "timer_app.ui.session_flow",  # the session part: engine, overlays, history writes
    "timer_app.ui.session_view",
    "timer_app.ui.summary_view",
    "timer_app.core.engine",
    "timer_app.ui.dialogs",
    "timer_app.ui.history_view",
    "timer_app.ui.crash_handler",  # installed right after the first paint
    "logging.handlers",  # the crash log's rotating file
    "timer_app.ui.routine_actions",  # file dialogs of the Routines menu
    "decimal",  # heights typed in the results dialog
    "locale",  # looked up by argparse's help texts: `timer-app` alone parses no options
)

#: Qt types PySide6 makes on first use, with their enum classes, that the start screen does
#: without: the ``Qt`` namespace (~150 enum classes at once, ~20 ms: the start screen sets its
#: enum properties by name, timer_app/ui/enum_property.py, and QAction.setShortcuts is used,
#: as setShortcut's overload check makes it) and message boxes (their class and QDialog's).
NOT_MADE_BEFORE_FIRST_PAINT = {"Qt", "QMessageBox"}

#: Imported before PySide6 on a launch that parses the routine files (the user has routines of
#: their own, and no start-screen cache matches them): from its import on, PySide6 reads the
#: source file of each module an import statement names (for its ``from __feature__ import``
#: switch). The settings and the routine files' modules need no Qt, and imported first, they
#: and the standard-library modules only they use are not read again (timer_app/ui/app.py).
BEFORE_PYSIDE6 = (
    "timer_app.settings",
    "timer_app.paths",
    "platformdirs",
    "timer_app.core.routine_file",
    "timer_app.core.library",
    "timer_app.core.routine_store",
    "timer_app.core.timeline",
    "tomllib",
    "dataclasses",
    "datetime",
    "shutil",
    "tempfile",
)


#: The routine model, its files' parser and the timeline: on a later launch the start screen
#: is drawn from its cache (timer_app/core/start_cache.py), on the very first one from the
#: listing shipped with the app (timer_app/core/shipped_listing.py), and these load after the
#: paint.
NOT_BEFORE_FIRST_PAINT_FROM_CACHE = (
    "timer_app.core.routine",
    "timer_app.core.routine_file",
    "timer_app.core.library",
    "timer_app.core.routine_store",
    "timer_app.core.timeline",
    "timer_app.core.cues",
    "timer_app.core.units",
)


def xdg_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / name.lower())
    return env


def loaded_at_first_paint(tmp_path: Path) -> dict[str, Any]:
    """What the app (``timer-app`` alone, a first launch unless the XDG folders in
    ``tmp_path`` hold what an earlier launch left) has loaded at its first paint."""
    env = xdg_env(tmp_path)
    result = subprocess.run(
        [sys.executable, str(HELPER)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert "timer_app.ui.start_screen" in loaded["modules"]  # it did reach the start window
    return loaded


def test_the_first_paint_comes_before_the_session_history_sound_and_voice_modules(
    tmp_path: Path,
) -> None:
    loaded = set(loaded_at_first_paint(tmp_path)["modules"])
    too_early = [
        name
        for name in NOT_BEFORE_FIRST_PAINT
        if name in loaded or any(module.startswith(f"{name}.") for module in loaded)
    ]
    assert too_early == []


def test_the_qt_free_start_up_modules_are_imported_before_pyside6(tmp_path: Path) -> None:
    # A routine of the user's own: no shipped listing, so the files are parsed before the paint.
    user = Path(xdg_env(tmp_path)["XDG_DATA_HOME"]) / "timer-app" / "routines"
    user.mkdir(parents=True)
    quick = (ROUTINES / "quick-hip-check.toml").read_text()
    (user / "mine.toml").write_text(quick.replace('id = "quick-hip-check"', 'id = "mine"'))
    order = loaded_at_first_paint(tmp_path)["modules"]
    assert "timer_app.core.routine_file" in order  # it did parse
    assert [name for name in BEFORE_PYSIDE6 if order.index(name) > order.index("PySide6")] == []


def test_a_first_launch_draws_the_start_screen_before_loading_the_routine_model(
    tmp_path: Path,
) -> None:
    # Nothing in the XDG folders: the built-in routines as shipped, listed by the package.
    loaded = loaded_at_first_paint(tmp_path)["modules"]
    assert "timer_app.core.shipped_listing" in loaded
    early = [*NOT_BEFORE_FIRST_PAINT_FROM_CACHE, "tomllib"]  # no settings file to parse either
    assert [name for name in early if name in loaded] == []
    assert "hashlib" not in loaded  # OpenSSL (12 M instructions) is not loaded to check them


def test_the_first_paint_comes_before_pyside6_makes_the_qt_types_the_start_screen_needs_not(
    tmp_path: Path,
) -> None:
    made = set(loaded_at_first_paint(tmp_path)["qt_types"])
    assert "QMainWindow" in made  # the report does list what was made
    assert sorted(NOT_MADE_BEFORE_FIRST_PAINT & made) == []


def test_a_later_launch_draws_the_start_screen_before_loading_the_routine_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the first launch leaves after its paint: the start screen's cache.
    for name, value in xdg_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    from timer_app.core.library import discover_routines, listed
    from timer_app.core.start_cache import StartCache
    from timer_app.paths import builtin_routines_dir, start_cache_path, user_routines_dir

    cache = StartCache(start_cache_path(), builtin_routines_dir(), user_routines_dir())
    stamp = cache.stamp()
    cache.write(stamp, [listed(e) for e in discover_routines(*cache.folders)])
    assert cache.read() is not None

    loaded = loaded_at_first_paint(tmp_path)["modules"]
    assert "timer_app.core.start_cache" in loaded
    assert "timer_app.core.shipped_listing" not in loaded  # the cache was enough
    assert [name for name in NOT_BEFORE_FIRST_PAINT_FROM_CACHE if name in loaded] == []
    # tomllib itself is imported before the paint once there is a settings file to read.
