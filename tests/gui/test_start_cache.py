"""The start screen drawn from its cache (a later launch), or from the listing of the built-in
routines shipped with the app (the very first launch), looks exactly as when drawn from the
parsed routine files, shows a routine file's new state once it changed, and works as before:
the routines are loaded the moment anything needs one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from tests.conftest import ROUTINES
from tests.gui.fakes import FakeSpeaker
from tests.helpers.clock import FakeClock
from tests.helpers.wake_lock import FakeWakeLock
from timer_app.core import shipped_listing
from timer_app.core.start_cache import StartCache
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.first_paint import steps_left
from timer_app.ui.main_window import MainWindow
from timer_app.ui.results_dialog import ResultsDialog

BROKEN = 'schema = 1\nid = "broken"\nname = "Broken"\n[main]\nrounds = 0\n'


@pytest.fixture(autouse=True)
def no_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))


@pytest.fixture
def folders(dirs: tuple[Path, Path]) -> tuple[Path, Path]:
    """The shipped routines, the user's own (one overriding a built-in) and a broken file."""
    builtin, user = dirs
    user.mkdir()
    hip = (ROUTINES / "hip-ir-lying.toml").read_text()
    (user / "hip-ir-lying.toml").write_text(hip.replace("rounds = 3", "rounds = 2"))
    quick = (ROUTINES / "quick-hip-check.toml").read_text()
    (user / "mine.toml").write_text(
        quick.replace('id = "quick-hip-check"', 'id = "mine"').replace(
            'name = "', 'name = "My own '
        )
    )
    (user / "broken.toml").write_text(BROKEN)
    return builtin, user


