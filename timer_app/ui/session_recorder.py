"""Writes a running session to the history store as it goes, so nothing on screen is lost.

The session row is created when the session starts and updated on every step change and pause;
a crash or ``kill -9`` leaves it "running", and the next start offers to resume it. Writes go
through :class:`~timer_app.ui.history_writes.HistoryWrites`; a failing one (disk full, file
removed) never stops the session. What the user must know is said on the session screen at
once, through ``show_problem`` (given at construction, so even the very first write's failure
reaches the screen): why the session is not being saved, or "" once it is again. The recorder
keeps trying: a session row that could not be created is created at the next save, and a store
that lives in memory this run (read-only folder, full disk at start) is named as such for the
whole session.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from timer_app.core.engine import EngineState
from timer_app.core.routine import Routine, Side
from timer_app.storage.history import History
from timer_app.ui.history_writes import HistoryWrites
from timer_app.ui.session_controller import SessionController

#: The session screen's line while the history lives in memory for this run.
NOT_ON_DISK_NOTICE = (
    "Not saved to your history this time: the history file could not be opened."
    " When you quit, the app offers to export this run's sessions."
)

#: While a step runs, progress is saved at least this often (seconds of exercise), so a crash
#: 2 s into a step leaves a checkpoint that names it (one small UPDATE; WAL).
PROGRESS_SAVE_SECONDS = 2.0


class SessionRecorder(QObject):
    """Connects one controller to the store. ``session_id`` is the row it writes."""

    def __init__(
        self,
        writes: HistoryWrites,
        controller: SessionController,
        routine: Routine,
        extra_round_side: Side | None = None,
        resume_id: int | None = None,
        parent: QObject | None = None,
        show_problem: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.writes = writes
        self.controller = controller
        self._routine = routine
        self._extra_round_side = extra_round_side
        self._show_problem = show_problem or (lambda _text: None)
        #: What the session screen says about saving ("" while every write succeeds).
        self.problem = ""
        self.session_id: int | None = resume_id
        if not writes.history.on_disk:
            # Writes "succeed" into memory: only this line tells the user they are not kept.
            self._set_problem(NOT_ON_DISK_NOTICE)
        self._ensure_session_row()
        self._saved_at = 0.0  # active seconds at the last progress save
        controller.progress_saved.connect(self.save_progress)
        # Also every few seconds of exercise, so a crash mid-hold resumes close to where it
        # stopped (one small UPDATE; the display refresh and the cues drive it, nothing polls).
        controller.refresh.connect(self._save_if_due)
        controller.cue_due.connect(self._save_if_due)

    def _save_if_due(self, *_: object) -> None:
        if self.controller.snapshot().active_seconds - self._saved_at >= PROGRESS_SAVE_SECONDS:
            self.save_progress()

    def save_progress(self) -> bool:
        """Write where the session is now; True if written."""
        controller = self.controller
        if controller.is_over or not self._ensure_session_row():
            return False
        sid = self.session_id
        assert sid is not None
        now = controller.snapshot()
        self._saved_at = now.active_seconds
        return self._write(
            lambda history: history.update_progress(
                sid, now.step_index, now.elapsed, now.active_seconds, controller.log_entries()
            )
        )

    def finish(self) -> None:
        """Record how the session ended (completed or stopped)."""
        controller = self.controller
        if not self._ensure_session_row():
            return
        sid = self.session_id
        assert sid is not None
        status = "completed" if controller.state is EngineState.FINISHED else "stopped"
        active = controller.snapshot().active_seconds
        self._write(
            lambda history: history.end_session(sid, status, active, controller.log_entries())
        )

    def _ensure_session_row(self) -> bool:
        """Create the session's row if an earlier try failed; True once it exists."""
        if self.session_id is not None:
            return True
        ids: list[int] = []
        routine, timeline, extra = self._routine, self.controller.timeline, self._extra_round_side
        self._write(lambda history: ids.append(history.start_session(routine, timeline, extra)))
        self.session_id = ids[0] if ids else None
        return self.session_id is not None

    def _write(self, action: Callable[[History], object]) -> bool:
        """Run one store call; False if it failed. The session goes on either way; the
        screen says so at the first failure and clears once a write succeeds again."""
        done = self.writes.write(action, report=False)
        if not done:
            self._set_problem(f"{self.writes.last_error}. The app keeps trying.")
        elif self.writes.history.on_disk:
            self._set_problem("")
        return done

    def _set_problem(self, text: str) -> None:
        if text != self.problem:
            self.problem = text
            self._show_problem(text)
