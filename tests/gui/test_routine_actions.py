"""Routine menu actions, driven through their real message boxes and input dialog.

Only the file dialogs are replaced (a platform file chooser cannot be driven reliably).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import ROUTINES
from timer_app.core.library import RoutineEntry, discover_routines, find_routine
from timer_app.core.routine_file import load_routine
from timer_app.core.routine_store import Folders, enabled_actions, save_user_routine
from timer_app.ui.routine_actions import (
    delete_routine_action,
    duplicate_routine_action,
    export_routine_action,
    import_routine_action,
    rename_routine_action,
    reset_routine_action,
)


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    builtin = tmp_path / "builtin"
    shutil.copytree(ROUTINES, builtin)
    return Folders(user=tmp_path / "user", builtin=builtin)


def _entry(folders: Folders, routine_id: str) -> RoutineEntry:
    entry = find_routine(discover_routines(folders.builtin, folders.user), routine_id)
    assert entry is not None
    return entry


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _when_modal(handle: Callable[[QWidget], None], seen: list[QWidget]) -> None:
    """Run ``handle`` on the next modal dialog as soon as it is up (a modal blocks the test)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            QTimer.singleShot(10, poll)
            return
        seen.append(widget)
        handle(widget)

    QTimer.singleShot(0, poll)


