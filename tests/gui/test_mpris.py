"""MPRIS on a private session bus: the desktop's media controls drive the session, and its
media widget sees the current step. Checked with a D-Bus client and with playerctl.

Needs dbus-daemon and playerctl (Debian packages dbus and playerctl, installed by make)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from jeepney import HeaderFields
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.bus_client import BusClient, PrivateBus
from tests.gui.test_session_window import Rig
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.mpris import ROOT_INTERFACE
from timer_app.ui.results_dialog import ResultsDialog


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateBus]:
    private = PrivateBus()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", private.address)
    yield private
    private.stop()


@pytest.fixture
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bus: PrivateBus) -> Rig:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ConfirmStop, "ask", classmethod(lambda cls, p, quitting=False: True))
    monkeypatch.setattr(ResultsDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return Rig(qtbot, tmp_path)


@pytest.fixture
def client(qtbot, bus: PrivateBus) -> Iterator[BusClient]:  # type: ignore[no-untyped-def]
    client = BusClient(lambda check: qtbot.waitUntil(check, timeout=5000))
    yield client
    client.close()


def title(client: BusClient) -> str:
    return str(client.get("Metadata")["xesam:title"][1])


def test_the_desktop_controls_the_session_and_sees_the_step(rig: Rig, client: BusClient) -> None:
    assert not client.name_has_owner()  # no session, no player
    rig.start()
    assert client.name_has_owner()
    client.watch_signals()
    assert client.get("Identity", ROOT_INTERFACE) == "Mobility Timer"
    player = client.get_all()
    assert player["PlaybackStatus"] == ("s", "Playing")
    metadata = dict(player["Metadata"][1])
    assert metadata["xesam:title"] == ("s", "Hip CARs, clockwise")
    assert metadata["xesam:album"] == ("s", "Short test routine")
    assert metadata["mpris:length"] == ("x", 10_000_000)  # int64, as MPRIS requires
    assert metadata["mpris:trackid"] == ("o", "/org/timer_app/session/step0")
    assert player["CanGoNext"] == ("b", True) and player["CanPause"] == ("b", True)

    rig.advance(4)
    assert client.get("Position") == 4_000_000

    client.player("PlayPause")
    rig.qtbot.waitUntil(lambda: rig.engine.is_paused)
    assert rig.view.phase_label.text().startswith("PAUSED")
    assert client.get("PlaybackStatus") == "Paused"
    assert {"PlaybackStatus": ("s", "Paused")} in client.changed()

    client.player("Pause")  # already paused: stays paused
    client.player("Play")
    rig.qtbot.waitUntil(lambda: rig.engine.is_running)
    client.player("Play")  # already playing: an MPRIS Play does not pause
    assert client.get("PlaybackStatus") == "Playing"

    client.player("Next")
    rig.qtbot.waitUntil(lambda: rig.engine.index == 1)
    assert title(client) == "Right · Passive hold · round 1 of 2"
    assert rig.view.phase_label.text() == "PASSIVE HOLD"
    changed = client.changed()[-1]
    assert changed["Metadata"][1]["xesam:title"] == ("s", "Right · Passive hold · round 1 of 2")
    assert changed["Metadata"][1]["mpris:length"] == ("x", 30_000_000)

    client.player("Previous")  # within 3 s, as ←: the step before
    rig.qtbot.waitUntil(lambda: rig.engine.index == 0)
    assert title(client) == "Hip CARs, clockwise"
    rig.advance(5)
    client.player("Previous")  # 5 s in: the step restarts, and watchers hear the jump
    rig.qtbot.waitUntil(lambda: rig.engine.elapsed() == 0)
    client.changed()
    seeked = [m for m in client.signals if m.header.fields.get(HeaderFields.member) == "Seeked"]
    assert [m.body for m in seeked] == [(0,)]

    client.player("Stop")  # asks first, as Esc does...
    rig.qtbot.waitUntil(rig.window.flow.stop_overlay.isVisible)
    client.player("Stop")  # ...and a second Stop at once confirms it, as a second Esc
    rig.qtbot.waitUntil(lambda: rig.window.stack.currentWidget() is rig.window.summary_view)
    assert rig.window.summary_view.title_label.text().startswith("Session stopped")
    rig.qtbot.waitUntil(lambda: not client.name_has_owner())
    assert client.changed()[-1] == {"PlaybackStatus": ("s", "Stopped")}


def test_stop_from_the_desktop_asks_first(rig: Rig, client: BusClient) -> None:
    rig.start()
    client.player("Stop")
    rig.qtbot.waitUntil(rig.window.flow.stop_overlay.isVisible)
    assert rig.engine.is_paused
    rig.key(Qt.Key.Key_Space)  # keep going
    assert rig.engine.is_running
    assert client.name_has_owner()


def test_desktop_commands_answer_the_stop_question_and_never_act_behind_it(
    rig: Rig, client: BusClient
) -> None:
    rig.start()
    client.player("Stop")
    rig.qtbot.waitUntil(rig.window.flow.stop_overlay.isVisible)
    client.player("Next")
    client.player("Pause")
    client.get("PlaybackStatus")  # answered after the commands above were handled
    assert rig.engine.index == 0 and rig.window.flow.stop_overlay.isVisible()
    client.player("PlayPause")  # play: keep going
    rig.qtbot.waitUntil(lambda: rig.engine.is_running)
    assert not rig.window.flow.stop_overlay.isVisible()


def test_nothing_acts_behind_an_open_question(rig: Rig, client: BusClient) -> None:
    rig.start()
    question = QMessageBox(QMessageBox.Icon.Question, "Mobility Timer", "?", parent=rig.window)
    question.setModal(True)
    question.show()
    rig.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is question)
    client.player("Pause")
    client.player("Next")
    client.get("PlaybackStatus")  # a later call answered: the commands above were handled
    QApplication.processEvents()  # …and their queued actions had their turn
    assert rig.engine.is_running and rig.engine.index == 0
    question.close()
    client.player("Pause")
    rig.qtbot.waitUntil(lambda: rig.engine.is_paused)


def test_the_name_is_held_through_get_ready_and_released_at_the_end(
    rig: Rig, client: BusClient
) -> None:
    rig.settings.lead_in_seconds = 10
    rig.start()
    assert client.name_has_owner()
    client.watch_signals()
    assert title(client) == "Get ready"
    client.player("Next")  # skips the get-ready, as →
    rig.qtbot.waitUntil(lambda: rig.view.phase_label.text() == "Hip CARs, clockwise")
    assert client.name_has_owner()
    changes = client.changed()
    assert changes[-1]["Metadata"][1]["xesam:title"] == ("s", "Hip CARs, clockwise")
    # From get-ready to the routine the player stays "Playing": no flicker through "Stopped".
    assert all(c.get("PlaybackStatus", ("s", "Playing")) == ("s", "Playing") for c in changes)
    assert not any(m.header.fields.get(HeaderFields.member) == "Seeked" for m in client.signals)
    metadata = client.get("Metadata")
    assert metadata["mpris:trackid"] == ("o", "/org/timer_app/session/step0")
    rig.advance(rig.engine.timeline.total_seconds + 1)
    assert rig.window.stack.currentWidget() is rig.window.summary_view
    rig.qtbot.waitUntil(lambda: not client.name_has_owner())


def test_name_taken_or_no_bus_the_session_runs_without_mpris(
    rig: Rig, client: BusClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.take_name()  # another player already has it
    rig.start()
    assert rig.window.flow.remote.player is None
    assert rig.engine.is_running
    rig.advance(rig.engine.timeline.total_seconds + 1)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    rig.window.summary_view.done.emit()
    rig.start()
    assert rig.window.flow.remote.player is None
    assert rig.engine.is_running


def test_playerctl_sees_and_drives_the_session(rig: Rig, bus: PrivateBus) -> None:
    """As a user's desktop would: a real MPRIS client, in its own process."""

    def playerctl(*args: str) -> str:
        process = subprocess.Popen(
            ["playerctl", "--player=timer_app", *args],
            env=bus.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # The app answers from this thread's event loop: keep it running while playerctl waits.
        rig.qtbot.waitUntil(lambda: process.poll() is not None, timeout=10000)
        out, err = process.communicate()
        assert process.returncode == 0, err
        return out.strip()

    rig.start()
    assert playerctl("status") == "Playing"
    assert playerctl("metadata", "xesam:title") == "Hip CARs, clockwise"
    assert playerctl("metadata", "xesam:album") == "Short test routine"
    assert playerctl("metadata", "mpris:length") == "10000000"
    assert playerctl("metadata", "--format", "{{duration(mpris:length)}}") == "0:10"
    playerctl("play-pause")
    rig.qtbot.waitUntil(lambda: rig.engine.is_paused)
    assert playerctl("status") == "Paused"
    playerctl("play")
    rig.qtbot.waitUntil(lambda: rig.engine.is_running)
    playerctl("next")
    rig.qtbot.waitUntil(lambda: rig.engine.index == 1)
    assert playerctl("metadata", "title") == "Right · Passive hold · round 1 of 2"
    playerctl("stop")  # asks on the session screen
    rig.qtbot.waitUntil(rig.window.flow.stop_overlay.isVisible)
    playerctl("stop")  # a second stop at once confirms it
    rig.qtbot.waitUntil(lambda: rig.window.stack.currentWidget() is rig.window.summary_view)
    listed = subprocess.run(
        ["playerctl", "--list-all"], env=bus.env(), capture_output=True, text=True, check=False
    )
    assert "timer_app" not in listed.stdout
