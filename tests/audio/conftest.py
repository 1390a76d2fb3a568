"""Fixtures for tests that make real sound: a private PulseAudio server with a null sink.

One server for the whole run (started and stopped here, so CI needs no sound card and no
running daemon): Qt's in-process PulseAudio client, once connected, keeps reconnecting if its
server goes away, and its warnings would then fail whichever later test is running. A test is
skipped, with the reason, only when the server cannot start.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.audio.rig import PulseServer, RigUnavailable


@pytest.fixture(scope="session")
def pulse_server() -> Iterator[PulseServer]:
    server = PulseServer()
    try:
        server.start()
    except RigUnavailable as exc:
        pytest.skip(f"no PulseAudio null sink: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pulse(pulse_server: PulseServer, monkeypatch: pytest.MonkeyPatch) -> PulseServer:
    """The server, with this test's environment pointing clients (Qt, aplay, pactl) at it."""
    monkeypatch.setenv("PULSE_SERVER", pulse_server.server)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(pulse_server.root))
    return pulse_server