def _press(
    label: str, texts: list[str], screenshot: Callable[..., Path] | None = None
) -> Callable[[QWidget], None]:
    """A handler that records a message box's text and presses the button ``label``."""

    def handle(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        texts.append(widget.text())
        if screenshot is not None:
            screenshot(widget, "routine_import_refused")
        button = next(b for b in widget.buttons() if b.text().replace("&", "") == label)
        button.click()

    return handle


def _choose_file(monkeypatch: pytest.MonkeyPatch, method: str, path: Path | str) -> None:
    monkeypatch.setattr(QFileDialog, method, staticmethod(lambda *a, **k: (str(path), "")))


def test_a_malformed_import_shows_its_errors_and_changes_nothing(
    qtbot: QtBot,
    folders: Folders,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Callable[..., Path],
) -> None:
    save_user_routine(_entry(folders, "hip-ir-lying").routine, folders.user)  # type: ignore[arg-type]
    bad = tmp_path / "from-forum.toml"
    bad.write_text(
        'schema = 1\nid = "forum"\nname = "Forum"\n[main]\n'
        '[[main.phases]]\nkind = "stretch"\nseconds = 0\n',
        encoding="utf-8",
    )
    before = _fingerprint(folders.user)
    _choose_file(monkeypatch, "getOpenFileName", bad)
    texts: list[str] = []
    seen: list[QWidget] = []
    _when_modal(_press("OK", texts, screenshot), seen)
    assert import_routine_action(None, folders) is None
    # Phases numbered as the editor's list shows them, values quoted as written.
    assert texts == [
        "from-forum.toml was not imported; nothing was changed.\n\n"
        "from-forum.toml: phase 1 (stretch), kind: must be one of 'passive', 'pail', 'rail', "
        "'rest', got \"stretch\""
    ]
    assert _fingerprint(folders.user) == before


def _answer(*labels: str, texts: list[str], shots: Callable[..., Path] | None = None) -> None:
    """Answer the next message boxes in turn by pressing ``labels``, recording their texts."""
    remaining = list(labels)

    def handle(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        texts.append(f"{widget.text()}\n{widget.informativeText()}".strip())
        if shots is not None:
            shots(widget, f"routine-{widget.windowTitle().lower().replace(' ', '-')}")
        label = remaining.pop(0)
        button = next(b for b in widget.buttons() if b.text().replace("&", "") == label)
        button.click()
        if remaining:
            _when_modal(handle, [])

    _when_modal(handle, [])


def test_import_says_what_it_added_and_where(
    qtbot: QtBot, folders: Folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert folders.builtin is not None
    shared = tmp_path / "from-sam.toml"
    shared.write_text(
        (folders.builtin / "quick-hip-check.toml")
        .read_text()
        .replace('id = "quick-hip-check"', 'id = "sams-check"')
        .replace('name = "Quick hip IR check"', 'name = "Sam\'s check"'),
        encoding="utf-8",
    )
    _choose_file(monkeypatch, "getOpenFileName", shared)
    texts: list[str] = []
    _answer("OK", texts=texts)
    imported = import_routine_action(None, folders)
    assert imported is not None and imported.id == "sams-check"
    assert texts == [
        f"Imported “Sam's check” from from-sam.toml.\n\nIt is in your routines list, saved as "
        f"{folders.user / 'sams-check.toml'}."
    ]


def test_importing_a_listed_id_asks_keep_both_replace_or_cancel(
    qtbot: QtBot,
    folders: Folders,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Callable[..., Path],
) -> None:
    assert folders.builtin is not None
    _choose_file(monkeypatch, "getOpenFileName", folders.builtin / "hip-er-lying.toml")
    before = _fingerprint(folders.user) if folders.user.exists() else {}
    texts: list[str] = []
    _answer("Cancel", texts=texts, shots=screenshot)
    assert import_routine_action(None, folders) is None
    assert "already has its id “hip-er-lying”" in texts[0]
    assert "Replace" in texts[0] and "keep both" in texts[0]
    assert (_fingerprint(folders.user) if folders.user.exists() else {}) == before

    texts.clear()
    _answer("Keep both", "OK", texts=texts)
    kept = import_routine_action(None, folders)
    assert kept is not None and kept.id == "hip-er-lying-2"
    original = _entry(folders, "hip-er-lying").routine
    assert original is not None
    assert kept.name == f"{original.name} (2)"  # two entries that can be told apart
    assert _entry(folders, "hip-er-lying-2").routine == kept
    assert "hip-er-lying-2.toml" in texts[-1]

    texts.clear()
    _answer("Replace", "OK", texts=texts)
    replaced = import_routine_action(None, folders)
    assert replaced is not None and replaced.id == "hip-er-lying"
    entry = _entry(folders, "hip-er-lying")
    assert entry.overrides_builtin  # the user's copy now stands in for the built-in
    ids = [e.id for e in discover_routines(folders.builtin, folders.user)]
    assert ids.count("hip-er-lying") == 1 and ids.count("hip-er-lying-3") == 0

    _choose_file(monkeypatch, "getOpenFileName", "")  # cancelled: nothing happens
    assert import_routine_action(None, folders) is None


def test_export_writes_a_routine_file_that_loads_back_equal_and_says_where(
    qtbot: QtBot, folders: Folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _entry(folders, "quick-hip-check")
    _choose_file(monkeypatch, "getSaveFileName", tmp_path / "for-sam")
    texts: list[str] = []
    _answer("OK", texts=texts)
    written = export_routine_action(None, entry)
    assert written == tmp_path / "for-sam.toml"
    assert load_routine(written) == entry.routine
    assert texts and str(tmp_path / "for-sam.toml") in texts[0]
    assert texts[0].startswith("Exported “Quick hip IR check” as a routine file:")


def test_duplicate_and_rename(qtbot: QtBot, folders: Folders) -> None:
    copy = duplicate_routine_action(None, _entry(folders, "quick-hip-check"), folders)
    assert copy is not None and copy.name == "Quick hip IR check (copy)"

    def answer(widget: QWidget) -> None:
        assert isinstance(widget, QInputDialog)
        assert widget.textValue() == "Quick hip IR check (copy)"
        widget.setTextValue("Busy-day hips")
        widget.accept()

    seen: list[QWidget] = []
    _when_modal(answer, seen)
    renamed = rename_routine_action(None, _entry(folders, copy.id), folders.user)
    assert seen and renamed is not None
    assert (renamed.id, renamed.name) == (copy.id, "Busy-day hips")
    assert _entry(folders, copy.id).routine == renamed


def test_delete_asks_first_and_cancel_keeps_the_routine(qtbot: QtBot, folders: Folders) -> None:
    copy = duplicate_routine_action(None, _entry(folders, "quick-hip-check"), folders)
    assert copy is not None
    texts: list[str] = []
    seen: list[QWidget] = []
    _when_modal(_press("Cancel", texts), seen)
    assert not delete_routine_action(None, _entry(folders, copy.id), folders.user)
    assert texts and texts[0].startswith("Delete “Quick hip IR check (copy)”?")
    assert find_routine(discover_routines(folders.builtin, folders.user), copy.id) is not None

    _when_modal(_press("Delete", texts), seen)
    assert delete_routine_action(None, _entry(folders, copy.id), folders.user)
    assert find_routine(discover_routines(folders.builtin, folders.user), copy.id) is None
    assert len(list((folders.user / "deleted").glob("*.toml"))) == 1


def test_builtins_cannot_be_deleted_and_reset_brings_them_back(
    qtbot: QtBot, folders: Folders
) -> None:
    builtin = _entry(folders, "hip-ir-lying")
    assert enabled_actions(builtin) == {
        "import": True,
        "export": True,
        "duplicate": True,
        "rename": True,
        "delete": False,
        "reset": False,
    }
    assert not delete_routine_action(None, builtin, folders.user)  # no box, no change
    assert builtin.routine is not None
    save_user_routine(builtin.routine.with_changes(name="Mine now"), folders.user)
    edited = _entry(folders, "hip-ir-lying")
    assert enabled_actions(edited)["reset"] and not enabled_actions(edited)["delete"]
    texts: list[str] = []
    seen: list[QWidget] = []
    _when_modal(_press("Reset", texts), seen)
    restored = reset_routine_action(None, edited, folders)
    assert restored == builtin.routine
    assert _entry(folders, "hip-ir-lying").builtin
