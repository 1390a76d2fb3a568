"""The session-command vocabulary and what a media widget is told about the session."""

from __future__ import annotations

from tests.helpers.clock import FakeClock
from timer_app.core.commands import (
    MEDIA,
    MPRIS_METHODS,
    PRESENTER,
    REMOTE_KEYS,
    SessionCommand,
    remote_key_help,
)
from timer_app.core.engine import SessionEngine
from timer_app.core.now_playing import PlaybackStatus, now_playing, step_title
from timer_app.core.routine import PhaseKind, Side
from timer_app.core.snapshot import take_snapshot
from timer_app.core.timeline import Step, Timeline


def test_every_mpris_player_method_is_a_command() -> None:
    assert MPRIS_METHODS == {
        "PlayPause": SessionCommand.TOGGLE_PAUSE,
        "Play": SessionCommand.RESUME,
        "Pause": SessionCommand.PAUSE,
        "Next": SessionCommand.NEXT,
        "Previous": SessionCommand.PREVIOUS,
        "Stop": SessionCommand.STOP_REQUEST,
    }


def test_a_headset_play_button_toggles() -> None:
    # Most headsets send Play for their only button: it must pause a running session too.
    by_key = {k.key: k.command for k in REMOTE_KEYS}
    assert by_key["Media Play"] is SessionCommand.TOGGLE_PAUSE
    assert by_key["Media Pause"] is SessionCommand.PAUSE
    assert by_key["Media Stop"] is SessionCommand.STOP_REQUEST


def test_keys_help_groups_keys_by_remote() -> None:
    groups = dict(remote_key_help())
    assert list(groups) == [MEDIA, PRESENTER]
    assert groups[PRESENTER] == [
        ("Page Down", "Skip to the next step"),
        ("Page Up", "Restart this step (press again quickly: previous step)"),
        ("B, . (period), F5, Shift+F5", "Pause or resume"),
        ("Esc", "Stop the session (asks first)"),
    ]
    assert groups[MEDIA][0] == ("Play/Pause, Play", "Pause or resume")


def _step(index: int, side: Side, round_: int = 0, rounds: int = 0, **kw: object) -> Step:
    return Step(
        index=index,
        kind=kw.get("kind", PhaseKind.PAIL),  # type: ignore[arg-type]
        name=str(kw.get("name", "PAIL")),
        side=side,
        seconds=int(kw.get("seconds", 20)),  # type: ignore[call-overload]
        round=round_,
        rounds=rounds,
        direction=str(kw.get("direction", "")),
    )


def test_step_titles_name_side_phase_and_round() -> None:
    assert step_title(_step(0, Side.LEFT, 2, 3)) == "Left · PAIL · round 2 of 3"
    assert step_title(_step(0, Side.RIGHT, 1, 1)) == "Right · PAIL"  # one round: no count
    cars = _step(0, Side.NONE, kind=PhaseKind.CARS, name="Hip CARs", direction="clockwise")
    assert step_title(cars) == "Hip CARs, clockwise"


def test_now_playing_follows_the_engine() -> None:
    clock = FakeClock()
    timeline = Timeline(
        routine_id="t",
        routine_name="Hip internal rotation, lying",
        steps=(_step(0, Side.LEFT, 1, 2, seconds=30), _step(1, Side.LEFT, 2, 2, seconds=20)),
    )
    engine = SessionEngine(timeline, clock)
    assert now_playing(take_snapshot(engine)).status is PlaybackStatus.STOPPED  # not started yet
    engine.start()
    now = now_playing(take_snapshot(engine))
    assert now.status is PlaybackStatus.PLAYING
    assert now.title == "Left · PAIL · round 1 of 2"
    assert now.routine_name == "Hip internal rotation, lying"
    assert now.length_seconds == 30
    assert now.track_key == "step0"
    engine.adjust(10)
    assert now_playing(take_snapshot(engine)).length_seconds == 40
    engine.pause()
    assert now_playing(take_snapshot(engine)).status is PlaybackStatus.PAUSED
    engine.resume()
    engine.next_step()
    assert now_playing(take_snapshot(engine), "lead_in").track_key == "lead_in1"
    assert now_playing(take_snapshot(engine)).title == "Left · PAIL · round 2 of 2"
    engine.stop()
    assert now_playing(take_snapshot(engine)).status is PlaybackStatus.STOPPED
