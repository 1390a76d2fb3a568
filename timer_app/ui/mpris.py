"""MPRIS on the D-Bus session bus: the desktop's media controls and headset buttons reach the
running session.

Linux desktops route a Bluetooth headset's play/pause button, the keyboard's media keys (when
the desktop grabs them) and the media widget of the panel and lock screen to MPRIS players. While a
session runs, :class:`MprisPlayer` owns ``org.mpris.MediaPlayer2.timer_app`` and serves the
root and ``Player`` interfaces at ``/org/mpris/MediaPlayer2``; its methods become
:class:`SessionCommand` values handed to a callback, its properties describe the current step.

Why jeepney and not QtDBus: QtDBus in PySide6 turns a Python int into a 32-bit D-Bus integer
and offers no way to ask for a 64-bit one, but MPRIS requires ``mpris:length`` and ``Position``
as int64 ("x"); jeepney (pure Python, already installed for wakepy's inhibitors) writes exactly
the signature given. It is plugged into Qt's event loop with a ``QSocketNotifier``, so nothing
blocks the GUI once the connection is open (the one-off connect and name request have 1 s
timeouts). No session bus, or the name taken: :meth:`MprisPlayer.open` returns None and the
app works as before, without a word.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from timer_app import APP_NAME
from timer_app.core.commands import MPRIS_METHODS, SessionCommand
from timer_app.core.now_playing import NowPlaying, PlaybackStatus

if TYPE_CHECKING:
    from jeepney import Message
    from jeepney.io.blocking import DBusConnection

log = logging.getLogger(__name__)

BUS_NAME = "org.mpris.MediaPlayer2.timer_app"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
#: Track ids live under the app's own path: the spec reserves /org/mpris for itself.
TRACK_PATH = "/org/timer_app/session"
#: Seconds to wait for the bus while connecting and asking for the name (GUI thread).
CONNECT_TIMEOUT = 1.0

_REQUEST_NAME_DO_NOT_QUEUE = 4
_PRIMARY_OWNER = 1

_INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg name="xml" type="s" direction="out"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Peer">
    <method name="Ping"/>
  </interface>
  <interface name="{PROPERTIES_INTERFACE}">
    <method name="Get">
      <arg name="interface" type="s" direction="in"/><arg name="name" type="s" direction="in"/>
      <arg name="value" type="v" direction="out"/>
    </method>
    <method name="GetAll">
      <arg name="interface" type="s" direction="in"/>
      <arg name="values" type="a{{sv}}" direction="out"/>
    </method>
    <method name="Set">
      <arg name="interface" type="s" direction="in"/><arg name="name" type="s" direction="in"/>
      <arg name="value" type="v" direction="in"/>
    </method>
    <signal name="PropertiesChanged">
      <arg name="interface" type="s"/><arg name="changed" type="a{{sv}}"/>
      <arg name="invalidated" type="as"/>
    </signal>
  </interface>
  <interface name="{ROOT_INTERFACE}">
    <method name="Raise"/>
    <method name="Quit"/>
    <property name="CanQuit" type="b" access="read"/>
    <property name="CanRaise" type="b" access="read"/>
    <property name="HasTrackList" type="b" access="read"/>
    <property name="Identity" type="s" access="read"/>
    <property name="DesktopEntry" type="s" access="read"/>
    <property name="SupportedUriSchemes" type="as" access="read"/>
    <property name="SupportedMimeTypes" type="as" access="read"/>
  </interface>
  <interface name="{PLAYER_INTERFACE}">
    <method name="Next"/>
    <method name="Previous"/>
    <method name="Pause"/>
    <method name="PlayPause"/>
    <method name="Stop"/>
    <method name="Play"/>
    <method name="Seek"><arg name="offset" type="x" direction="in"/></method>
    <method name="SetPosition">
      <arg name="track" type="o" direction="in"/><arg name="position" type="x" direction="in"/>
    </method>
    <method name="OpenUri"><arg name="uri" type="s" direction="in"/></method>
    <signal name="Seeked"><arg name="position" type="x"/></signal>
    <property name="PlaybackStatus" type="s" access="read"/>
    <property name="Rate" type="d" access="read"/>
    <property name="Metadata" type="a{{sv}}" access="read"/>
    <property name="Volume" type="d" access="read"/>
    <property name="Position" type="x" access="read"/>
    <property name="MinimumRate" type="d" access="read"/>
    <property name="MaximumRate" type="d" access="read"/>
    <property name="CanGoNext" type="b" access="read"/>
    <property name="CanGoPrevious" type="b" access="read"/>
    <property name="CanPlay" type="b" access="read"/>
    <property name="CanPause" type="b" access="read"/>
    <property name="CanSeek" type="b" access="read"/>
    <property name="CanControl" type="b" access="read"/>
  </interface>
</node>
"""

