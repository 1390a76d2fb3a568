"""The main window: start screen → session → end screen, with menus and window-level keys.

Side effects come in through the constructor (speaker, wake lock, clock, store), so tests run
the real window with fakes and a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from timer_app import APP_NAME
from timer_app.core.clock import monotonic
from timer_app.core.commands import SessionCommand
from timer_app.core.engine import EngineState
from timer_app.core.library import RoutineEntry, discover_routines
from timer_app.core.routine import Routine, Side
from timer_app.core.routine_file import RoutineError, load_routine
from timer_app.core.routine_store import Folders
from timer_app.core.suspend import SuspendDetector
from timer_app.core.timeline import Timeline, build_timeline, lead_in_timeline
from timer_app.core.units import format_height, from_cm
from timer_app.core.weaker_side import extra_round_for
from timer_app.settings import Settings
from timer_app.ui.dialogs import ConfirmStop, KeysDialog
from timer_app.ui.screen_fit import fit_to_screen
from timer_app.ui.session_controller import SessionController
from timer_app.ui.session_overlays import KeysOverlay, StopOverlay
from timer_app.ui.session_remote import SessionRemote
from timer_app.ui.session_view import SessionView
from timer_app.ui.start_screen import StartScreen
from timer_app.ui.summary_view import SummaryView
from timer_app.ui.voice_gate import VoiceGate, first_phrases, first_phrases_of
from timer_app.ui.wake_lock import WakeLock

if TYPE_CHECKING:
    from timer_app.core.results import ResultEntry
    from timer_app.speech.speaker import Speaker
    from timer_app.storage.history import History
    from timer_app.storage.records import SessionRecord
    from timer_app.ui.history_view import HistoryWindow
    from timer_app.ui.quick_adjust import QuickAdjustPanel
    from timer_app.ui.session_recorder import SessionRecorder

# Dialogs, the editor and the store's modules are imported where they are first used, so
# start-up (launch to first painted window) pays only for the start screen.

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window. One session at a time."""

    def __init__(
        self,
        *,
        settings: Settings,
        speaker: Speaker,
        wake_lock: WakeLock,
        builtin_dir: Path | None,
        user_dir: Path | None,
        clock: Callable[[], float] = monotonic,
        suspend_detector_factory: Callable[[], SuspendDetector] | None = None,
        settings_path: Path | None = None,
        history: History | None = None,
        preload_chart_after_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.recorder: SessionRecorder | None = None
        self._before: list[ResultEntry] = []
        self._pending_session_id: int | None = None
        self._history_window: HistoryWindow | None = None
        self.settings = settings
        self.settings_path = settings_path
        self.speaker = speaker
        self.wake_lock = wake_lock
        self.clock = clock
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self._detector_factory = suspend_detector_factory or (
            lambda: SuspendDetector(monotonic=clock)
        )
        self.controller: SessionController | None = None
        self.session_entry: RoutineEntry | None = None
        self._extra_entries: list[RoutineEntry] = []

        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(640, 420)

        self.stack = QStackedWidget()
        self.start_screen = StartScreen()
        self._quick_adjust: QuickAdjustPanel | None = None
        self.start_screen.tabs.currentChanged.connect(self._on_tab)
        self.session_view = SessionView()
        self.summary_view = SummaryView()
        for page in (self.start_screen, self.session_view, self.summary_view):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.start_screen.start_requested.connect(self.start_session)
        self.start_screen.selection_changed.connect(self._on_selection)
        self.session_view.stop_requested.connect(self.request_stop)
        self.session_view.fullscreen_requested.connect(self.toggle_fullscreen)
        self.session_view.mute_requested.connect(self.toggle_mute)
        self.session_view.help_requested.connect(self.show_keys)
        self.summary_view.done.connect(self.show_start)
        self.speaker.notice_changed.connect(self.session_view.set_sound_notice)
        self.session_view.set_sound_notice(self.speaker.notice())
        self.summary_view.results_requested.connect(self._ask_missing_results)
        self.session_view.set_muted(self.settings.muted)
        self.speaker.set_muted(self.settings.muted)
        # Media keys, presenter clickers and MPRIS: they follow the session while it shows.
        self.remote = SessionRemote(
            self.session_view, self.request_stop, parent=self, overlay_answer=self._overlay_answer
        )
        self.stack.currentChanged.connect(self._release_remote)
        # Questions and help during a session are overlays in the session screen, read from
        # the floor; the session pauses behind them.
        self.stop_overlay = StopOverlay(self.session_view, clock)
        self.stop_overlay.keep_going.connect(self._keep_going)
        self.stop_overlay.stop_confirmed.connect(self._stop_confirmed)
        self.keys_overlay = KeysOverlay(self.session_view)
        self.keys_overlay.closed.connect(self._keys_closed)
        self._resume_after_question = False

        self._build_menus()
        self.reload_routines()
        self.show_start()
        fit_to_screen(self, QSize(1280, 800), settings.window_sizes, "main")
        if preload_chart_after_ms is not None:
            QTimer.singleShot(preload_chart_after_ms, self, self._preload_history_chart)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        session_menu = bar.addMenu("&Session")
        self.start_action = self._action(
            session_menu, "&Start selected routine", self.start_screen.request_start
        )
        session_menu.addSeparator()
        self._action(session_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.routines_menu = bar.addMenu("&Routines")
        menu = self.routines_menu
        self._action(menu, "&New routine…", self.new_routine, "Ctrl+N")
        self.routine_actions: dict[str, QAction] = {
            "edit": self._action(menu, "&Edit routine…", self.edit_routine, "Ctrl+E"),
            "duplicate": self._action(menu, "&Duplicate", self._routine_action("duplicate")),
            "rename": self._action(menu, "Re&name…", self._routine_action("rename")),
            "delete": self._action(menu, "De&lete…", self._routine_action("delete")),
            "reset": self._action(menu, "Reset to &defaults…", self._routine_action("reset")),
        }
        menu.addSeparator()
        self.routine_actions["import"] = self._action(
            menu, "&Import routine file…", self._routine_action("import")
        )
        self.routine_actions["export"] = self._action(
            menu, "E&xport routine file…", self._routine_action("export")
        )
        menu.addSeparator()
        self._action(menu, "&Reload routine files", self.reload_routines)
        history_menu = bar.addMenu("&History")
        self._action(history_menu, "Show &history", self.show_history, "H")
        self.settings_menu = bar.addMenu("S&ettings")
        self._action(self.settings_menu, "&Voice…", self.edit_voice)
        # M mutes the running session only; Voice… holds the lasting on/off choice.
        self.mute_action = self._action(
            self.settings_menu, "&Mute voice for this session", self.toggle_mute
        )
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.settings.muted)
        self.mute_action.setEnabled(False)
        self._action(self.settings_menu, "&Full screen", self.toggle_fullscreen, "F11")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keys", self.show_keys, "F1")
        self._action(help_menu, "&About", self._about)

    def _action(
        self,
        menu: object,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # The session view handles its own keys; menu shortcuts must not steal them.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _about(self) -> None:
        from timer_app import __version__

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\nA spoken timer for floor mobility sessions.",
        )

    # --------------------------------------------------------------- routines
    def reload_routines(self) -> None:
        selected = self.start_screen.selected_entry()
        self._reload_select(selected.id if selected is not None else self.settings.last_routine_id)

    def _reload_select(self, routine_id: str) -> None:
        entries = discover_routines(self.builtin_dir, self.user_dir) + self._extra_entries
        self.start_screen.set_lead_in(self.settings.lead_in_seconds)
        self.start_screen.set_routines(entries, routine_id)

    def _folders(self) -> Folders:
        return Folders(self.user_dir or Path("."), self.builtin_dir)

    @property
    def quick_adjust(self) -> QuickAdjustPanel:
        """The start screen's "Adjust times" panel, built the first time it is needed."""
        if self._quick_adjust is None:
            from timer_app.ui.quick_adjust import QuickAdjustPanel

            panel = QuickAdjustPanel(self.user_dir or Path("."), self.builtin_dir)
            panel.routine_changed.connect(lambda routine: self._reload_select(routine.id))
            panel.set_routine(self.start_screen.selected_entry())
            self.start_screen.side_panel.addWidget(panel)
            panel.show()  # added to a visible window: Qt would only show it a turn later
            self._quick_adjust = panel
        return self._quick_adjust

    def _on_tab(self, index: int) -> None:
        if index == 1:
            _ = self.quick_adjust

    def _on_selection(self, entry: RoutineEntry | None) -> None:
        if self._quick_adjust is not None:
            self._quick_adjust.set_routine(entry)
        from timer_app.ui.routine_actions import enabled_actions

        for name, enabled in enabled_actions(entry).items():
            if name in self.routine_actions:
                self.routine_actions[name].setEnabled(enabled)
        self.routine_actions["edit"].setEnabled(entry is not None and entry.routine is not None)
        weaker = self._weaker_side(entry.routine) if entry and entry.routine else None
        self.start_screen.set_note(weaker.message if weaker else "")

    def _weaker_side(self, routine: Routine):  # type: ignore[no-untyped-def]
        if self.history is None:
            return None
        return extra_round_for(
            routine, self.history.latest_results(routine.id), self.settings.block_height_cm
        )

    def new_routine(self) -> None:
        from timer_app.ui.editor import RoutineEditorDialog

        saved = RoutineEditorDialog.edit(
            None, self._folders().user, self, self.builtin_dir, self.settings.window_sizes
        )
        if saved is not None:
            self._select_saved(saved)

    def edit_routine(self) -> None:
        from timer_app.ui.editor import RoutineEditorDialog

        entry = self.start_screen.selected_entry()
        if entry is None:
            return
        saved = RoutineEditorDialog.edit(
            entry, self._folders().user, self, self.builtin_dir, self.settings.window_sizes
        )
        if saved is not None:
            self._select_saved(saved)

    def _select_saved(self, path: Path) -> None:
        try:
            routine_id = load_routine(path).id
        except RoutineError:
            routine_id = path.stem
        self._reload_select(routine_id)

    def _routine_action(self, name: str) -> Callable[[], None]:
        def run() -> None:
            from timer_app.ui import routine_actions

            entry = self.start_screen.selected_entry()
            folders = self._folders()
            result: object = None
            if name == "import":
                result = routine_actions.import_routine_action(self, folders)
            elif entry is None:
                return
            elif name == "export":
                routine_actions.export_routine_action(self, entry)
                return
            elif name == "duplicate":
                result = routine_actions.duplicate_routine_action(self, entry, folders)
            elif name == "rename":
                result = routine_actions.rename_routine_action(self, entry, folders.user)
            elif name == "delete":
                if routine_actions.delete_routine_action(self, entry, folders.user):
                    self._reload_select("")
                return
            elif name == "reset":
                result = routine_actions.reset_routine_action(self, entry, folders)
            if isinstance(result, Routine):
                self._reload_select(result.id)

        return run

    def edit_voice(self) -> None:
        from timer_app.ui.voice_settings import VoiceSettingsDialog

        VoiceSettingsDialog.edit(self.settings, self.speaker, self)
        self._set_session_muted(self.settings.muted)

    def attach_speaker(self, speaker: Speaker) -> None:
        """Use ``speaker`` from now on (the app creates the real one after the first paint)."""
        old = self.speaker
        old.notice_changed.disconnect(self.session_view.set_sound_notice)
        self.speaker = speaker
        speaker.notice_changed.connect(self.session_view.set_sound_notice)
        self.session_view.set_sound_notice(speaker.notice())
        speaker.set_muted(self.settings.muted)

    def attach_history(self, history: History) -> None:
        """Use ``history`` from now on (opened after the first paint, like the speaker)."""
        self.history = history
        self._on_selection(self.start_screen.selected_entry())

    def _preload_history_chart(self) -> None:
        """Load the chart library at an idle moment after start-up, so the first History
        opens as fast as later ones (~0.2 s of imports). Start-up itself stays light, and a
        running session is never stalled: then it simply waits for the History to open."""
        if self.controller is None and self.history is not None and self.isVisible():
            from timer_app.ui.history_view import preload_chart

            preload_chart()

    def show_history(self) -> None:
        if self.history is None:
            QMessageBox.information(self, APP_NAME, "The history is not available in this run.")
            return
        self._pause_for("the history is open")
        if self._history_window is None:
            from timer_app.ui.history_view import HistoryWindow  # pulls in pyqtgraph: lazily

            window = HistoryWindow(self.history, self.settings)
            window.settings_changed.connect(self._save_settings)
            window.history_changed.connect(
                lambda: self._on_selection(self.start_screen.selected_entry())
            )
            self._history_window = window
        self._history_window.show()
        self._history_window.raise_()
        self._history_window.activateWindow()

    def select_routine(self, id_or_file: str) -> bool:
        """Select a routine by id, or load a routine file given by path (``--routine``)."""
        if self.start_screen.select_routine(id_or_file):
            return True
        path = Path(id_or_file)
        if path.suffix == ".toml" or path.exists():
            try:
                routine = load_routine(path)
            except RoutineError as exc:
                QMessageBox.warning(self, APP_NAME, f"This routine file has errors:\n\n{exc}")
                return False
            self._extra_entries = [RoutineEntry(path, builtin=False, routine=routine)]
            self.reload_routines()
            return self.start_screen.select_routine(routine.id)
        QMessageBox.warning(self, APP_NAME, f"No routine called “{id_or_file}”.")
        return False

    # ---------------------------------------------------------------- session
    def start_session(
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
            weaker = self._weaker_side(routine)
            extra_side = weaker.side if weaker else None
            timeline = build_timeline(routine, extra_round_side=extra_side)
            if routine.measurement is not None and routine.measurement.before:
                from timer_app.ui.results_dialog import ResultsDialog

                before = ResultsDialog.ask(
                    self,
                    sides=routine.main.side_order,
                    when="before",
                    routine_name=routine.name,
                    settings=self.settings,
                )
                self._before = before or []
                self._save_settings()
        elif resume is not None:
            self._before = [r for r in resume.results if r.when == "before"]
        self.session_entry = entry
        self._set_session_muted(self.settings.muted)  # each session starts from the setting
        self.settings.last_routine_id = entry.id
        self._save_settings()
        lead_in = self.settings.lead_in_seconds if resume is None else 0
        if lead_in > 0:
            self._run_lead_in(entry, timeline, extra_side, lead_in)
        else:
            self.speaker.prepare(first_phrases_of(timeline, resume) + timeline.phrases())
            self._begin(entry, timeline, extra_side, resume)

    def _new_controller(self, timeline: Timeline) -> SessionController:
        return SessionController(
            timeline,
            self.speaker,
            self.wake_lock,
            clock=self.clock,
            suspend_detector=self._detector_factory(),
            parent=self,
        )

    def _run_lead_in(
        self, entry: RoutineEntry, timeline: Timeline, extra_side: Side | None, seconds: int
    ) -> None:
        """ "Get ready" before the routine, with its own countdown; nothing is recorded until
        the routine itself begins, so stopping here leaves no history behind."""
        lead = lead_in_timeline(timeline, seconds)
        self.speaker.prepare([*lead.phrases(), *timeline.phrases()])
        controller = self._new_controller(lead)

        def finished() -> None:
            self._drop_controller(controller)
            self._begin(entry, timeline, extra_side, None)

        def stopped() -> None:
            self._drop_controller(controller)
            self._after_session()
            self.show_start()

        controller.finished.connect(finished)
        controller.stopped.connect(stopped)
        self.controller = controller
        self._show_session(controller, entry, then=timeline)
        self._start_when_voice_ready(
            controller, first_phrases([*lead.steps, *timeline.steps]), controller.start
        )

    def _drop_controller(self, controller: SessionController) -> None:
        controller.shutdown()
        if self.controller is controller:
            self.controller = None
        controller.deleteLater()

    def _show_session(
        self, controller: SessionController, entry: RoutineEntry, then: Timeline | None = None
    ) -> None:
        self.session_view.attach(controller, then=then)
        self.mute_action.setEnabled(True)
        self.stack.setCurrentWidget(self.session_view)
        self.session_view.setFocus()
        self.remote.attach(controller, "lead_in" if then is not None else "step")
        name = entry.routine.name if entry.routine is not None else ""
        self.setWindowTitle(f"{APP_NAME} — {name}")

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
        if self.history is not None:
            from timer_app.ui.session_recorder import SessionRecorder

            self.recorder = SessionRecorder(
                self.history,
                controller,
                routine,
                extra_round_side=extra_side,
                resume_id=resume.id if resume is not None else None,
                parent=controller,
            )
            self.recorder.problem.connect(self.session_view.show_notice)
            if self._before:
                self.recorder.save_results(self._before)
        self._show_session(controller, entry)
        if resume is not None:
            at, elapsed = resume.step_index, resume.step_elapsed
            self._start_when_voice_ready(
                controller,
                first_phrases_of(timeline, resume),
                lambda: controller.start(at, elapsed),
            )
        else:
            self._start_when_voice_ready(
                controller, first_phrases_of(timeline, None), controller.start
            )

    def _start_when_voice_ready(
        self, controller: SessionController, phrases: list[str], start: Callable[[], None]
    ) -> None:
        """Start the session's clock once its first words can be heard on time (at most a
        few seconds later; see voice_gate)."""
        gate = VoiceGate(self.speaker, self.session_view.show_notice, self.clock, controller)
        gate.wait(phrases, start)

    def request_stop(self) -> None:
        """Esc: ask in the session screen; the session pauses while the question shows."""
        controller = self.controller
        if controller is None or controller.engine.is_over:
            return
        if self.stop_overlay.isVisible():
            return
        self.keys_overlay.close_overlay()
        was_running = controller.engine.is_running
        if was_running:
            controller.pause()  # the clock must not run while the user reads the question
        self._resume_after_question = was_running
        self.stop_overlay.ask()

    def _keep_going(self) -> None:
        controller = self.controller
        if controller is not None and self._resume_after_question and controller.engine.is_paused:
            controller.resume()
        self._resume_after_question = False

    def _stop_confirmed(self) -> None:
        self._resume_after_question = False
        if self.controller is not None:
            self.controller.stop()

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

    def _pause_for(self, why: str) -> bool:
        """Pause a running session because something now covers it, and say so on the
        session screen. True if it was running (and is now paused)."""
        controller = self.controller
        if controller is None or not controller.engine.is_running:
            return False
        controller.pause()
        self.session_view.show_notice(f"Paused while {why}. Press Space to continue.")
        return True

    def _on_session_over(self) -> None:
        controller = self.controller
        if controller is None:
            return
        controller.shutdown()
        self._after_session()
        routine = self.session_entry.routine if self.session_entry else None
        recorder = self.recorder
        if recorder is not None:
            recorder.finish()
        self.summary_view.show_session(controller.engine, routine.name if routine else "")
        self.summary_view.set_results_button(False)
        self.stack.setCurrentWidget(self.summary_view)
        self.summary_view.setFocus()
        self.setWindowTitle(APP_NAME)
        self.controller = None
        completed = controller.engine.state is EngineState.FINISHED
        controller.deleteLater()
        if routine is not None and completed and routine.measurement is not None:
            if routine.measurement.after:
                self._ask_after_results(routine)
            elif self._before:
                self.summary_view.set_results_text(self._results_text(self._before))
        self.recorder = None

    def _ask_after_results(self, routine: Routine) -> None:
        """The block-height prompt after the drill; "Later" keeps the results pending."""
        from timer_app.ui.results_dialog import ResultsDialog

        recorder = self.recorder
        # Pending first: if the app dies while the prompt is open, the history still knows
        # this session's results are to be filled in.
        if recorder is not None:
            recorder.save_results(self._before, pending=True)
        after = ResultsDialog.ask(
            self,
            sides=routine.main.side_order,
            when="after",
            routine_name=routine.name,
            settings=self.settings,
            before=self._before or None,
        )
        self._save_settings()
        if after is None:
            self.summary_view.set_results_text("Results: to fill in later (History, H).")
            self._pending_session_id = recorder.session_id if recorder is not None else None
            self.summary_view.set_results_button(recorder is not None, "Record results now")
            return
        results = [*self._before, *after]
        if recorder is not None:
            recorder.save_results(results)
        self.summary_view.set_results_text(self._results_text(results))
        self._on_selection(self.start_screen.selected_entry())

    def _results_text(self, results: list[ResultEntry]) -> str:
        unit = self.settings.result_unit
        block = self.settings.block_height_cm

        def shown(cm: float) -> str:
            return format_height(from_cm(cm, unit, block), unit)

        parts = []
        for side in (Side.LEFT, Side.RIGHT):
            before = next((r for r in results if r.side is side and r.when == "before"), None)
            after = next((r for r in results if r.side is side and r.when == "after"), None)
            name = side.value.capitalize()
            if after is not None:
                text = f"{name}: {shown(after.value_cm)}"
                if before is not None:
                    gain = after.value_cm - before.value_cm
                    text += f" ({'+' if gain >= 0 else '−'}{shown(abs(gain))})"
                parts.append(text)
            elif before is not None:
                parts.append(f"{name} before: {shown(before.value_cm)}")
        return "   ".join(parts)

    def _ask_missing_results(self) -> None:
        """The summary's "Record results now", after "Later" was chosen."""
        session_id = self._pending_session_id
        if self.history is None or session_id is None:
            return
        self._fill_results(self.history.get(session_id))
        record = self.history.get(session_id)
        if not record.results_pending:
            self.summary_view.set_results_button(False)
            self.summary_view.set_results_text(self._results_text(list(record.results)))
            self._on_selection(self.start_screen.selected_entry())

    # -------------------------------------------------------------- recovery
    def offer_recovery(self) -> None:
        """At start-up: sessions a previous run left unfinished (crash, kill, power cut)."""
        if self.history is None:
            return
        from timer_app.ui.recovery_dialog import RecoveryDialog

        if self.history.notice:
            QMessageBox.warning(self, APP_NAME, self.history.notice)
        records = self.history.interrupted()
        while records:  # one dialog lists them all; it comes back after recording results
            answer = RecoveryDialog.ask(self, records)
            for record in answer.discarded:
                self.history.discard(record.id)
            chosen = answer.record
            if chosen is None:
                return  # decide later (for the ones not discarded)
            if answer.choice == "resume":
                self._resume(chosen)
                return  # one session at a time; others are offered next start
            self.history.end_session(chosen.id, "interrupted")
            self._fill_results(chosen)
            done = {chosen.id, *(record.id for record in answer.discarded)}
            records = [record for record in records if record.id not in done]

    def _resume(self, record: SessionRecord) -> None:
        from timer_app.ui.recovery_dialog import resume_timeline

        assert self.history is not None
        try:
            timeline = resume_timeline(record)
            routine = record.routine()
        except (RoutineError, ValueError) as exc:
            QMessageBox.warning(self, APP_NAME, f"This session cannot be resumed: {exc}")
            return
        resumed = self.history.resume_session(record.id)
        entry = RoutineEntry(Path(routine.source or "history"), builtin=False, routine=routine)
        self.start_session(entry, timeline=timeline, resume=resumed)

    def _fill_results(self, record: SessionRecord) -> None:
        assert self.history is not None
        from timer_app.ui.history_model import sides_of
        from timer_app.ui.results_dialog import ResultsDialog

        before = [r for r in record.results if r.when == "before"]
        after = ResultsDialog.ask(
            self,
            sides=sides_of(record),
            when="after",
            routine_name=record.routine_name,
            settings=self.settings,
            before=before or None,
        )
        if after is None:
            self.history.save_results(record.id, before, pending=True)
        else:
            self.history.save_results(record.id, [*before, *after])

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_screen)
        self.setWindowTitle(APP_NAME)
        self.start_screen.focus_list()

    def _release_remote(self) -> None:
        if self.stack.currentWidget() is not self.session_view:
            self.remote.detach()

    # ----------------------------------------------------------- window level
    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_mute(self) -> None:
        """M: mute or unmute the voice for the running session only. The lasting choice is
        the voice setting (Settings → Voice…), which the next session starts from."""
        if self.controller is None:
            return
        self._set_session_muted(not self.speaker.is_muted())

    def _set_session_muted(self, muted: bool) -> None:
        self.speaker.set_muted(muted)
        self.session_view.set_muted(muted)
        self.mute_action.setChecked(muted)

    def _after_session(self) -> None:
        """A session's mute ends with it (back to the lasting voice setting), and nothing it
        showed over the session screen stays."""
        self._set_session_muted(self.settings.muted)
        self.mute_action.setEnabled(False)
        self.stop_overlay.hide()
        self.keys_overlay.hide()

    def show_keys(self) -> None:
        """F1 / ?: every key. Over a session it is an overlay, with the session paused."""
        controller = self.controller
        if controller is not None and self.stack.currentWidget() is self.session_view:
            if self.stop_overlay.isVisible():
                return
            paused = controller.engine.is_running
            if paused:
                controller.pause()
            self.keys_overlay.show_keys(paused_for_it=paused)
            return
        KeysDialog.show_keys(self)

    def _keys_closed(self, resume: bool) -> None:
        controller = self.controller
        if resume and controller is not None and controller.engine.is_paused:
            controller.resume()

    def _save_settings(self) -> None:
        if self.settings_path is None:
            return
        try:
            self.settings.save(self.settings_path)
        except OSError as exc:  # a read-only config dir must not break a session
            log.warning("could not save settings to %s: %s", self.settings_path, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        controller = self.controller
        if controller is not None and not controller.engine.is_over:
            was_running = controller.engine.is_running
            if was_running:
                controller.pause()
            if not ConfirmStop.ask(self, quitting=True):
                if was_running:
                    controller.resume()
                event.ignore()
                return
            controller.stop()
        if self.controller is not None:
            self.controller.shutdown()
        if self._history_window is not None:
            self._history_window.close()
        self.wake_lock.release()
        self.speaker.shutdown()
        self._save_settings()  # window sizes, remembered for the next start
        event.accept()
