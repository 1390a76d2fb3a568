"""Every key of the app, in words, for the keys help (F1 / ?): one list, so the help shown
over a session and the help dialog on the start screen can never disagree or miss a key."""

from __future__ import annotations

from timer_app.ui.session_view import CONTROLS, HELP_TEXT

_KEY_NAMES = {"Escape": "Esc", "Left": "←", "Right": "→", "Up": "↑", "Down": "↓"}

#: Keys the main window handles itself, on every screen.
WINDOW_KEY_HELP: tuple[tuple[str, str], ...] = (
    ("H", "Show the history (pauses a session)"),
    ("Enter", "Start the selected routine (start screen)"),
    ("Ctrl+Q", "Quit (asks first during a session)"),
)


def key_name(key: str) -> str:
    """How a key is written on screen: "Esc", "←"..."""
    return _KEY_NAMES.get(key, key)


def _session_rows() -> list[tuple[str, str]]:
    return [
        (" or ".join(key_name(k) for k in control.keys), HELP_TEXT[control.name])
        for control in CONTROLS
    ]


#: (keys, what they do) for every key, session controls first.
KEY_HELP: tuple[tuple[str, str], ...] = (*_session_rows(), *WINDOW_KEY_HELP)
