"""Writes a running session to the history store as it goes, so nothing on screen is lost.

The session row is created when the session starts and updated on every step change and pause;
a crash or ``kill -9`` leaves it "running", and the next start offers to resume it. A failing
write (disk full, file removed) never stops the session: it is reported once as a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from timer_app.core.engine import EngineState
from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.storage.history import History
from timer_app.storage.records import HistoryError
from timer_app.ui.session_controller import SessionController

log = logging.getLogger(__name__)

#: While a step runs, progress is saved at least this often (seconds of exercise).
PROGRESS_SAVE_SECONDS = 5.0


class SessionRecorder(QObject):
    """Connects one controller to the store. ``session_id`` is the row it writes."""

    problem = Signal(str)

    def __init__(
        self,
        history: History,
        controller: SessionController,
        routine: Routine,
        extra_round_side: Side | None = None,
        resume_id: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.controller = controller
        self._reported = False
        self.session_id: int | None = resume_id
        if resume_id is None:
            ids: list[int] = []
            self._write(
                lambda: ids.append(
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
        if self.controller.engine.active_seconds() - self._saved_at >= PROGRESS_SAVE_SECONDS:
            self.save_progress()

    def save_progress(self) -> None:
        engine = self.controller.engine
        sid = self.session_id
        if sid is None or engine.is_over:
            return
        self._saved_at = engine.active_seconds()
        self._write(
            lambda: self.history.update_progress(
                sid, engine.index, engine.elapsed(), engine.active_seconds(), engine.log.to_list()
            )
        )

    def finish(self) -> None:
        """Record how the session ended (completed or stopped)."""
        engine = self.controller.engine
        sid = self.session_id
        if sid is None:
            return
        status = "completed" if engine.state is EngineState.FINISHED else "stopped"
        self._write(
            lambda: self.history.end_session(
                sid, status, engine.active_seconds(), engine.log.to_list()
            )
        )

    def save_results(self, results: list[ResultEntry], pending: bool = False) -> bool:
        sid = self.session_id
        if sid is None:
            return False
        return self._write(lambda: self.history.save_results(sid, results, pending))

    def _write(self, action: Callable[[], object]) -> bool:
        """Run one store call; False if it failed (reported once, the session goes on)."""
        try:
            action()
        except (HistoryError, OSError) as exc:
            log.warning("history write failed: %s", exc)
            if not self._reported:
                self._reported = True
                self.problem.emit(f"Could not save to your history: {exc}")
            return False
        return True