def open_window(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    cache: StartCache,
    from_cache: bool,
    show: bool = True,
    *,
    shipped: bool = False,
) -> MainWindow:
    """The main window as ``run_gui`` makes it: from the cache if it is valid and wanted, or
    from the shipped listing of the built-in routines if ``shipped``; shown (and so painted,
    and its routines loaded the turn after) if ``show``."""
    listing = cache.read() if from_cache else None
    if from_cache:
        assert listing is not None, "the cache should be valid here"
    if shipped:
        listing = shipped_listing.read(*folders)
        assert listing is not None, "the shipped listing should be usable here"
    window = MainWindow(
        settings=Settings(last_routine_id="mine", lead_in_seconds=10),
        speaker=FakeSpeaker(),  # type: ignore[arg-type]
        wake_lock=FakeWakeLock(),
        builtin_dir=folders[0],
        user_dir=folders[1],
        clock=FakeClock(),
        start_cache=cache,
        cached_listing=listing,
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    if not show:
        return window
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # Complete: the steps after the first paint (one per turn) have run, the voice-command
    # switch among them, so two windows are compared in the same state.
    qtbot.waitUntil(lambda: steps_left(window) == 0)
    return window


def what_it_shows(window: MainWindow) -> list[object]:
    """Every row's list text and tooltip, and for each row selected in turn its details, and
    pictures of the window's parts with the first selection."""
    screen = window.start_screen
    rows = screen.routine_list
    first = rows.currentRow()
    # Pictures of every part but the overview's scroll area: whether Qt gives that a scroll
    # bar when its content is about its height depends on the order of earlier layout passes
    # (two windows from parsing differ the same way now and then); its texts are compared
    # below, and the whole window at 800x480 and 1280x800 was compared by hand (identical).
    parts = [
        window.menuBar(),
        screen.routine_list,
        screen.name_label,
        screen.tabs.tabBar(),
        screen.total_label,
        screen.note_label,
        screen.voice_switch,
        screen.start_button,
    ]
    shown: list[object] = [
        [part.grab().toImage().convertToFormat(QImage.Format.Format_RGB32) for part in parts]
    ]
    for row in range(rows.count()):
        shown.append((rows.item(row).text(), rows.item(row).toolTip()))
    for row in [*range(rows.count()), first]:
        rows.setCurrentRow(row)
        # The details rows' labels (not through QLayoutItem wrappers, which PySide6 would
        # own and free while removeRow frees them too).
        overview = screen.description_label.parentWidget()
        details = [
            label.text()
            for label in overview.findChildren(QLabel)
            if label not in (screen.description_label, screen.error_label)
        ]
        shown.append(
            (
                screen.name_label.text(),
                screen.description_label.text(),
                screen.error_label.text() if screen.error_label.isVisibleTo(screen) else "",
                details,
                screen.total_label.text(),
                screen.start_button.isEnabled(),
            )
        )
    return shown


def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "start-screen.json"


def launch_once(qtbot, folders: tuple[Path, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A first launch, closed: it leaves the start-screen cache for the next one."""
    open_window(qtbot, folders, StartCache(cache_file(tmp_path), *folders), False).close()


def test_the_start_screen_from_the_cache_is_the_one_from_parsing(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    launch_once(qtbot, folders, tmp_path)
    assert cache_file(tmp_path).exists()  # written once the routines were read
    again = open_window(qtbot, folders, StartCache(tmp_path / "not-used.json", *folders), False)
    parsed = what_it_shows(again)
    again.close()
    later = open_window(qtbot, folders, StartCache(cache_file(tmp_path), *folders), True)
    assert later.start_screen.listing == again.start_screen.listing
    from_cache = what_it_shows(later)
    assert from_cache[1:] == parsed[1:]
    assert from_cache[0] == parsed[0], "the window drawn from the cache looks different"
    texts = [row for row in parsed[1:] if isinstance(row, tuple) and len(row) == 2]
    assert any("My own" in text for text, _tip in texts)
    assert any(text == "broken.toml\n⚠ cannot be loaded" for text, _tip in texts)


def test_the_start_screen_from_the_shipped_listing_is_the_one_from_parsing(
    qtbot,  # type: ignore[no-untyped-def]
    dirs: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    # The very first launch: the built-in routines as shipped, no user folder, no cache.
    parsing = open_window(qtbot, dirs, StartCache(tmp_path / "not-used.json", *dirs), False)
    parsed = what_it_shows(parsing)
    parsing.close()
    cache = StartCache(cache_file(tmp_path), *dirs)
    first = open_window(qtbot, dirs, cache, False, shipped=True)
    assert first.start_screen.listing == parsing.start_screen.listing
    shown = what_it_shows(first)
    assert shown[1:] == parsed[1:]
    assert shown[0] == parsed[0], "the window drawn from the shipped listing looks different"
    # Its routines were loaded after the paint, and what it leaves for the next launch is the
    # start-screen cache, as after a parse.
    assert cache.read() == first.start_screen.listing
    entry = first.start_screen.selected_entry()
    assert entry is not None and entry.routine is not None


def test_the_routines_load_when_first_needed_and_enter_starts(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    launch_once(qtbot, folders, tmp_path)
    window = open_window(qtbot, folders, StartCache(cache_file(tmp_path), *folders), True)
    screen = window.start_screen
    assert screen.selected_id() == "mine"  # the routine used last, from the cache
    qtbot.keyClick(screen.routine_list, Qt.Key.Key_Return)
    assert window.flow.controller is not None
    assert window.flow.controller.engine.timeline.routine_id == "mine"


def test_the_menu_follows_the_selection_once_the_routines_are_loaded(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    launch_once(qtbot, folders, tmp_path)
    window = open_window(qtbot, folders, StartCache(cache_file(tmp_path), *folders), True)
    screen = window.start_screen
    # The turn after the first paint: the routines are loaded (the window is shown above).
    qtbot.waitUntil(lambda: window.routine_actions["delete"].isEnabled())  # mine: deletable
    assert screen.select_routine("hip-ir-lying")  # the user's copy of a built-in
    assert window.routine_actions["reset"].isEnabled()
    assert not window.routine_actions["delete"].isEnabled()
    assert screen.selected_entry().routine.main.rounds == 2


def test_an_edited_routine_file_shows_its_new_state(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    launch_once(qtbot, folders, tmp_path)
    mine = folders[1] / "mine.toml"
    mine.write_text(mine.read_text().replace("My own", "Renamed"))
    (folders[1] / "broken.toml").unlink()
    cache = StartCache(cache_file(tmp_path), *folders)
    assert cache.read() is None  # so run_gui parses, as on a first launch
    window = open_window(qtbot, folders, cache, False)
    screen = window.start_screen
    texts = [screen.routine_list.item(i).text() for i in range(screen.routine_list.count())]
    assert any(text.startswith("Renamed") for text in texts)
    assert not any("My own" in text or "broken" in text for text in texts)
    assert screen.name_label.text().startswith("Renamed")
    window.close()
    assert StartCache(cache_file(tmp_path), *folders).read() == screen.listing  # kept anew


def test_a_file_changed_after_the_cache_was_read_shows_its_new_state(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    launch_once(qtbot, folders, tmp_path)
    cache = StartCache(cache_file(tmp_path), *folders)
    window = open_window(qtbot, folders, cache, True, show=False)
    screen = window.start_screen
    assert screen.selected_id() == "mine"
    mine = folders[1] / "mine.toml"
    mine.write_text(mine.read_text().replace("rounds = 1", "rounds = 0"))  # now an error
    os.utime(mine, ns=(0, mine.stat().st_mtime_ns + 1_000_000_000))
    with qtbot.waitExposed(window):
        window.show()  # the turn after its first paint, the files are read

    def texts() -> list[str]:
        return [screen.routine_list.item(i).text() for i in range(screen.routine_list.count())]

    qtbot.waitUntil(lambda: "mine.toml\n⚠ cannot be loaded" in texts())
    screen.routine_list.setCurrentRow(texts().index("mine.toml\n⚠ cannot be loaded"))
    assert screen.name_label.text() == "mine.toml"
    assert "rounds" in screen.error_label.text()
    assert not screen.start_button.isEnabled()
    entry = screen.selected_entry()
    assert entry is not None and entry.routine is None
    assert cache.read() == screen.listing  # the new state is what the next launch shows


def test_a_first_launch_writes_the_cache_after_its_first_paint(
    qtbot,  # type: ignore[no-untyped-def]
    folders: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    cache = StartCache(cache_file(tmp_path), *folders)
    window = open_window(qtbot, folders, cache, False, show=False)
    assert not cache.file.exists()  # not on the way to the first paint (a file, fsynced)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(cache.file.exists)
    assert StartCache(cache_file(tmp_path), *folders).read() == window.start_screen.listing
