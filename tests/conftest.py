"""Shared fixtures: every test gets its own data, config and cache folders."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ROUTINES = REPO / "routines"

#: Folders whose tests measure time (sound onsets, cut latencies): they get the ``serial``
#: marker, and `make test` runs them alone, before the parallel run, so they never share the
#: CPU with another test. (tests/e2e's kills are counted in the writer's lines, not in
#: seconds: they run in the parallel pass.)
SERIAL_FOLDERS = ("audio",)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = REPO / "tests"
    for item in items:
        folder = item.path.relative_to(tests).parts[0] if item.path.is_relative_to(tests) else ""
        if folder in SERIAL_FOLDERS or item.get_closest_marker("audio"):
            item.add_marker(pytest.mark.serial)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (through the XDG variables) at a fresh temp folder."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        folder = home / sub
        folder.mkdir(parents=True)
        monkeypatch.setenv(var, str(folder))
    return home


@pytest.fixture(autouse=True)
def no_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test talks to the desktop's D-Bus session bus (a session would show up in its media
    widget); the MPRIS tests start a private bus of their own."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
