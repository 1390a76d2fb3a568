"""The last line of defence: an unexpected error is logged, the session saved, the user told.

Shaped after qutebrowser's ``misc/crashsignal.py``: :class:`CrashHandler` replaces
``sys.excepthook`` (an exception escaping a Qt slot ends up there), writes the traceback to the
log file in the app's state folder (platformdirs' user log folder, e.g.
``~/.local/state/timer-app/log/timer-app.log``), saves the session in progress so the next start
can resume it, and shows a short dialog: what failed, where, and where the log is. The app keeps
running: most errors are in one action, and the user decides whether to quit.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from timer_app import APP_NAME

log = logging.getLogger(__name__)

LOG_FILE_NAME = "timer-app.log"


def log_to_file(folder: Path) -> Path | None:
    """Send the app's log (warnings and up, and every crash) to ``folder``/timer-app.log,
    kept small by rotation. The file's path, or None if the folder cannot be written."""
    path = folder / LOG_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=512 * 1024, backupCount=2, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("no log file in %s: %s", folder, exc)
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return path


@dataclass(frozen=True)
class CrashReport:
    """What the dialog tells the user about one unexpected error."""

    what: str  # "KeyError: 'info'"
    where: str  # "session_view.py, line 12, in show_snapshot"
    log_path: Path | None
    session_saved: bool

    def text(self) -> str:
        lines = [
            "Something went wrong, and the action you were doing did not finish.",
            "",
            f"What failed: {self.what}",
            f"Where: {self.where}",
            "",
        ]
        if self.session_saved:
            lines.append("Your session so far is saved; the next start offers to resume it.")
        lines.append(
            f"Details are in {self.log_path}."
            if self.log_path is not None
            else "No log file could be written."
        )
        return "\n".join(lines)


class CrashDialog:
    """Shows a :class:`CrashReport`. Tests replace :meth:`show_report`."""

    @classmethod
    def show_report(cls, parent: QWidget | None, report: CrashReport) -> None:
        QMessageBox.critical(parent, f"{APP_NAME}: unexpected error", report.text())


class CrashHandler:
    """Installed as ``sys.excepthook`` while the GUI runs.

    ``save_session`` writes the session in progress and says whether there was one saved (if it
    raises, that is logged too); ``dialog_parent`` gives the window the dialog opens over.
    """

    def __init__(
        self,
        log_path: Path | None,
        save_session: Callable[[], bool],
        dialog_parent: Callable[[], QWidget | None],
    ) -> None:
        self.log_path = log_path
        self._save_session = save_session
        self._dialog_parent = dialog_parent
        self._previous = sys.excepthook
        self._handling = False

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Log, save, tell. Ctrl+C in a terminal still quits as usual."""
        if issubclass(exc_type, KeyboardInterrupt) or self._handling:
            self._previous(exc_type, exc, tb)
            return
        self._handling = True  # an error inside the dialog must not loop back here
        try:
            log.critical("unexpected error", exc_info=(exc_type, exc, tb))
            saved = self._save()
            report = CrashReport(_describe(exc_type, exc), _where(tb), self.log_path, saved)
            CrashDialog.show_report(self._dialog_parent(), report)
        finally:
            self._handling = False

    def _save(self) -> bool:
        try:
            return self._save_session()
        except Exception:
            log.exception("the session could not be saved after an unexpected error")
            return False


def _describe(exc_type: type[BaseException], exc: BaseException) -> str:
    text = str(exc)
    return f"{exc_type.__name__}: {text}" if text else exc_type.__name__


def _where(tb: TracebackType | None) -> str:
    """The innermost frame of the app's own code (else the innermost of all)."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return "unknown"
    own = [f for f in frames if "timer_app" in Path(f.filename).parts]
    frame = (own or frames)[-1]
    return f"{Path(frame.filename).name}, line {frame.lineno}, in {frame.name}"
