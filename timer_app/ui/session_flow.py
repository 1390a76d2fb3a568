"""One session from "Get ready" to its results: the workflow the main window hands over.

:class:`SessionFlow` starts a routine (asking the before-drill heights first when the routine
wants them), runs the lead-in and then the routine on a :class:`SessionController`, records it
with a :class:`SessionRecorder`, asks the after-drill heights at the end ("Later" keeps them
pending), and at start-up offers the sessions a previous run left unfinished (resume, record
results, or discard). Results are asked through one injected
:class:`~timer_app.ui.results_prompter.ResultsPrompter`, and every history write goes through
one :class:`~timer_app.ui.history_writes.HistoryWrites`.

The main window keeps the pages; the flow says which one it wants (``page_wanted``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from timer_app import APP_NAME
from timer_app.core.commands import SessionCommand
from timer_app.core.engine import EngineState
from timer_app.core.library import RoutineEntry
from timer_app.core.results import ResultEntry, When, results_text
from timer_app.core.routine import PhaseKind, Routine, Side
from timer_app.core.routine_file import RoutineError
from timer_app.core.session_log import QUESTION_PAUSE
from timer_app.core.suspend import SuspendDetector
from timer_app.core.timeline import Step, Timeline, build_timeline, lead_in_timeline
from timer_app.core.weaker_side import WeakerSide, extra_round_for
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop
from timer_app.ui.history_writes import HistoryWrites, UnsavedResults
from timer_app.ui.plain_text import warn
from timer_app.ui.results_prompter import ResultsPrompter
from timer_app.ui.session_controller import SessionController
from timer_app.ui.session_overlays import KeysOverlay, StopOverlay
from timer_app.ui.session_remote import SessionRemote
from timer_app.ui.session_view import SessionView
from timer_app.ui.summary_view import SummaryView
from timer_app.ui.voice_gate import VoiceGate, first_phrases, first_phrases_of
from timer_app.ui.wake_lock import WakeLock

if TYPE_CHECKING:
    from timer_app.speech.speaker import Speaker
    from timer_app.storage.history import History
    from timer_app.storage.records import SessionRecord
    from timer_app.ui.session_recorder import SessionRecorder
    from timer_app.ui.voice_commands import VoiceCommands

log = logging.getLogger(__name__)

#: The "Get ready" count before a session resumed after a crash goes on.
RESUME_GET_READY_SECONDS = 5

#: The end screen's warning while the history lives in memory (the file could not be opened).
KEPT_IN_MEMORY_NOTICE = (
    "This session is kept only until you quit: the history file could not be opened."
    " Quitting offers to export this run's sessions as CSV."
)


class SessionFlow(QObject):
    """Owns the session in progress: its controller, recorder and results.

    ``parent`` is the window its dialogs open over. Signals: ``page_wanted`` ("start",
    "session" or "summary"), ``title_changed`` (the routine's name, "" between sessions),
    ``results_saved`` (the history changed: notes that depend on it are stale),
    ``settings_changed`` (the last routine, unit or block changed: save the settings),
    ``muted_changed`` and ``session_active``.
    """

    page_wanted = Signal(str)
    title_changed = Signal(str)
    results_saved = Signal()
    settings_changed = Signal()
    muted_changed = Signal(bool)  # the voice is muted for this session (M) or not
    session_active = Signal(bool)  # a session shows (its keys and the mute item apply)

    def __init__(
        self,
        *,
        settings: Settings,
        speaker: Speaker,
        wake_lock: WakeLock,
        clock: Callable[[], float],
        detector_factory: Callable[[], SuspendDetector],
        prompter: ResultsPrompter,
        session_view: SessionView,
        summary_view: SummaryView,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self.settings = settings
        self.speaker = speaker
        self.wake_lock = wake_lock
        self.clock = clock
        self.detector_factory = detector_factory
        self.prompter = prompter
        self.session_view = session_view
        self.summary_view = summary_view
        self.writes: HistoryWrites | None = None
        self.controller: SessionController | None = None
        self.recorder: SessionRecorder | None = None
        self.entry: RoutineEntry | None = None
        self._before: list[ResultEntry] = []
        self._pending_session_id: int | None = None
        self._kept: UnsavedResults | None = None
        # Media keys, presenter clickers and MPRIS follow the session while it shows.
        self.remote = SessionRemote(
            session_view, self.request_stop, parent=self, overlay_answer=self._overlay_answer
        )
        summary_view.results_requested.connect(self.record_results_now)
        speaker.notice_changed.connect(session_view.set_sound_notice)
        session_view.set_sound_notice(speaker.notice())
        session_view.set_muted(settings.muted)
        # Questions and help during a session are overlays in the session screen, read from
        # the floor; the session pauses behind them.
        self.stop_overlay = StopOverlay(session_view, clock)
        self.stop_overlay.keep_going.connect(self._keep_going)
        self.stop_overlay.stop_confirmed.connect(self._stop_confirmed)
        self.voice: VoiceCommands | None = None
        #: Why voice commands cannot work here ("" when they can); the window checks it.
        self.voice_unavailable = ""
        #: The listening process's command line (None: ``timer_app.voice.listen``).
        self.voice_program: list[str] | None = None
        self.keys_overlay = KeysOverlay(session_view)
        self.keys_overlay.closed.connect(self._keys_closed)
        self._resume_after_question = False
        #: A session whose voice became ready while the stop question showed starts only if
        #: the answer is to keep going.
        self._start_after_question: Callable[[], None] | None = None

    # ------------------------------------------------------------ collaborators
    @property
    def history(self) -> History | None:
        return self.writes.history if self.writes is not None else None

    def attach_history(self, history: History) -> None:
        """Use ``history`` from now on (it opens after the window's first paint)."""
        self.writes = HistoryWrites(history, self._window, parent=self)
        self.writes.problem.connect(self.session_view.show_notice)
        self.writes.unsaved_changed.connect(self._show_unsaved)
        # Back on disk with what memory kept: views of the history (and its notes) are stale.
        self.writes.reconnected.connect(self.results_saved)

    def weaker_side(self, routine: Routine) -> WeakerSide | None:
        """The extra round for the weaker side, if the history shows one."""
        history = self.history
        if history is None:
            return None
        return extra_round_for(
            routine, history.latest_results(routine.id), self.settings.block_height_cm
        )

    # ------------------------------------------------------------------ start
    def start(
        self,
        entry: RoutineEntry,
        timeline: Timeline | None = None,
        resume: SessionRecord | None = None,
    ) -> None:
        """Start ``entry``'s routine, or continue an interrupted session (``resume``)."""
        routine = entry.routine
        if routine is None or self.controller is not None:
            return
        extra_side: Side | None = None
        self._before = []
        if timeline is None:
            weaker = self.weaker_side(routine)
            extra_side = weaker.side if weaker else None
            timeline = build_timeline(routine, extra_round_side=extra_side)
            # With a timed test step, the before heights are asked after it (in _begin);
            # without one, there is nothing to wait for: ask now.
            if _before_test_steps(routine, timeline) == 0 and _measures_before(routine):
                self._before = self._ask_before(routine) or []
        elif resume is not None:
            self._before = [r for r in resume.results if r.when == When.BEFORE]
        self.entry = entry
        self.set_muted(self.settings.muted)  # each session starts from the voice setting
        self.settings.last_routine_id = entry.id
        self.settings_changed.emit()
        lead_in = self.settings.lead_in_seconds if resume is None else 0
        if resume is not None:
            self._run_resume(entry, timeline, resume)
        elif lead_in > 0:
            self._run_lead_in(entry, timeline, extra_side, lead_in)
        else:
            self.speaker.prepare(first_phrases_of(timeline, resume) + timeline.phrases())
            self._begin(entry, timeline, extra_side, resume)

    def _new_controller(
        self, timeline: Timeline, then: Timeline | None = None
    ) -> SessionController:
        return SessionController(
            timeline,
            self.speaker,
            self.wake_lock,
            clock=self.clock,
            suspend_detector=self.detector_factory(),
            parent=self,
            then=then,
        )

    def _run_lead_in(
        self, entry: RoutineEntry, timeline: Timeline, extra_side: Side | None, seconds: int
    ) -> None:
        """ "Get ready" before the routine, with its own countdown; nothing is recorded until
        the routine itself begins, so stopping here leaves no history behind."""
        lead = lead_in_timeline(timeline, seconds)
        self.speaker.prepare([*lead.phrases(), *timeline.phrases()])
        controller = self._new_controller(lead, then=timeline)

        def finished() -> None:
            self._drop_controller(controller)
            self._begin(entry, timeline, extra_side, None)

        def stopped() -> None:
            self._drop_controller(controller)
            self._after_session()
            self._want_page("start")

        controller.finished.connect(finished)
        controller.stopped.connect(stopped)
        self.controller = controller
        self._show_session(controller, entry, stage="lead_in")
        self._start_when_voice_ready(
            controller, first_phrases([*lead.steps, *timeline.steps]), controller.start
        )

    def _run_resume(self, entry: RoutineEntry, timeline: Timeline, resume: SessionRecord) -> None:
        """A session interrupted by a crash comes back paused, at the start of the step it
        was in, saying so; Space then gives a short "Get ready" count before that step runs
        from its start. Nobody is in position the moment the app restarts."""
        at = min(max(resume.step_index, 0), len(timeline.steps) - 1)
        rest = Timeline(timeline.routine_id, timeline.routine_name, timeline.steps[at:])
        lead = lead_in_timeline(timeline, RESUME_GET_READY_SECONDS, first_index=at)
        self.speaker.prepare([*lead.phrases(), *timeline.phrases()])
        controller = self._new_controller(lead, then=rest)
        where = resume_words(timeline.steps[at])

        def finished() -> None:
            self._drop_controller(controller)
            self._begin(entry, timeline, None, resume)

        def stopped() -> None:  # not resumed after all: it stays unfinished, offered again
            self._drop_controller(controller)
            self._after_session()
            self._want_page("start")

        def start_paused() -> None:
            controller.start(paused=True)
            self.session_view.show_notice(
                f"Resuming: {where}. Press Space when you are in position."
            )

        controller.finished.connect(finished)
        controller.stopped.connect(stopped)
        self.controller = controller
        self._show_session(controller, entry, stage="lead_in")
        self._start_when_voice_ready(controller, first_phrases([*lead.steps]), start_paused)

    def _drop_controller(self, controller: SessionController) -> None:
        controller.shutdown()
        if self.controller is controller:
            self.controller = None
        controller.deleteLater()

    def _show_session(self, controller: SessionController, entry: RoutineEntry, stage: str) -> None:
        self.session_view.set_save_problem(self._store_problem())
        self.session_view.attach(controller)
        self.session_active.emit(True)
        self._want_page("session")
        self.remote.attach(controller, stage)
        self._listen_for_voice()
        self.title_changed.emit(entry.routine.name if entry.routine is not None else "")

    def _store_problem(self) -> str:
        """What the session screen says before the first write: that the history lives in
        memory this run (a read-only folder, a full disk at start), else nothing."""
        history = self.history
        if history is None or history.on_disk:
            return self.recorder.problem if self.recorder is not None else ""
        from timer_app.ui.session_recorder import NOT_ON_DISK_NOTICE

        return NOT_ON_DISK_NOTICE

    def _listen_for_voice(self) -> None:
        """Voice commands on (and possible here): listen while the session shows."""
        if not self.settings.voice_commands or self.voice is not None:
            return
        from timer_app.ui.voice_commands import VoiceCommands

        if self.voice_unavailable:
            return
        self.voice = VoiceCommands(
            self.speaker,
            self._voice_command,
            lambda: self.controller,
            self.clock,
            parent=self,
            program=self.voice_program,
        )
        self.voice.status_changed.connect(self.session_view.mic_badge.show_status)
        self.voice.start()

    def _voice_command(self, command: SessionCommand) -> None:
        """A spoken command. "timer stop" while the stop question shows is the answer the
        spoken question asked for (however long the person took to say it); the rest go to
        the one command runner, as a remote's would."""
        if command is SessionCommand.STOP_REQUEST and self.stop_overlay.isVisible():
            self.stop_overlay.confirm()
            return
        self.remote.run(command)

    def _stop_listening(self) -> None:
        if self.voice is not None:
            self.voice.stop()
            self.voice.deleteLater()
            self.voice = None

    def _want_page(self, page: str) -> None:
        if page != "session":
            self.remote.detach()
            self._stop_listening()
        self.page_wanted.emit(page)

    def _begin(
        self,
        entry: RoutineEntry,
        timeline: Timeline,
        extra_side: Side | None,
        resume: SessionRecord | None,
    ) -> None:
        """Run the routine itself, written to the history as it goes."""
        routine = entry.routine
        assert routine is not None
        controller = self._new_controller(timeline)
        controller.finished.connect(self._on_session_over)
        controller.stopped.connect(self._on_session_over)
        self.controller = controller
        if self.writes is not None:
            from timer_app.ui.session_recorder import SessionRecorder

            self.recorder = SessionRecorder(
                self.writes,
                controller,
                routine,
                extra_round_side=extra_side,
                resume_id=resume.id if resume is not None else None,
                parent=controller,
                show_problem=self.session_view.set_save_problem,
            )
            if self._before:
                self._save_results(self._before)
        tested = _before_test_steps(routine, timeline) if resume is None else 0
        if tested:
            controller.engine.hold_at(tested)
            controller.step_started.connect(
                lambda index: self._after_before_test(controller, routine, index, tested)
            )
        self._show_session(controller, entry, stage="step")
        if resume is not None:
            # The interrupted step runs again from its start; what was done, skipped and cut
            # short before the crash stays in the log, and its time in the total.
            controller.engine.restore(list(resume.log), resume.done_seconds)
            at, elapsed = resume.step_index, 0.0
            self._start_when_voice_ready(
                controller,
                first_phrases_of(timeline, resume),
                lambda: controller.start(at, elapsed),
            )
        else:
            self._start_when_voice_ready(
                controller, first_phrases_of(timeline, None), controller.start
            )

    def _ask_before(self, routine: Routine) -> list[ResultEntry] | None:
        return self.prompter.ask(
            sides=routine.main.side_order, when=When.BEFORE, routine_name=routine.name
        )

    def _after_before_test(
        self, controller: SessionController, routine: Routine, index: int, held: int
    ) -> None:
        """The timed block-height test is over (the session waits, paused, at the step after
        it): now ask the heights it measured, then wait for Space."""
        if index != held or not controller.is_paused or controller is not self.controller:
            return
        # After the controller has finished handling this step change (not inside it).
        QTimer.singleShot(0, self, lambda: self._ask_before_now(controller, routine))

    def _ask_before_now(self, controller: SessionController, routine: Routine) -> None:
        if controller is not self.controller or not controller.is_paused:
            return
        before = self._ask_before(routine)
        self._before = before or []
        if self._before:
            self._save_results(self._before)
        self.session_view.show_notice(
            ("Heights saved. " if self._before else "") + "Press Space when you are in position."
        )

    def _start_when_voice_ready(
        self, controller: SessionController, phrases: list[str], start: Callable[[], None]
    ) -> None:
        """Start the session's clock once its first words can be heard on time (at most a
        few seconds later; see voice_gate)."""
        gate = VoiceGate(self.speaker, self.session_view.show_notice, self.clock, controller)

        def go() -> None:
            if self.stop_overlay.isVisible():
                self._start_after_question = start  # nothing starts behind the question
            else:
                start()

        gate.wait(phrases, go)

    # ------------------------------------------------------------------ stop
    def request_stop(self) -> None:
        """Esc: ask in the session screen; the session pauses while the question shows."""
        controller = self.controller
        if controller is None or controller.is_over:
            return
        if self.stop_overlay.isVisible():
            return
        self.keys_overlay.close_overlay()
        was_running = controller.is_running
        if was_running:
            # The clock must not run while the user reads the question (not a pause of theirs)
            controller.pause(reason=QUESTION_PAUSE)
        self._resume_after_question = was_running
        if controller.then is None:  # the routine itself (a stopped "Get ready" says nothing)
            controller.prepare_end_words()
        self.stop_overlay.ask()

    def _keep_going(self) -> None:
        start, self._start_after_question = self._start_after_question, None
        if start is not None:
            start()  # the voice became ready while the stop question showed
        controller = self.controller
        if controller is not None and self._resume_after_question and controller.is_paused:
            controller.resume()
        self._resume_after_question = False

    def _stop_confirmed(self) -> None:
        self._resume_after_question = False
        self._start_after_question = None
        if self.controller is not None:
            self.controller.stop()

    def confirm_stop(self, quitting: bool = False) -> bool:
        """Closing the window during a session: ask (modally), the clock paused meanwhile.
        True if no session runs any more."""
        controller = self.controller
        if controller is None or controller.is_over:
            return True
        was_running = controller.is_running
        if was_running:
            controller.pause()
        if ConfirmStop.ask(self._window, quitting=quitting):
            controller.stop()
            return True
        if was_running:
            controller.resume()
        return False

    def _overlay_answer(self, command: SessionCommand) -> bool:
        """A remote's command while an overlay covers the session: Stop again confirms the stop
        question (as a second Esc), play/resume keeps going (or closes the keys and goes on);
        anything else waits, so nothing happens behind the overlay. False: no overlay open."""
        keep = command in (SessionCommand.TOGGLE_PAUSE, SessionCommand.RESUME)
        if self.stop_overlay.isVisible():
            if command is SessionCommand.STOP_REQUEST:
                self.stop_overlay.asked_again()
            elif keep:
                self.stop_overlay.answer_keep_going()
            return True
        if self.keys_overlay.isVisible():
            if keep:
                self.keys_overlay.close_and_continue()
            elif command is SessionCommand.STOP_REQUEST:
                self.request_stop()
            return True
        return False

    def pause_for(self, why: str) -> bool:
        """Pause a running session because something now covers it, and say so on the
        session screen. True if it was running (and is now paused)."""
        controller = self.controller
        if controller is None or not controller.is_running:
            return False
        controller.pause()
        self.session_view.show_notice(f"Paused while {why}. Press Space to continue.")
        return True

    def show_keys_overlay(self) -> bool:
        """F1 over a running session: the keys as an overlay, the session paused behind it.
        False if no session shows (the window opens the keys dialog instead)."""
        controller = self.controller
        if controller is None:
            return False
        if self.stop_overlay.isVisible():
            return True
        paused = controller.is_running
        if paused:
            controller.pause()
        self.keys_overlay.show_keys(paused_for_it=paused)
        return True

    def _keys_closed(self, resume: bool) -> None:
        controller = self.controller
        if resume and controller is not None and controller.is_paused:
            controller.resume()

    # ------------------------------------------------------------------ mute
    def toggle_mute(self) -> None:
        """M: mute or unmute the voice for the running session only."""
        if self.controller is not None:
            self.set_muted(not self.speaker.is_muted())

    def set_muted(self, muted: bool) -> None:
        self.speaker.set_muted(muted)
        self.session_view.set_muted(muted)
        self.muted_changed.emit(muted)

    def _after_session(self) -> None:
        """A session's mute ends with it (back to the lasting voice setting), and nothing it
        showed over the session screen stays."""
        self.set_muted(self.settings.muted)
        self.session_active.emit(False)
        self.stop_overlay.hide()
        self.keys_overlay.hide()

    def attach_speaker(self, speaker: Speaker) -> None:
        """Use ``speaker`` from now on (the app creates the real one after the first paint)."""
        self.speaker.notice_changed.disconnect(self.session_view.set_sound_notice)
        self.speaker = speaker
        speaker.notice_changed.connect(self.session_view.set_sound_notice)
        self.session_view.set_sound_notice(speaker.notice())
        speaker.set_muted(self.settings.muted)

    def shutdown(self) -> None:
        """The app is closing: stop timers and give back the wake lock and the speaker."""
        if self.controller is not None:
            self.controller.shutdown()
        self.remote.detach()
        self._stop_listening()
        self.wake_lock.release()
        self.speaker.shutdown()

    def save_now(self) -> bool:
        """Write the running session's progress now (the crash handler calls this), so the
        next start can resume it where it was. True if a session was saved."""
        return self.recorder is not None and self.recorder.save_progress()

    # --------------------------------------------------------------- results
    def _save_results(self, results: list[ResultEntry], pending: bool = False) -> bool:
        recorder, writes = self.recorder, self.writes
        if recorder is None or writes is None or recorder.session_id is None:
            return False
        name = self.entry.routine.name if self.entry and self.entry.routine else ""
        return writes.save_results(recorder.session_id, name, results, pending)

    def _on_session_over(self) -> None:
        controller = self.controller
        if controller is None:
            return
        controller.shutdown()
        if controller.state is EngineState.STOPPED:
            # Stopped early: say what was done (the finished session's words are its last
            # cue), before the session's own mute ends with it.
            controller.say_end_words()
        self._after_session()
        routine = self.entry.routine if self.entry else None
        recorder = self.recorder
        if recorder is not None:
            recorder.finish()
        self.summary_view.show_session(controller.summary(), routine.name if routine else "")
        self.summary_view.set_results_button(False)
        self._want_page("summary")
        self.title_changed.emit("")
        self.controller = None
        completed = controller.state is EngineState.FINISHED
        controller.deleteLater()
        if routine is not None and completed and routine.measurement is not None:
            if routine.measurement.after:
                self._ask_after_results(routine)
            elif self._before:
                self.summary_view.set_results_text(self._text(self._before))
        if self.writes is not None and self.writes.unsaved is not None:
            self._show_unsaved()  # refused earlier (the before-drill heights): still kept
        history = self.history
        in_memory = history is not None and not history.on_disk
        self.summary_view.set_storage_note(KEPT_IN_MEMORY_NOTICE if in_memory else "")
        self.recorder = None

    def _ask_after_results(self, routine: Routine) -> None:
        """The block-height prompt after the drill; "Later" keeps the results pending."""
        recorder = self.recorder
        # Pending first: if the app dies while the prompt is open, the history still knows
        # this session's results are to be filled in.
        self._save_results(self._before, pending=True)
        after = self.prompter.ask(
            sides=routine.main.side_order,
            when=When.AFTER,
            routine_name=routine.name,
            before=self._before or None,
        )
        if after is None:
            self.summary_view.set_results_text("Results: to fill in later (History, H).")
            self._pending_session_id = recorder.session_id if recorder is not None else None
            self.summary_view.set_results_button(recorder is not None, "Record results now")
            return
        results = [*self._before, *after]
        saved = self._save_results(results)
        self.summary_view.set_results_text(self._text(results))
        if saved:
            self.results_saved.emit()

    def _text(self, results: list[ResultEntry]) -> str:
        return results_text(results, self.settings.result_unit, self.settings.block_height_cm)

    def record_results_now(self) -> None:
        """The summary's button: "Record results now" after "Later", or "Save results again"
        after the history refused them."""
        writes = self.writes
        if writes is not None and writes.unsaved is not None:
            if writes.retry():
                self.results_saved.emit()
            return
        session_id = self._pending_session_id
        history = self.history
        if history is None or session_id is None:
            return
        self._fill_results(history.get(session_id))
        record = history.get(session_id)
        if not record.results_pending:
            self.summary_view.set_results_button(False)
            self.summary_view.set_results_text(self._text(list(record.results)))
            self.results_saved.emit()

    def _show_unsaved(self) -> None:
        """Results the history refused stay on the end screen, with a button to save them
        again; once saved, the screen shows them as usual."""
        writes = self.writes
        kept = writes.unsaved if writes is not None else None
        if kept is not None:
            self._kept = kept
            self.summary_view.set_results_text(
                f"{self._text(list(kept.results))}\nNot saved yet: {kept.reason}"
            )
            self.summary_view.set_results_button(True, "Save results again")
        elif self._kept is not None:
            done, self._kept = self._kept, None
            self.summary_view.set_results_button(False)
            self.summary_view.set_results_text(
                "Results: to fill in later (History, H)."
                if done.pending
                else self._text(list(done.results))
            )

    def _fill_results(self, record: SessionRecord) -> None:
        from timer_app.ui.history_model import sides_of

        writes = self.writes
        assert writes is not None
        self._pending_session_id = record.id
        before = [r for r in record.results if r.when == When.BEFORE]
        after = self.prompter.ask(
            sides=sides_of(record),
            when=When.AFTER,
            routine_name=record.routine_name,
            before=before or None,
        )
        if after is None:
            writes.save_results(record.id, record.routine_name, before, pending=True)
        else:
            writes.save_results(record.id, record.routine_name, [*before, *after])

    # -------------------------------------------------------------- recovery
    def offer_recovery(self) -> None:
        """At start-up: sessions a previous run left unfinished (crash, kill, power cut)."""
        history, writes = self.history, self.writes
        if history is None or writes is None:
            return
        from timer_app.ui.recovery_dialog import RecoveryDialog

        if history.notice:
            warn(self._window, APP_NAME, history.notice)
        records = history.interrupted()
        while records:  # one dialog lists them all; it comes back after recording results
            answer = RecoveryDialog.ask(self._window, records)
            refused = [
                r
                for r in answer.discarded
                if not writes.write(partial(_discard, r.id), report=False)
            ]
            if refused:
                warn(self._window, APP_NAME, writes.last_error)
            chosen = answer.record
            if chosen is None:
                break  # decide later (for the ones not discarded)
            if answer.choice == "resume":
                self._resume(chosen)
                break  # one session at a time; others are offered next start
            if writes.write(partial(_end_interrupted, chosen.id), report=False):
                self._fill_results(chosen)
            else:
                warn(self._window, APP_NAME, writes.last_error)
                break  # the store refuses writes: asking again would loop
            done = {chosen.id, *(r.id for r in answer.discarded)}
            records = [r for r in records if r.id not in done]
        self.results_saved.emit()

    def _resume(self, record: SessionRecord) -> None:
        from timer_app.ui.recovery_dialog import resume_timeline

        writes = self.writes
        assert writes is not None
        try:
            timeline = resume_timeline(record)
            routine = record.routine()
        except (RoutineError, ValueError) as exc:
            warn(self._window, APP_NAME, f"This session cannot be resumed: {exc}")
            return
        resumed: list[SessionRecord] = []
        if not writes.write(lambda h: resumed.append(h.resume_session(record.id)), False):
            warn(self._window, APP_NAME, writes.last_error)
            return
        entry = RoutineEntry(Path(routine.source or "history"), builtin=False, routine=routine)
        self.start(entry, timeline=timeline, resume=resumed[0])


def _measures_before(routine: Routine) -> bool:
    return routine.measurement is not None and routine.measurement.before


def _before_test_steps(routine: Routine, timeline: Timeline) -> int:
    """How many timed "before" block-height test steps open ``timeline`` (0: none)."""
    if not _measures_before(routine):
        return 0
    count = 0
    for step in timeline.steps:
        if step.kind is not PhaseKind.MEASURE:
            break
        count += 1
    return count if count < len(timeline.steps) else 0


def resume_words(step: Step) -> str:
    """Where a resumed session picks up, e.g. "Left side, round 2, PAIL"."""
    parts = []
    if step.side is not Side.NONE:
        parts.append(f"{step.side.value.capitalize()} side")
    if step.rounds > 1:
        parts.append(f"round {step.round}")
    parts.append(step.title)
    return ", ".join(parts)


def _end_interrupted(session_id: int, history: History) -> None:
    history.end_session(session_id, "interrupted")


def _discard(session_id: int, history: History) -> None:
    history.discard(session_id)
