"""Help menu content: what the app is, where its files are, and the user guide."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from timer_app import APP_NAME, __version__
from timer_app.paths import config_dir, history_db_path, user_guide_path, user_routines_dir
from timer_app.ui.plain_text import warn


def about_text(user_dir: Path | None = None) -> str:
    """The About box: version, purpose, the keys to start with, and where the files live."""
    routines = user_dir or user_routines_dir()
    rows = [
        ("Your routines", routines),
        ("History", history_db_path()),
        ("Settings", config_dir() / "settings.toml"),
        ("User guide", user_guide_path()),
    ]
    where = "".join(
        f"<tr><td>{html.escape(label)}:&nbsp;</td><td>{html.escape(str(path))}</td></tr>"
        for label, path in rows
    )
    return (
        f"<h3>{html.escape(APP_NAME)} {html.escape(__version__)}</h3>"
        "<p>A spoken timer for floor mobility sessions: CARs, passive holds, PAIL and RAIL "
        "contractions, rests and side switches, with block-height results in a history.</p>"
        "<p><b>Enter</b> starts the selected routine; <b>F1</b> lists every key; "
        "<b>H</b> opens the history.</p>"
        f"<table>{where}</table>"
        f"<p>Python {html.escape(platform.python_version())}, Qt {html.escape(qVersion())}</p>"
    )


def show_about(parent: QWidget, user_dir: Path | None = None) -> None:
    """Help → About: the About box over ``parent``."""
    QMessageBox.about(parent, f"About {APP_NAME}", about_text(user_dir))


def open_user_guide(parent: QWidget | None) -> bool:
    """Open the user guide in the desktop's viewer; say where it is if that fails."""
    guide = user_guide_path()
    if guide.is_file() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide))):
        return True
    warn(
        parent,
        APP_NAME,
        f"The user guide could not be opened here. It is the file {guide}"
        if guide.is_file()
        else f"The user guide is not installed with this copy (looked for {guide}).",
    )
    return False
