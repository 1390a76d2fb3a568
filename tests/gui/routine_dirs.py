"""Built-in routines copied to a temp folder, for tests of the editor and quick adjust."""

from __future__ import annotations

from pathlib import Path

from timer_app.core.library import RoutineEntry, discover_routines, find_routine


def entry_for(dirs: tuple[Path, Path], routine_id: str) -> RoutineEntry:
    """The routine ``routine_id`` as discovered in (builtin, user) ``dirs``."""
    entry = find_routine(discover_routines(*dirs), routine_id)
    assert entry is not None
    return entry
