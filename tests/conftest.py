"""Shared fixtures: every test gets its own data, config and cache folders."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ROUTINES = REPO / "routines"

#: The fixture behind every test that plays real sound on the private PulseAudio null sink
#: (tests/audio/conftest.py). Those tests time what the sink plays (onsets, cut latencies), so
#: they get the ``serial`` marker and `make test` runs them one at a time at normal priority,
#: beside the parallel run at the lowest (nice 19): a serial test gets the CPU whenever it
#: wants it (.ci/pytest-runs). The other audio tests (espeak renders,
#: the command spotter fed recorded audio) are the same on a busy CPU and run in parallel; so
#: do tests/e2e's kills, counted in the writer's lines rather than in seconds.
REAL_SOUND_FIXTURE = "pulse_server"


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if REAL_SOUND_FIXTURE in getattr(item, "fixturenames", ()):
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
