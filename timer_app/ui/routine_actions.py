"""Routine menu actions for the main window: import, export, duplicate, rename, delete, reset.

Each function asks what it needs (file dialogs, a name, a confirmation), does the work
through :mod:`timer_app.core.routine_store`, tells the user about any failure in a message
box, and returns the result (``None``/``False`` when cancelled or refused). After a
non-``None`` result the caller re-reads the routine list (``discover_routines``) and selects
``result.id``. Nothing here changes a file before the user has confirmed, and a bad import
changes nothing at all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from timer_app.core.error_words import in_user_terms
from timer_app.core.library import RoutineEntry, discover_routines
from timer_app.core.routine import Routine
from timer_app.core.routine_file import RoutineError, load_routine
from timer_app.core.routine_store import (
    Folders,
    RoutineStoreError,
    delete_routine,
    duplicate_routine,
    enabled_actions,
    export_routine,
    rename_routine,
    reset_to_default,
    save_user_routine,
    taken_ids,
    unique_id,
)
from timer_app.ui.plain_text import warn

FILE_FILTER = "Routine files (*.toml);;All files (*)"
RENAME_DIALOG_WIDTH = 520


def _name(entry: RoutineEntry) -> str:
    return entry.routine.name if entry.routine is not None else entry.path.name


def _problem(parent: QWidget | None, title: str, text: str) -> None:
    warn(parent, title, text)


def _confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter must not destroy
    box.exec()
    return box.clickedButton() is yes


def import_routine_action(parent: QWidget | None, folders: Folders) -> Routine | None:
    """Ask for a routine file and add it to the user's routines (validated first).

    If a routine with its id is already listed, ask: replace it, keep both (the import gets a
    new id and a name that tells them apart), or cancel. Says what was imported and where."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Import a routine file", str(Path.home()), FILE_FILTER
    )
    if not chosen:
        return None
    source = Path(chosen)
    try:
        routine = load_routine(source)
    except RoutineError as exc:
        data = _raw_table(source)
        problems = "\n".join(in_user_terms(e, data) for e in exc.errors)
        _problem(
            parent,
            "Routine not imported",
            f"{source.name} was not imported; nothing was changed.\n\n{problems}",
        )
        return None
    existing = _listed_with_id(routine.id, folders)
    if existing is not None:
        choice = _ask_replace(parent, routine, existing, source)
        if choice is None:
            return None
        if choice == KEEP_BOTH:
            routine = _renamed_copy(routine, folders)
    try:
        saved = save_user_routine(routine, folders.user)
    except (RoutineError, OSError) as exc:
        _problem(parent, "Routine not imported", f"Could not save the routine: {exc}")
        return None
    QMessageBox.information(
        parent,
        "Routine imported",
        f"Imported “{saved.name}” from {source.name}.\n\n"
        f"It is in your routines list, saved as {saved.source}.",
    )
    return saved


#: Answers of the "already in your list" question.
REPLACE = "replace"
KEEP_BOTH = "keep_both"


def _raw_table(path: Path) -> dict[str, object] | None:
    """The file's table as written, for naming phases in error messages (None if unreadable)."""
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def _listed_with_id(routine_id: str, folders: Folders) -> RoutineEntry | None:
    return next(
        (e for e in discover_routines(folders.builtin, folders.user) if e.id == routine_id), None
    )


def _renamed_copy(routine: Routine, folders: Folders) -> Routine:
    """The imported routine under a free id, named so the two entries can be told apart."""
    new_id = unique_id(routine.id, taken_ids(folders))
    suffix = new_id.rsplit("-", 1)[-1]
    number = suffix if suffix.isdigit() else "2"
    return routine.with_changes(id=new_id, name=f"{routine.name} ({number})")


def _ask_replace(
    parent: QWidget | None, routine: Routine, existing: RoutineEntry, source: Path
) -> str | None:
    """Replace / keep both / cancel, for an import whose id is already listed."""
    name = existing.routine.name if existing.routine is not None else existing.path.name
    kind = "a built-in routine" if existing.builtin else "one of your routines"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Routine already in your list",
        f"{source.name} holds “{routine.name}”, but “{name}” ({kind}) already has its id "
        f"“{routine.id}”.",
        parent=parent,
    )
    box.setInformativeText(
        "Replace it with the imported one (its history stays with it), keep both (the imported "
        "one gets a new name), or cancel."
    )
    replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter must not replace
    box.exec()
    clicked = box.clickedButton()
    if clicked is replace:
        return REPLACE
    if clicked is keep:
        return KEEP_BOTH
    return None