#: A D-Bus value for jeepney: (signature, value).
Variant = tuple[str, Any]


def _microseconds(seconds: float) -> int:
    return round(seconds * 1_000_000)


class MprisPlayer(QObject):
    """The app as an MPRIS media player while one session runs. ``publish`` what is playing;
    method calls come back through ``on_command`` (on a later turn of the event loop, after
    the caller has had its reply, since a command may open a dialog)."""

    def __init__(
        self,
        connection: DBusConnection,
        on_command: Callable[[SessionCommand], None],
        position: Callable[[], float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._connection: DBusConnection | None = connection
        self._on_command = on_command
        self._position = position
        self._now: NowPlaying | None = None
        connection.sock.setblocking(False)  # from here on the bus never blocks the GUI
        self._notifier = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    # ------------------------------------------------------------- lifecycle
    @classmethod
    def open(
        cls,
        on_command: Callable[[SessionCommand], None],
        position: Callable[[], float],
        parent: QObject | None = None,
    ) -> MprisPlayer | None:
        """Connect to the session bus and take the name; None (logged only) when there is no
        bus, it does not answer in time, or another player already has the name."""
        try:
            from jeepney.bus_messages import message_bus
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:  # not installed on this platform
            return None
        try:
            connection = open_dbus_connection(bus="SESSION", auth_timeout=CONNECT_TIMEOUT)
        except (OSError, KeyError, ValueError, RuntimeError) as exc:
            # KeyError: no DBUS_SESSION_BUS_ADDRESS; ValueError: authentication refused.
            log.info("no MPRIS: cannot reach the session bus (%s)", exc)
            return None
        try:
            reply = connection.send_and_get_reply(
                message_bus.RequestName(BUS_NAME, _REQUEST_NAME_DO_NOT_QUEUE),
                timeout=CONNECT_TIMEOUT,
            )
            owner = reply.body and reply.body[0] == _PRIMARY_OWNER
        except (OSError, ValueError) as exc:
            log.info("no MPRIS: the session bus did not answer (%s)", exc)
            owner = False
        if not owner:
            log.info("no MPRIS: %s is taken by another player", BUS_NAME)
            connection.close()
            return None
        return cls(connection, on_command, position, parent)

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    def close(self) -> None:
        """Say "Stopped", give the name back and disconnect (the bus would also release the
        name when the socket closes; asking first lets watchers see it at once)."""
        if self._connection is None:
            return
        if self._now is not None and self._now.status is not PlaybackStatus.STOPPED:
            self._changed({"PlaybackStatus": ("s", PlaybackStatus.STOPPED.value)})
        from jeepney.bus_messages import message_bus

        self._send(message_bus.ReleaseName(BUS_NAME))
        self._disconnect()

    def _disconnect(self) -> None:
        connection = self._connection
        if connection is None:
            return
        self._connection = None
        # The notifier goes before the socket, or Qt warns about an invalid socket.
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        connection.close()

    # ------------------------------------------------------------- publishing
    def publish(self, now: NowPlaying) -> None:
        """Tell watchers what changed (PropertiesChanged), if anything did."""
        before = self._now
        self._now = now
        if before == now:
            return
        changed: dict[str, Variant] = {}
        if before is None or before.status is not now.status:
            changed["PlaybackStatus"] = ("s", now.status.value)
        if before is None or self._metadata(before) != self._metadata(now):
            changed["Metadata"] = ("a{sv}", self._metadata(now))
        self._changed(changed)

    def seeked(self) -> None:
        """The position jumped within the same step (the step restarted)."""
        if self._connection is not None:
            self._signal(PLAYER_INTERFACE, "Seeked", "x", (_microseconds(self._position()),))

    def _changed(self, changed: dict[str, Variant]) -> None:
        if changed:
            self._signal(
                PROPERTIES_INTERFACE,
                "PropertiesChanged",
                "sa{sv}as",
                (PLAYER_INTERFACE, changed, []),
            )

    def _signal(self, interface: str, name: str, signature: str, body: tuple[Any, ...]) -> None:
        from jeepney import DBusAddress, new_signal

        self._send(new_signal(DBusAddress(OBJECT_PATH, interface=interface), name, signature, body))

    def _send(self, message: Message) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            connection.send(message)
        except OSError as exc:  # the bus went away or stopped reading: carry on without it
            log.info("MPRIS connection lost (%s)", exc)
            self._disconnect()

    # -------------------------------------------------------------- properties
    @staticmethod
    def _metadata(now: NowPlaying) -> dict[str, Variant]:
        return {
            "mpris:trackid": ("o", f"{TRACK_PATH}/{now.track_key}"),
            "mpris:length": ("x", _microseconds(now.length_seconds)),
            "xesam:title": ("s", now.title),
            "xesam:album": ("s", now.routine_name),
            # Desktop widgets (GNOME's, for one) show the artist line, not the album: the
            # routine's name there says which session this is.
            "xesam:artist": ("as", [now.routine_name]),
        }

    def _properties(self, interface: str) -> dict[str, Variant]:
        if interface == ROOT_INTERFACE:
            return {
                "CanQuit": ("b", False),
                "CanRaise": ("b", False),
                "HasTrackList": ("b", False),
                "Identity": ("s", APP_NAME),
                "DesktopEntry": ("s", "timer-app"),
                "SupportedUriSchemes": ("as", []),
                "SupportedMimeTypes": ("as", []),
            }
        if interface == PLAYER_INTERFACE:
            now = self._now
            active = now is not None and now.status is not PlaybackStatus.STOPPED
            return {
                "PlaybackStatus": ("s", (now.status if now else PlaybackStatus.STOPPED).value),
                "Rate": ("d", 1.0),
                "Metadata": ("a{sv}", self._metadata(now) if now else {}),
                "Volume": ("d", 1.0),
                "Position": ("x", _microseconds(self._position()) if active else 0),
                "MinimumRate": ("d", 1.0),
                "MaximumRate": ("d", 1.0),
                "CanGoNext": ("b", active),
                "CanGoPrevious": ("b", active),
                "CanPlay": ("b", active),
                "CanPause": ("b", active),
                "CanSeek": ("b", False),
                "CanControl": ("b", True),
            }
        return {}

    # ---------------------------------------------------------------- incoming
    def _on_readable(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            data = connection.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError as exc:
            log.info("MPRIS connection lost (%s)", exc)
            self._disconnect()
            return
        if not data:  # the bus closed the connection
            self._disconnect()
            return
        connection.parser.add_data(data)
        while self._connection is not None:
            message = connection.parser.get_next_message()
            if message is None:
                break
            self._handle(message)

    def _handle(self, message: Message) -> None:
        from jeepney import HeaderFields, MessageFlag, MessageType, new_error, new_method_return

        header = message.header
        if header.message_type is not MessageType.method_call:
            return  # signals and replies from the bus (NameAcquired, ReleaseName's reply)
        fields = header.fields
        path = fields.get(HeaderFields.path)
        interface = fields.get(HeaderFields.interface, "")
        member = fields.get(HeaderFields.member, "")
        body = message.body
        reply: Message | None = None
        command: SessionCommand | None = None
        if path != OBJECT_PATH:
            reply = new_error(
                message, "org.freedesktop.DBus.Error.UnknownObject", "s", (f"No object {path}",)
            )
        elif member == "Introspect":
            reply = new_method_return(message, "s", (_INTROSPECTION,))
        elif member == "Ping" and interface in ("", "org.freedesktop.DBus.Peer"):
            reply = new_method_return(message)
        elif interface == PROPERTIES_INTERFACE:
            reply = self._property_call(message, member, body)
        elif interface in ("", PLAYER_INTERFACE) and member in MPRIS_METHODS:
            command = MPRIS_METHODS[member]
            reply = new_method_return(message)
        elif interface in ("", PLAYER_INTERFACE, ROOT_INTERFACE) and member in (
            "Seek",
            "SetPosition",
            "OpenUri",
            "Raise",
            "Quit",
        ):
            reply = new_method_return(message)  # CanSeek, CanRaise, CanQuit are false: no-op
        else:
            reply = new_error(
                message,
                "org.freedesktop.DBus.Error.UnknownMethod",
                "s",
                (f"No method {interface}.{member}",),
            )
        if not header.flags & MessageFlag.no_reply_expected:
            self._send(reply)
        if command is not None:
            # After the reply: the command may open a dialog, and the caller must not wait.
            QTimer.singleShot(0, self, lambda: self._on_command(command))

    def _property_call(self, message: Message, member: str, body: tuple[Any, ...]) -> Message:
        from jeepney import new_error, new_method_return

        if member == "GetAll" and len(body) == 1:
            return new_method_return(message, "a{sv}", (self._properties(body[0]),))
        if member == "Get" and len(body) == 2:
            values = self._properties(body[0])
            if body[1] in values:
                return new_method_return(message, "v", (values[body[1]],))
            return new_error(
                message,
                "org.freedesktop.DBus.Error.UnknownProperty",
                "s",
                (f"No property {body[0]}.{body[1]}",),
            )
        if member == "Set":
            return new_error(
                message,
                "org.freedesktop.DBus.Error.PropertyReadOnly",
                "s",
                ("The session's properties are read-only",),
            )
        return new_error(
            message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"No method {member}",)
        )
