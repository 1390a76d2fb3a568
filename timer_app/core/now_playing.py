"""What a desktop's media widget shows about the running session ("now playing").

Built from a session snapshot, with no Qt and no D-Bus, so the wording is tested on its own;
the MPRIS service (``ui.mpris``) only publishes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from timer_app.core.engine import EngineState
from timer_app.core.routine import Side
from timer_app.core.snapshot import SessionSnapshot
from timer_app.core.timeline import Step


class PlaybackStatus(StrEnum):
    """MPRIS ``PlaybackStatus`` values."""

    PLAYING = "Playing"
    PAUSED = "Paused"
    STOPPED = "Stopped"


@dataclass(frozen=True)
class NowPlaying:
    """The current step as a media "track": title, routine, length and a stable id."""

    status: PlaybackStatus
    title: str
    routine_name: str
    length_seconds: float
    #: Unique per step of the session (a "track" of the session's "playlist").
    track_key: str


def step_title(step: Step) -> str:
    """E.g. "Left · PAIL · round 2 of 3"; "Hip CARs, clockwise" for a step with no side."""
    parts: list[str] = []
    if step.side is not Side.NONE:
        parts.append(step.side.value.capitalize())
    parts.append(step.title)
    if step.rounds > 1:
        parts.append(f"round {step.round} of {step.rounds}")
    return " · ".join(parts)


def playback_status(state: EngineState) -> PlaybackStatus:
    if state is EngineState.RUNNING:
        return PlaybackStatus.PLAYING
    if state is EngineState.PAUSED:
        return PlaybackStatus.PAUSED
    return PlaybackStatus.STOPPED


def now_playing(snapshot: SessionSnapshot, stage: str = "step") -> NowPlaying:
    """The session in ``snapshot`` as a media widget sees it. ``stage`` tells apart timelines
    of one session ("lead_in" for the "Get ready" before the routine), so track ids stay
    unique."""
    return NowPlaying(
        status=playback_status(snapshot.state),
        title=step_title(snapshot.step),
        routine_name=snapshot.routine_name,
        length_seconds=snapshot.step_length,
        track_key=f"{stage}{snapshot.step_index}",
    )
