"""When a spoken command is acted on: at once, or after the app's own sound has ended."""

from __future__ import annotations

from timer_app.core.commands import SessionCommand
from timer_app.core.voice_commands import ECHO_GUARD, WORD_COMMANDS, HeardCommand, VoiceInbox


def test_every_word_of_the_guide_maps_to_a_session_command() -> None:
    assert WORD_COMMANDS["pause"] is SessionCommand.PAUSE
    assert WORD_COMMANDS["continue"] is WORD_COMMANDS["go"] is SessionCommand.RESUME
    assert WORD_COMMANDS["next"] is SessionCommand.NEXT
    assert WORD_COMMANDS["back"] is SessionCommand.PREVIOUS
    assert WORD_COMMANDS["repeat"] is SessionCommand.REPEAT
    assert WORD_COMMANDS["stop"] is SessionCommand.STOP_REQUEST


def test_a_command_in_quiet_is_acted_on_at_once() -> None:
    inbox = VoiceInbox()
    heard = HeardCommand("pause", 10.0)
    assert inbox.heard(heard, now=10.1) == heard


def test_a_command_heard_while_the_app_speaks_waits_for_the_cue_and_the_guard() -> None:
    inbox = VoiceInbox()
    inbox.app_sounds_until(12.0)
    assert inbox.heard(HeardCommand("next", 11.0), now=11.05) is None
    assert inbox.due(12.0) is None  # the cue just ended: the room may still ring
    assert inbox.due(12.0 + ECHO_GUARD - 0.01) is None
    assert inbox.due(12.0 + ECHO_GUARD) == HeardCommand("next", 11.0)
    assert inbox.due(13.0) is None  # acted on once


def test_the_last_command_said_during_a_cue_is_the_one_kept() -> None:
    inbox = VoiceInbox()
    inbox.app_sounds_until(20.0)
    inbox.heard(HeardCommand("pause", 18.0), now=18.0)
    inbox.heard(HeardCommand("continue", 19.0), now=19.0)
    assert inbox.due(21.0) == HeardCommand("continue", 19.0)


def test_a_later_cue_extends_the_wait_and_an_earlier_one_does_not_shorten_it() -> None:
    inbox = VoiceInbox()
    inbox.app_sounds_until(5.0)
    inbox.app_sounds_until(3.0)
    assert inbox.quiet_from() == 5.0 + ECHO_GUARD
    inbox.heard(HeardCommand("back", 4.0), now=4.0)
    inbox.app_sounds_until(7.0)
    assert inbox.due(6.0) is None
    assert inbox.due(7.0 + ECHO_GUARD) is not None


def test_an_unknown_word_is_never_acted_on() -> None:
    inbox = VoiceInbox()
    assert inbox.heard(HeardCommand("banana", 1.0), now=1.0) is None
    assert inbox.due(100.0) is None
