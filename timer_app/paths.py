"""Where the app keeps its files. platformdirs gives the per-platform folders (XDG variables
are honoured on Linux, so ``XDG_DATA_HOME`` and friends redirect everything, tests included)."""

from __future__ import annotations

import sys
from pathlib import Path

APP_DIR_NAME = "timer-app"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_DIR_NAME, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_DIR_NAME, appauthor=False)


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP_DIR_NAME, appauthor=False)


def log_dir() -> Path:
    """The log folder in the app's state folder (``~/.local/state/timer-app/log`` on Linux)."""
    from platformdirs import user_log_path

    return user_log_path(APP_DIR_NAME, appauthor=False)


def start_cache_path() -> Path:
    """The start screen's cache (timer_app/core/start_cache.py); safe to delete."""
    return cache_dir() / "start-screen.json"


def user_routines_dir() -> Path:
    return data_dir() / "routines"


def history_db_path() -> Path:
    return data_dir() / "history.sqlite3"


def _shipped(name: str) -> Path:
    """A folder shipped with the app: beside the package in a checkout or editable install,
    under ``<prefix>/share/timer-app`` in an installed wheel."""
    here = Path(__file__).resolve().parent.parent / name
    if here.is_dir():
        return here
    return Path(sys.prefix) / "share" / APP_DIR_NAME / name


def builtin_routines_dir() -> Path:
    return _shipped("routines")


def assets_dir() -> Path:
    return _shipped("assets")


def user_guide_path() -> Path:
    return _shipped("docs") / "user-guide.md"
