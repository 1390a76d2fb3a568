"""The user's routines folder: save, duplicate, rename, delete, reset, import and export.

Built-in routines (the app's ``routines/`` folder) are never written. Editing a built-in
saves a copy with the **same id** in the user's folder, which
:func:`timer_app.core.library.discover_routines` then lists in the built-in's place; "reset
to defaults" removes that copy. Ids never change on save or rename, because the history
store keys sessions by routine id: a renamed routine keeps its history.

Every write goes through :func:`timer_app.core.routine_file.save_routine` (validated, then
written atomically), so a failure leaves the old file whole. Deleted and reset files are not
destroyed but moved into ``<user folder>/deleted/``, out of the routine list, so a wrong
click loses nothing. Folders are parameters so tests (and the app) choose them.

A running session is not affected by anything here: it holds its own immutable
:class:`~timer_app.core.timeline.Timeline`; the next session reads the files again.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from timer_app.core.library import RoutineEntry, discover_routines
from timer_app.core.routine import Routine
from timer_app.core.routine_file import ID_PATTERN, RoutineError, load_routine, save_routine

#: Sub-folder of the user's routines folder where deleted and reset files are kept.
DELETED_FOLDER = "deleted"
MAX_ID_LENGTH = 64


class RoutineStoreError(ValueError):
    """An operation that cannot be done (e.g. deleting a built-in); the message says why."""


@dataclass(frozen=True)
class Folders:
    """Where routines live: the user's (written) and the built-in one (only read)."""

    user: Path
    builtin: Path | None = None


# --- ids and names -------------------------------------------------------------------------


def slugify(name: str) -> str:
    """A routine id made from a name: lowercase letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    slug = slug[:MAX_ID_LENGTH].rstrip("-")
    return slug or "routine"


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free (and at most 64 characters)."""
    base = slugify(base)
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def copy_name(name: str, taken_names: set[str]) -> str:
    """ "Name (copy)", or "Name (copy 2)"… whichever no routine uses yet."""
    candidate = f"{name} (copy)"
    number = 2
    while candidate in taken_names:
        candidate = f"{name} (copy {number})"
        number += 1
    return candidate


def taken_ids(folders: Folders) -> set[str]:
    """Every id in use, built-in or the user's, plus the user's file names (a broken file
    still occupies its name)."""
    ids = {e.id for e in discover_routines(folders.builtin, None)}
    ids |= {e.id for e in discover_routines(None, folders.user)}
    if folders.user.is_dir():
        ids |= {p.stem for p in folders.user.glob("*.toml")}
    return ids


def enabled_actions(entry: RoutineEntry | None) -> dict[str, bool]:
    """Which of the routine menu's actions make sense for ``entry`` (the selected routine):
    built-ins are never deleted, only a built-in the user edited can be reset."""
    usable = entry is not None and entry.routine is not None
    return {
        "import": True,
        "export": usable,
        "duplicate": usable,
        "rename": usable,
        "delete": entry is not None and not entry.builtin and not entry.overrides_builtin,
        "reset": entry is not None and entry.overrides_builtin,
    }


def _all_entries(folders: Folders) -> list[RoutineEntry]:
    return discover_routines(folders.builtin, folders.user)


def _builtin_ids(folders: Folders) -> set[str]:
    return {e.id for e in discover_routines(folders.builtin, None) if e.routine is not None}


def user_file(routine_id: str, user_dir: Path) -> Path | None:
    """The user's file holding ``routine_id`` (whatever its file name), or None."""
    preferred = user_dir / f"{routine_id}.toml"
    matches = [
        e.path
        for e in discover_routines(None, user_dir)
        if e.routine is not None and e.id == routine_id
    ]
    if preferred in matches:
        return preferred
    return matches[0] if matches else None


# --- writing -------------------------------------------------------------------------------


def save_user_routine(routine: Routine, user_dir: Path) -> Routine:
    """Write ``routine`` into the user's folder (atomically) and return it with ``source``
    set to the file. A routine with a built-in's id becomes the user's copy of it; an
    existing user file with the same id is replaced in place."""
    if not ID_PATTERN.match(routine.id):
        # Checked before the id becomes a file name (the loader would refuse it anyway).
        raise RoutineError(
            [f"id: must be lowercase letters, digits and dashes (at most 64), got {routine.id!r}"]
        )
    path = user_file(routine.id, user_dir) or user_dir / f"{routine.id}.toml"
    save_routine(routine, path)
    return routine.with_changes(source=str(path))


