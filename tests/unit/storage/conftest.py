"""Fixtures for the history store tests: a routine, its timeline, a store with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from timer_app.core.routine import Routine
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import Timeline, build_timeline
from timer_app.storage.history import History

ROUTINES = Path(__file__).resolve().parents[3] / "routines"


class WallClock:
    """A wall clock for the store that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def routine() -> Routine:
    return load_routine(ROUTINES / "hip-ir-lying.toml")


@pytest.fixture
def timeline(routine: Routine) -> Timeline:
    return build_timeline(routine)


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def history(db_path: Path, wall: WallClock) -> Iterator[History]:
    store = History(db_path, now=wall)
    yield store
    store.close()
