"""Holding a session's clock until its first words can be heard on time.

A session whose clock started before its first phrases were rendered would say its first
announcement a second late (or not through the app's own output at all). So the session start
asks a :class:`VoiceGate` to wait until the clips of the first two steps are loaded (the
lead-in's and the first step's, or the resumed step's and the next): at once when they are
cached, usually well under a second when they must be rendered. After
:data:`NOTICE_AFTER_SECONDS` the session screen says so; after :data:`GIVE_UP_AFTER_SECONDS`
the session starts anyway, on visual cues, with a notice. Nothing here knows about sessions:
the caller passes the phrases and what to do when ready.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer

from timer_app.core.clock import monotonic
from timer_app.core.cues import CueKind
from timer_app.core.reannounce import reannouncement

if TYPE_CHECKING:
    from timer_app.core.timeline import Step, Timeline
    from timer_app.speech.speaker import Speaker

NOTICE_AFTER_SECONDS = 0.3
GIVE_UP_AFTER_SECONDS = 3.0
POLL_MS = 10
PREPARING = "Preparing the voice…"
NOT_READY = "The voice is not ready yet: follow the screen until it is."


def first_phrases(steps: Sequence[Step], count: int = 2) -> list[str]:
    """What the first ``count`` steps say, in order (the phrases worth waiting for)."""
    return [cue.text for step in steps[:count] for cue in step.cues if cue.text]


class ResumePoint(Protocol):
    """Where an interrupted session goes on (a stored session record has these)."""

    @property
    def step_index(self) -> int: ...
    @property
    def step_elapsed(self) -> float: ...


def first_phrases_of(timeline: Timeline, resume: ResumePoint | None) -> list[str]:
    """The phrases to wait for before ``timeline`` starts, or resumes at ``resume``: there,
    "Resuming. Left side, PAIL, …" replaces the step's own announcement (see
    :mod:`timer_app.core.reannounce`)."""
    if resume is None:
        return first_phrases(timeline.steps)
    step = timeline.steps[resume.step_index]
    phrases = first_phrases(timeline.steps[resume.step_index :])
    where = reannouncement(step, step.seconds - resume.step_elapsed, after_crash=True)
    if where is None or resume.step_elapsed <= 0:
        return phrases
    own = {cue.text for cue in step.cues if cue.kind is CueKind.ANNOUNCE}
    return [where.text, *(p for p in phrases if p not in own)]


def builtin_phrases(builtin_dir: Path | None, lead_in_seconds: int) -> list[str]:
    """Every phrase the built-in routines say (rendered at idle so a first session finds
    them cached and starts at once)."""
    from timer_app.core.library import discover_routines
    from timer_app.core.timeline import build_timeline, lead_in_timeline

    phrases: dict[str, None] = {}
    for entry in discover_routines(builtin_dir, None):
        if entry.routine is None:
            continue
        timeline = build_timeline(entry.routine)
        if lead_in_seconds > 0:
            phrases.update(dict.fromkeys(lead_in_timeline(timeline, lead_in_seconds).phrases()))
        phrases.update(dict.fromkeys(timeline.phrases()))
    return list(phrases)


class VoiceGate(QObject):
    """Waits (without blocking) until a speaker has a list of phrases ready, then calls back.

    Parent it to the session it starts: deleting the session deletes the gate and its timer,
    so a session stopped while waiting never starts.
    """

    def __init__(
        self,
        speaker: Speaker,
        show_notice: Callable[[str], None],
        clock: Callable[[], float] = monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._speaker = speaker
        self._show_notice = show_notice
        self._clock = clock
        self._phrases: list[str] = []
        self._go: Callable[[], None] | None = None
        self._since = 0.0
        self._notice_shown = False
        self._late = False  # started without the voice: the notice goes once it is ready
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def wait(self, phrases: Sequence[str], go: Callable[[], None]) -> None:
        """Call ``go`` once ``phrases`` are ready (at once if they are already)."""
        self._phrases = list(phrases)
        self._go = go
        self._since = self._clock()
        self._notice_shown = False
        self._timer.start()
        self.poll()

    def waiting(self) -> bool:
        return self._go is not None

    def cancel(self) -> None:
        self._go = None
        self._late = False
        self._timer.stop()

    def poll(self) -> None:
        """Check once (the 10 ms timer calls this; tests call it after moving the clock)."""
        if self._late:
            if self._speaker.is_ready(self._phrases):
                self._late = False
                self._timer.stop()
                self._show_notice("")
            return
        if self._go is None:
            self._timer.stop()
            return
        waited = self._clock() - self._since
        if self._speaker.is_ready(self._phrases):
            if self._notice_shown:
                self._show_notice("")
            self._release()
        elif waited >= GIVE_UP_AFTER_SECONDS:
            self._show_notice(NOT_READY)
            self._release()
            self._late = True
            self._timer.start()  # keep watching, to take the notice away
        elif waited >= NOTICE_AFTER_SECONDS and not self._notice_shown:
            self._notice_shown = True
            self._show_notice(PREPARING)

    def _release(self) -> None:
        go, self._go = self._go, None
        self._timer.stop()
        if go is not None:
            go()
