"""A private D-Bus session bus for a test, and a client on it that talks to the app.

The app answers D-Bus calls from the Qt event loop of the test's own thread, so the client
never blocks waiting for a reply: it sends, then lets qtbot spin the event loop until the
reply is there. Calls to the bus daemon itself (which answers on its own) may block.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from timer_app.ui.mpris import BUS_NAME, OBJECT_PATH, PLAYER_INTERFACE, PROPERTIES_INTERFACE


class PrivateBus:
    """``dbus-daemon --session`` of the test's own, stopped at the end."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # "cannot raise the fd limit" as non-root: harmless
            text=True,
        )
        assert self.process.stdout is not None
        self.address = self.process.stdout.readline().strip()
        assert self.address.startswith("unix:"), self.address

    def env(self) -> dict[str, str]:
        return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


class BusClient:
    """Calls the app's MPRIS object and collects the signals it sends."""

    def __init__(self, wait_until: Callable[[Callable[[], None]], None]) -> None:
        self.conn: DBusConnection = open_dbus_connection(bus="SESSION")
        self._wait_until = wait_until
        self.signals: list[Message] = []

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------- the bus
    def name_has_owner(self) -> bool:
        reply = self.conn.send_and_get_reply(message_bus.NameHasOwner(BUS_NAME), timeout=5)
        return bool(reply.body[0])

    def take_name(self) -> None:
        reply = self.conn.send_and_get_reply(message_bus.RequestName(BUS_NAME, 4), timeout=5)
        assert reply.body[0] == 1

    def watch_signals(self) -> None:
        """Receive the player's PropertiesChanged and Seeked signals from now on."""
        for interface in (PROPERTIES_INTERFACE, PLAYER_INTERFACE):
            rule = MatchRule(type="signal", interface=interface, path=OBJECT_PATH)
            self.conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)

    # ------------------------------------------------------------- the app
    def call(
        self, interface: str, member: str, signature: str | None = None, body: tuple[Any, ...] = ()
    ) -> Message:
        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=interface)
        serial = next(self.conn.outgoing_serial)
        self.conn.send(new_method_call(address, member, signature, body), serial=serial)
        replies: list[Message] = []

        def replied() -> None:
            self._drain(serial, replies)
            assert replies, f"no reply yet to {member}"

        self._wait_until(replied)
        return replies[0]

    def player(self, member: str) -> None:
        reply = self.call(PLAYER_INTERFACE, member)
        assert reply.header.message_type is MessageType.method_return, reply.body

    def get(self, name: str, interface: str = PLAYER_INTERFACE) -> Any:
        reply = self.call(PROPERTIES_INTERFACE, "Get", "ss", (interface, name))
        assert reply.header.message_type is MessageType.method_return, reply.body
        _signature, value = reply.body[0]
        return value

    def get_all(self, interface: str = PLAYER_INTERFACE) -> dict[str, tuple[str, Any]]:
        reply = self.call(PROPERTIES_INTERFACE, "GetAll", "s", (interface,))
        return dict(reply.body[0])

    def changed(self) -> list[dict[str, tuple[str, Any]]]:
        """The ``changed`` dicts of every PropertiesChanged received so far (after a drain)."""
        self._drain(-1, [])
        return [
            dict(m.body[1])
            for m in self.signals
            if m.header.fields.get(HeaderFields.member) == "PropertiesChanged"
        ]

    def _drain(self, serial: int, replies: list[Message]) -> None:
        while True:
            try:
                message = self.conn.receive(timeout=0)
            except TimeoutError:
                return
            if message.header.fields.get(HeaderFields.reply_serial) == serial:
                replies.append(message)
            elif message.header.message_type is MessageType.signal:
                self.signals.append(message)
