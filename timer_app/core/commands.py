"""Session commands: the small vocabulary every hands-free input speaks.

Keys from remotes (media keys, headset buttons, presenter clickers) and MPRIS calls from the
desktop are all turned into a :class:`SessionCommand` here, in one place, and one runner
(``ui.session_remote``) carries the command out on the running session. A later input (voice
commands, say) only has to produce these commands. No Qt: keys are named in the portable text
of ``QKeySequence`` ("Media Play", "PgDown"), which the UI turns into shortcuts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SessionCommand(StrEnum):
    """What a remote can ask of a running session."""

    TOGGLE_PAUSE = "toggle_pause"
    PAUSE = "pause"  # pauses; does nothing when already paused
    RESUME = "resume"  # resumes; does nothing when running
    NEXT = "next"  # as the → key: skip to the next step
    PREVIOUS = "previous"  # as the ← key: restart the step, or the step before within 3 s
    STOP_REQUEST = "stop_request"  # as the Esc key: ask before stopping
    REPEAT = "repeat"  # say the current step again (which side, which phase, time left)


#: What each command does, in the words of the keys help.
COMMAND_HELP: dict[SessionCommand, str] = {
    SessionCommand.TOGGLE_PAUSE: "Pause or resume",
    SessionCommand.PAUSE: "Pause",
    SessionCommand.RESUME: "Resume",
    SessionCommand.NEXT: "Skip to the next step",
    SessionCommand.PREVIOUS: "Restart this step (press again quickly: previous step)",
    SessionCommand.STOP_REQUEST: "Stop the session (asks first)",
    SessionCommand.REPEAT: "Say the current step again",
}


#: The two kinds of remote, as the keys help names them.
MEDIA = "Media keys and headset buttons"
PRESENTER = "Presenter remote (clicker)"


@dataclass(frozen=True)
class RemoteKey:
    """A key a remote sends (``key`` in QKeySequence portable text), its name for people,
    the command it runs, and which kind of remote sends it."""

    key: str
    label: str
    command: SessionCommand
    remote: str


#: Keys sent by media keys, headset buttons and presenter clickers. Space, the arrows and Esc
#: are the session screen's own keys and are not repeated here. Most headsets and keyboards
#: send Play (XF86AudioPlay) for their one play/pause button, so Play toggles; a clicker's
#: "blank screen" button sends B or period and its "start show" button F5 or Shift+F5, and
#: those are the buttons a person lying down can find by feel, so they pause and resume.
REMOTE_KEYS: tuple[RemoteKey, ...] = (
    RemoteKey("Toggle Media Play/Pause", "Play/Pause", SessionCommand.TOGGLE_PAUSE, MEDIA),
    RemoteKey("Media Play", "Play", SessionCommand.TOGGLE_PAUSE, MEDIA),
    RemoteKey("Media Pause", "Pause", SessionCommand.PAUSE, MEDIA),
    RemoteKey("Media Next", "Next track", SessionCommand.NEXT, MEDIA),
    RemoteKey("Media Previous", "Previous track", SessionCommand.PREVIOUS, MEDIA),
    RemoteKey("Media Stop", "Stop", SessionCommand.STOP_REQUEST, MEDIA),
    RemoteKey("PgDown", "Page Down", SessionCommand.NEXT, PRESENTER),
    RemoteKey("PgUp", "Page Up", SessionCommand.PREVIOUS, PRESENTER),
    RemoteKey("B", "B", SessionCommand.TOGGLE_PAUSE, PRESENTER),
    RemoteKey(".", ". (period)", SessionCommand.TOGGLE_PAUSE, PRESENTER),
    RemoteKey("F5", "F5", SessionCommand.TOGGLE_PAUSE, PRESENTER),
    RemoteKey("Shift+F5", "Shift+F5", SessionCommand.TOGGLE_PAUSE, PRESENTER),
)

#: One line per kind of remote, for the keys shown over a running session, which has room for
#: a summary only (the keys dialog lists every key, from :func:`remote_key_help`).
REMOTE_SUMMARY: tuple[tuple[str, str], ...] = (
    (
        "Headset or media keys",
        "Play/Pause: pause/resume · Next, Previous track: next/back · Stop: stop",
    ),
    ("Presenter remote", "Page Down, Page Up: next/back · B, . or F5: pause/resume · Esc: stop"),
)

#: MPRIS ``org.mpris.MediaPlayer2.Player`` methods. Unlike a key, an MPRIS Play is sent only
#: to start playing (desktops send PlayPause for a toggle button), so it only resumes.
MPRIS_METHODS: dict[str, SessionCommand] = {
    "PlayPause": SessionCommand.TOGGLE_PAUSE,
    "Play": SessionCommand.RESUME,
    "Pause": SessionCommand.PAUSE,
    "Next": SessionCommand.NEXT,
    "Previous": SessionCommand.PREVIOUS,
    "Stop": SessionCommand.STOP_REQUEST,
}


def remote_key_help() -> list[tuple[str, list[tuple[str, str]]]]:
    """For the keys help: each kind of remote with its (keys, what they do) rows, one row
    per command in the order the remote's keys are listed."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for remote in (MEDIA, PRESENTER):
        keys = [k for k in REMOTE_KEYS if k.remote == remote]
        commands = list(dict.fromkeys(k.command for k in keys))
        rows = [
            (", ".join(k.label for k in keys if k.command is c), COMMAND_HELP[c]) for c in commands
        ]
        if remote == PRESENTER:
            # A clicker's Esc is the screen's own Esc key; listed here too so nobody wonders.
            rows.append(("Esc", COMMAND_HELP[SessionCommand.STOP_REQUEST]))
        groups.append((remote, rows))
    return groups