def export_routine_action(parent: QWidget | None, entry: RoutineEntry) -> Path | None:
    """Ask where, then write the routine there as a routine file; say where it went."""
    if entry.routine is None:
        return None
    suggested = str(Path.home() / f"{entry.routine.id}.toml")
    chosen, _ = QFileDialog.getSaveFileName(parent, "Export routine", suggested, FILE_FILTER)
    if not chosen:
        return None
    try:
        written = export_routine(entry.routine, Path(chosen))
    except (RoutineError, OSError) as exc:
        _problem(parent, "Routine not exported", f"Could not write {chosen}:\n{exc}")
        return None
    QMessageBox.information(
        parent,
        "Routine exported",
        f"Exported “{entry.routine.name}” as a routine file:\n{written}\n\n"
        "Anyone can add it with Routines → Import routine file.",
    )
    return written


def duplicate_routine_action(
    parent: QWidget | None, entry: RoutineEntry, folders: Folders
) -> Routine | None:
    """Save a copy as the user's own routine, named "… (copy)"."""
    if entry.routine is None:
        return None
    try:
        return duplicate_routine(entry.routine, folders)
    except (RoutineError, OSError) as exc:
        _problem(parent, "Routine not duplicated", str(exc))
        return None


def rename_routine_action(
    parent: QWidget | None, entry: RoutineEntry, user_dir: Path
) -> Routine | None:
    """Ask for a new name. The id (and so the history) stays; a built-in gets a user copy."""
    if entry.routine is None:
        return None
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Rename routine")
    dialog.setLabelText(f"New name for “{entry.routine.name}”:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(entry.routine.name)
    font = dialog.font()
    font.setPointSize(max(font.pointSize(), 13))
    dialog.setFont(font)
    # The default (about 200 px) cut long names; a name of 60 characters fits this. The
    # dialog sizes itself to its layout, so the width goes on the text field.
    field = dialog.findChild(QLineEdit)
    if field is not None:
        field.setMinimumWidth(RENAME_DIALOG_WIDTH)
    ok = dialog.exec() == QInputDialog.DialogCode.Accepted
    name = dialog.textValue()
    dialog.deleteLater()
    if not ok or name.strip() == entry.routine.name:
        return None
    try:
        return rename_routine(entry.routine, name, user_dir)
    except (RoutineError, RoutineStoreError, OSError) as exc:
        _problem(parent, "Routine not renamed", str(exc))
        return None


def delete_routine_action(parent: QWidget | None, entry: RoutineEntry, user_dir: Path) -> bool:
    """Ask first, then remove the user's routine (kept in the ``deleted`` folder)."""
    if not enabled_actions(entry)["delete"]:
        return False
    text = (
        f"Delete “{_name(entry)}”?\n\nThe file is moved to "
        f"{user_dir / 'deleted'}, so it can be recovered."
    )
    if not _confirm(parent, "Delete routine", text, "Delete"):
        return False
    try:
        delete_routine(entry, user_dir)
    except (RoutineStoreError, OSError) as exc:
        _problem(parent, "Routine not deleted", str(exc))
        return False
    return True


def reset_routine_action(
    parent: QWidget | None, entry: RoutineEntry, folders: Folders
) -> Routine | None:
    """Ask first, then bring back a built-in's shipped version (the user's copy is kept
    in the ``deleted`` folder)."""
    if not entry.overrides_builtin:
        return None
    text = (
        f"Reset “{_name(entry)}” to the built-in version?\n\nYour changes are moved to "
        f"{folders.user / 'deleted'}."
    )
    if not _confirm(parent, "Reset to defaults", text, "Reset"):
        return None
    try:
        return reset_to_default(entry.id, folders)
    except (RoutineStoreError, OSError) as exc:
        _problem(parent, "Routine not reset", str(exc))
        return None
