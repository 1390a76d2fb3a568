"""Finding routines: the built-in files and the user's own, with the user's copy of a
built-in routine (same id) taking its place until it is reset."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timer_app.core.durations import display_duration
from timer_app.core.listing import ListedRoutine
from timer_app.core.routine import PhaseKind, Routine, SidesMode
from timer_app.core.routine_file import RoutineError, load_routine
from timer_app.core.timeline import planned_seconds


@dataclass(frozen=True)
class RoutineEntry:
    """A routine found on disk (or the error that stopped it loading)."""

    path: Path
    builtin: bool
    routine: Routine | None = None
    error: RoutineError | None = None
    overrides_builtin: bool = False

    @property
    def id(self) -> str:
        return self.routine.id if self.routine is not None else self.path.stem


def _scan(folder: Path | None, builtin: bool) -> list[RoutineEntry]:
    """The routines in ``folder``. A missing folder has none; a folder that cannot be read
    (or is a file) is one entry whose error says so, so the user's routines never vanish
    without a word."""
    if folder is None:
        return []
    try:
        paths = sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except FileNotFoundError:
        return []
    except OSError as exc:
        reason = "it is not a folder" if folder.exists() and not folder.is_dir() else None
        error = RoutineError(
            [f"{folder}: the routines folder cannot be read: {reason or exc.strerror or exc}"]
        )
        return [RoutineEntry(folder, builtin, error=error)]
    entries = []
    for path in paths:
        try:
            entries.append(RoutineEntry(path, builtin, routine=load_routine(path)))
        except RoutineError as exc:
            entries.append(RoutineEntry(path, builtin, error=exc))
    return entries


def discover_routines(builtin_dir: Path | None, user_dir: Path | None) -> list[RoutineEntry]:
    """Every routine, built-ins first (in file order), then the user's own. A user file with
    a built-in's id replaces that built-in in the list, marked ``overrides_builtin``."""
    builtins = _scan(builtin_dir, builtin=True)
    users = _scan(user_dir, builtin=False)
    builtin_ids = {e.id for e in builtins if e.routine is not None}
    user_by_id = {e.id: e for e in users if e.routine is not None}
    result: list[RoutineEntry] = []
    for entry in builtins:
        override = user_by_id.get(entry.id)
        if override is not None:
            result.append(
                RoutineEntry(override.path, False, override.routine, overrides_builtin=True)
            )
        else:
            result.append(entry)
    result.extend(e for e in users if e.routine is None or e.id not in builtin_ids)
    return result


def find_routine(entries: list[RoutineEntry], routine_id: str) -> RoutineEntry | None:
    for entry in entries:
        if entry.routine is not None and entry.id == routine_id:
            return entry
    return None


def routine_summary(routine: Routine) -> list[tuple[str, str]]:
    """The key facts of a routine as (label, value) rows for the start screen's details."""
    rows: list[tuple[str, str]] = []
    if routine.warmup is not None:
        w = routine.warmup
        where = "each side" if w.per_side else "once"
        rows.append(("Warm-up", f"CARs {w.reps} × {w.seconds_per_rep} s, each direction, {where}"))
    for phase in routine.main.phases:
        value = display_duration(phase.seconds)
        if phase.kind is PhaseKind.PAIL and phase.ramp is not None:
            r = phase.ramp
            value += f"  (effort {r.start_percent}→{r.end_percent}% over {r.seconds} s)"
        rows.append((phase.display_name, value))
    main = routine.main
    if main.rest_between_rounds:
        rows.append(("Rest between rounds", display_duration(main.rest_between_rounds)))
    if main.sides is SidesMode.BOTH:
        sides = f"{main.first_side.value.capitalize()} first, then {main.first_side.other.value}"
    else:
        sides = f"{main.sides.value.capitalize()} only"
    rows.append(("Rounds", f"{main.rounds} per side"))
    rows.append(("Sides", sides))
    if routine.measurement is not None:
        rows.append(("Measure", f"{routine.measurement.when.value} ({routine.measurement.unit})"))
    return rows


def listed(entry: RoutineEntry) -> ListedRoutine:
    """What the start screen shows of ``entry``: its name, total (the one the session screen
    counts down) and details, or its load error."""
    routine = entry.routine
    if routine is None:
        return ListedRoutine(
            path=str(entry.path),
            builtin=entry.builtin,
            overrides_builtin=entry.overrides_builtin,
            id=entry.id,
            error=str(entry.error),
        )
    return ListedRoutine(
        path=str(entry.path),
        builtin=entry.builtin,
        overrides_builtin=entry.overrides_builtin,
        id=entry.id,
        name=routine.name,
        description=routine.description,
        total_seconds=planned_seconds(routine),
        rows=tuple(routine_summary(routine)),
    )
