"""The user's routines folder: built-ins never written, copies, resets, imports, exports."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from timer_app.core.library import discover_routines, find_routine
from timer_app.core.routine import Routine
from timer_app.core.routine_file import RoutineError, load_routine
from timer_app.core.routine_store import (
    DELETED_FOLDER,
    Folders,
    RoutineStoreError,
    delete_routine,
    duplicate_routine,
    export_routine,
    import_routine,
    rename_routine,
    reset_to_default,
    save_new_routine,
    save_user_routine,
    unique_id,
)
from timer_app.core.timeline import build_timeline


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    """A copy of the built-ins (so a stray write would be caught) and an empty user folder."""
    builtin = tmp_path / "builtin"
    shutil.copytree(ROUTINES, builtin)
    return Folders(user=tmp_path / "user", builtin=builtin)


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _entries(folders: Folders) -> dict[str, Routine]:
    return {e.id: e.routine for e in discover_routines(folders.builtin, folders.user) if e.routine}


def _ir(folders: Folders) -> Routine:
    assert folders.builtin is not None
    return load_routine(folders.builtin / "hip-ir-lying.toml")


def test_editing_a_builtin_saves_a_same_id_copy_that_replaces_it(folders: Folders) -> None:
    before = _fingerprint(folders.builtin)  # type: ignore[arg-type]
    edited = _ir(folders).with_changes(name="My hip IR")
    saved = save_user_routine(edited, folders.user)
    assert Path(saved.source) == folders.user / "hip-ir-lying.toml"
    assert _fingerprint(folders.builtin) == before  # type: ignore[arg-type]
    entry = find_routine(discover_routines(folders.builtin, folders.user), "hip-ir-lying")
    assert entry is not None and entry.overrides_builtin
    assert entry.routine == edited


def test_saving_again_replaces_the_users_file_in_place_even_under_another_name(
    folders: Folders,
) -> None:
    folders.user.mkdir()
    odd_name = folders.user / "from-my-coach.toml"
    save_user_routine(_ir(folders).with_changes(id="coach-ir"), folders.user)
    (folders.user / "coach-ir.toml").rename(odd_name)
    save_user_routine(_ir(folders).with_changes(id="coach-ir", name="Renamed"), folders.user)
    assert sorted(p.name for p in folders.user.glob("*.toml")) == ["from-my-coach.toml"]
    assert load_routine(odd_name).name == "Renamed"


def test_reset_to_defaults_brings_the_builtin_back_and_keeps_the_copy_aside(
    folders: Folders,
) -> None:
    original = _ir(folders)
    save_user_routine(original.with_changes(name="Changed"), folders.user)
    restored = reset_to_default("hip-ir-lying", folders)
    assert restored == original
    entry = find_routine(discover_routines(folders.builtin, folders.user), "hip-ir-lying")
    assert entry is not None and entry.builtin and not entry.overrides_builtin
    kept = list((folders.user / DELETED_FOLDER).glob("hip-ir-lying-*.toml"))
    assert len(kept) == 1 and load_routine(kept[0]).name == "Changed"


def test_reset_refuses_a_routine_that_is_not_built_in(folders: Folders) -> None:
    mine = save_new_routine(_ir(folders).with_changes(id="mine", name="Mine"), folders)
    with pytest.raises(RoutineStoreError, match="'mine' is not a built-in routine"):
        reset_to_default(mine.id, folders)
    assert Path(mine.source).exists()


def test_duplicate_gets_a_new_id_and_a_copy_name(folders: Folders) -> None:
    original = _ir(folders)
    first = duplicate_routine(original, folders)
    second = duplicate_routine(original, folders)
    assert (first.id, first.name) == ("hip-ir-lying-copy", "Hip internal rotation, lying (copy)")
    assert (second.id, second.name) == (
        "hip-ir-lying-copy-2",
        "Hip internal rotation, lying (copy 2)",
    )
    assert first.main == original.main
    assert set(_entries(folders)) >= {"hip-ir-lying", "hip-ir-lying-copy", "hip-ir-lying-copy-2"}


def test_rename_keeps_the_id_so_history_stays_attached(folders: Folders) -> None:
    mine = save_new_routine(_ir(folders).with_changes(id="mine", name="Mine"), folders)
    renamed = rename_routine(mine, "  Evening hips ", folders.user)
    assert (renamed.id, renamed.name) == ("mine", "Evening hips")
    assert load_routine(folders.user / "mine.toml").name == "Evening hips"
    with pytest.raises(RoutineStoreError, match="needs a name"):
        rename_routine(mine, "   ", folders.user)


def test_delete_moves_the_users_file_aside_and_refuses_builtins(folders: Folders) -> None:
    save_new_routine(_ir(folders).with_changes(id="mine", name="Mine"), folders)
    entries = discover_routines(folders.builtin, folders.user)
    mine = find_routine(entries, "mine")
    builtin = find_routine(entries, "hip-er-lying")
    assert mine is not None and builtin is not None
    kept = delete_routine(mine, folders.user)
    assert "mine" not in _entries(folders)
    assert kept.parent.name == DELETED_FOLDER and load_routine(kept).id == "mine"
    before = _fingerprint(folders.builtin)  # type: ignore[arg-type]
    with pytest.raises(RoutineStoreError, match="is built in and cannot be deleted"):
        delete_routine(builtin, folders.user)
    assert _fingerprint(folders.builtin) == before  # type: ignore[arg-type]


def test_import_validates_and_gives_a_clashing_id_a_new_one(
    folders: Folders, tmp_path: Path
) -> None:
    assert folders.builtin is not None
    outside = tmp_path / "downloads" / "hip-ir-lying.toml"
    outside.parent.mkdir()
    shutil.copy(folders.builtin / "hip-ir-lying.toml", outside)
    imported = import_routine(outside, folders)
    assert imported.id == "hip-ir-lying-2"
    assert _entries(folders)["hip-ir-lying"] == _ir(folders)  # the built-in is untouched
    assert _entries(folders)["hip-ir-lying-2"].main == _ir(folders).main


def test_a_malformed_import_is_refused_with_its_errors_and_changes_nothing(
    folders: Folders, tmp_path: Path
) -> None:
    save_new_routine(_ir(folders).with_changes(id="mine", name="Mine"), folders)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema = 1\nid = "bad"\nname = "Bad"\n[main]\nrounds = 0\n'
        '[[main.phases]]\nkind = "passive"\nsecnds = 30\n',
        encoding="utf-8",
    )
    before = _fingerprint(tmp_path)
    with pytest.raises(RoutineError) as caught:
        import_routine(bad, folders)
    assert caught.value.errors == [
        "bad.toml: main.rounds: must be 1..20, got 0",
        "bad.toml: main.phases[0].secnds: unknown key (allowed: instruction, kind, name, "
        "ramp, seconds)",
        "bad.toml: main.phases[0].seconds: is required (a whole number 1..3600)",
    ]
    assert _fingerprint(tmp_path) == before


def test_export_writes_a_file_that_loads_back_equal(folders: Folders, tmp_path: Path) -> None:
    routine = _ir(folders)
    path = export_routine(routine, tmp_path / "out" / "for-client")
    assert path.name == "for-client.toml"
    assert load_routine(path) == routine


def test_unique_id_stays_within_64_characters() -> None:
    long = "a" * 64
    assert unique_id(long, {long}) == "a" * 62 + "-2"
    assert unique_id("Hip IR, lying!", set()) == "hip-ir-lying"


def test_a_running_session_keeps_its_timeline_and_the_next_one_sees_the_edit(
    folders: Folders,
) -> None:
    routine = _ir(folders)
    running = build_timeline(routine)  # what a session in progress holds
    planned = [(s.name, s.seconds) for s in running.steps]
    shorter = replace(routine.main.phases[0], seconds=60)  # 2:00 passive holds become 1:00
    edited = routine.with_changes(
        main=replace(routine.main, phases=(shorter, *routine.main.phases[1:]))
    )
    save_user_routine(edited, folders.user)
    assert [(s.name, s.seconds) for s in running.steps] == planned
    next_routine = _entries(folders)["hip-ir-lying"]
    # three rounds on each of two sides, each one minute shorter
    assert build_timeline(next_routine).total_seconds == running.total_seconds - 6 * 60
