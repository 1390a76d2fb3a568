"""Writes a running session to the history store as it goes, so nothing on screen is lost.

The session row is created when the session starts and updated on every step change and pause;
a crash or ``kill -9`` leaves it "running", and the next start offers to resume it. Writes go
through :class:`~timer_app.ui.history_writes.HistoryWrites`; a failing one (disk full, file
removed) never stops the session: it is reported once as a notice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from timer_app.core.engine import EngineState
from timer_app.core.routine import Routine, Side
from timer_app.storage.history import History
from timer_app.ui.history_writes import HistoryWrites
from timer_app.ui.session_controller import SessionController

#: While a step runs, progress is saved at least this often (seconds of exercise).
PROGRESS_SAVE_SECONDS = 5.0


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
    ) -> None:
        super().__init__(parent)
        self.writes = writes
        self.controller = controller
        self._reported = False
        self.session_id: int | None = resume_id
        if resume_id is None:
            ids: list[int] = []
            self._write(
                lambda history: ids.append(
                    history.start_session(routine, controller.timeline, extra_round_side)
                )
            )
            self.session_id = ids[0] if ids else None
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
        sid = self.session_id
        if sid is None or controller.is_over:
            return False
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
        sid = self.session_id
        if sid is None:
            return
        status = "completed" if controller.state is EngineState.FINISHED else "stopped"
        active = controller.snapshot().active_seconds
        self._write(
            lambda history: history.end_session(sid, status, active, controller.log_entries())
        )

    def _write(self, action: Callable[[History], object]) -> bool:
        """Run one store call; False if it failed (reported once, the session goes on)."""
        done = self.writes.write(action, report=not self._reported)
        self._reported = self._reported or not done
        return done