def save_new_routine(routine: Routine, folders: Folders) -> Routine:
    """Save a routine that must not replace any other: its id is made unique first."""
    new_id = unique_id(routine.id or routine.name, taken_ids(folders))
    return save_user_routine(routine.with_changes(id=new_id), folders.user)


def duplicate_routine(routine: Routine, folders: Folders) -> Routine:
    """A copy saved as the user's own, with a new unique id and the name "… (copy)"."""
    names = {e.routine.name for e in _all_entries(folders) if e.routine is not None}
    copy = routine.with_changes(name=copy_name(routine.name, names))
    return save_user_routine(
        copy.with_changes(id=unique_id(f"{routine.id}-copy", taken_ids(folders))), folders.user
    )


def rename_routine(routine: Routine, new_name: str, user_dir: Path) -> Routine:
    """Give a routine a new display name (its id, and so its history, stays). Renaming a
    built-in saves the user's copy of it."""
    name = new_name.strip()
    if not name:
        raise RoutineStoreError("A routine needs a name.")
    return save_user_routine(routine.with_changes(name=name), user_dir)


def _retire(path: Path, user_dir: Path) -> Path:
    """Move a user's file into the ``deleted`` folder (never overwriting an older one)."""
    _require_inside(path, user_dir)
    bin_dir = user_dir / DELETED_FOLDER
    bin_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = bin_dir / f"{path.stem}-{stamp}.toml"
    number = 2
    while target.exists():
        target = bin_dir / f"{path.stem}-{stamp}-{number}.toml"
        number += 1
    shutil.move(str(path), str(target))
    return target


def _require_inside(path: Path, user_dir: Path) -> None:
    # The one guard that keeps this module from ever touching the built-in folder.
    if path.resolve().parent != user_dir.resolve():
        raise RoutineStoreError(f"{path} is not in your routines folder ({user_dir}).")


def delete_routine(entry: RoutineEntry, user_dir: Path) -> Path:
    """Remove the user's routine file (moved to ``deleted/``); returns where it went.
    Built-ins cannot be deleted; deleting the user's copy of a built-in is a reset."""
    if entry.builtin:
        raise RoutineStoreError(
            f"{entry.routine.name if entry.routine else entry.path.name} is built in "
            "and cannot be deleted."
        )
    return _retire(entry.path, user_dir)


def reset_to_default(routine_id: str, folders: Folders) -> Routine:
    """Remove the user's copy of a built-in (moved to ``deleted/``); returns the built-in."""
    builtins = {
        e.id: e.routine for e in discover_routines(folders.builtin, None) if e.routine is not None
    }
    original = builtins.get(routine_id)
    if original is None:
        raise RoutineStoreError(f"{routine_id!r} is not a built-in routine; nothing to reset.")
    while (path := user_file(routine_id, folders.user)) is not None:
        _retire(path, folders.user)
    return original


def import_routine(source: Path, folders: Folders) -> Routine:
    """Copy a routine file into the user's folder after validating it.

    A bad file raises :class:`RoutineError` with all its problems and nothing is written.
    An id already used (built-in or the user's) gets a new unique id, so an import never
    replaces anything.
    """
    routine = load_routine(source)
    taken = taken_ids(folders)
    if routine.id in taken:
        routine = routine.with_changes(id=unique_id(routine.id, taken))
    return save_user_routine(routine, folders.user)


def export_routine(routine: Routine, destination: Path) -> Path:
    """Write ``routine`` to any path (atomically), in the same format as ``routines/``."""
    if destination.suffix != ".toml":
        destination = destination.with_name(destination.name + ".toml")
    save_routine(routine, destination)
    return destination


def is_builtin_id(routine_id: str, folders: Folders) -> bool:
    """Whether ``routine_id`` names a built-in routine (so "reset to defaults" applies)."""
    return routine_id in _builtin_ids(folders)
