"""Finding out, without blocking the window, whether sound can play.

On Linux the output talks to PulseAudio (or PipeWire's PulseAudio server); asking for devices
when no server runs may stall while ALSA is probed. So on Linux a ``pactl info`` child process
answers first (asynchronously, through ``QProcess``), and when ``pactl`` is missing the server's
socket is looked for. Elsewhere miniaudio lists the playback devices (WASAPI, Core Audio).
Should the device still refuse to open later, the speaker falls back to the same notice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer

NO_DEVICE = "No audio device: cues are shown on screen only."


def pulse_socket_exists() -> bool:
    server = os.environ.get("PULSE_SERVER", "")
    if server.startswith("unix:"):
        return Path(server[5:]).exists()
    if server:
        return True  # a TCP server: assume it answers; playback will tell
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return (Path(runtime) / "pulse" / "native").exists()


def has_playback_device() -> bool:
    """Whether miniaudio finds a playback device on a real backend (not its null backend)."""
    import miniaudio

    try:
        devices = miniaudio.Devices()
        return devices.backend.lower() != "null" and bool(devices.get_playbacks())
    except miniaudio.MiniaudioError:
        return False


def probe_audio_device(
    parent: QObject, done: Callable[[bool, str], None], timeout_ms: int = 3000
) -> None:
    """Call ``done(ok, reason)`` on the GUI thread once it is known whether audio can play."""
    if not sys.platform.startswith("linux"):
        QTimer.singleShot(0, parent, lambda: _report(done, has_playback_device()))
        return
    proc = QProcess(parent)
    proc.setStandardErrorFile(QProcess.nullDevice())
    proc.setStandardOutputFile(QProcess.nullDevice())
    answered = False

    def finish(ok: bool) -> None:
        nonlocal answered
        if answered:
            return
        answered = True
        timer.stop()
        if proc.state() != QProcess.ProcessState.NotRunning:
            proc.kill()
            proc.waitForFinished(100)
        # Not deleted here (inside its own signal); it goes with its parent.
        _report(done, ok)

    def forget() -> None:
        # The speaker is going away (the app quits during the probe): its QProcess is killed
        # with it and reports "finished" from its destructor; there is no one left to tell.
        nonlocal answered
        answered = True
        if proc.state() != QProcess.ProcessState.NotRunning:
            proc.kill()
            proc.waitForFinished(100)

    parent.destroyed.connect(forget)
    timer = QTimer(proc)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: finish(False))
    proc.finished.connect(lambda code, _status: finish(code == 0))
    proc.errorOccurred.connect(
        lambda err: (
            finish(pulse_socket_exists()) if err == QProcess.ProcessError.FailedToStart else None
        )
    )
    timer.start(timeout_ms)
    proc.start("pactl", ["info"])


def _report(done: Callable[[bool, str], None], ok: bool) -> None:
    done(ok, "" if ok else NO_DEVICE)
