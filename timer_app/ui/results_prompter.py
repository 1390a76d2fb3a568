"""How the app asks for block-height results: one prompter, injected where results are wanted.

The session flow asks before the drill, after it, when "Record results now" is pressed and when
a crashed session's results are filled in; the history window asks when results are edited.
All of them go through :class:`ResultsPrompter`. The real one opens
:class:`~timer_app.ui.results_dialog.ResultsDialog`; tests pass their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtWidgets import QWidget

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Side
from timer_app.settings import Settings


class ResultsPrompter(Protocol):
    """Asks the user for one side's or both sides' heights; None means "Later"."""

    def ask(
        self,
        *,
        sides: Sequence[Side],
        when: str,
        routine_name: str,
        before: list[ResultEntry] | None = None,
        initial: list[ResultEntry] | None = None,
    ) -> list[ResultEntry] | None: ...


class DialogPrompter:
    """The results dialog, modal over ``parent``. The dialog may change the unit and block
    thickness in ``settings``; ``settings_changed`` is called after each prompt to save them."""

    def __init__(
        self, parent: QWidget, settings: Settings, settings_changed: Callable[[], None]
    ) -> None:
        self._parent = parent
        self._settings = settings
        self._settings_changed = settings_changed

    def ask(
        self,
        *,
        sides: Sequence[Side],
        when: str,
        routine_name: str,
        before: list[ResultEntry] | None = None,
        initial: list[ResultEntry] | None = None,
    ) -> list[ResultEntry] | None:
        """``initial`` pre-fills the fields (editing results already saved)."""
        from timer_app.ui.results_dialog import ResultsDialog  # built when first needed

        entries = ResultsDialog.ask(
            self._parent,
            sides=sides,
            when=when,
            routine_name=routine_name,
            settings=self._settings,
            before=before,
            initial=initial,
        )
        self._settings_changed()
        return entries
