"""A read-only data folder that refuses the history even when the tests run as root.

``chmod a-w`` on a folder stops a normal user's SQLite from creating the database (or its WAL
files) there, but root writes through any mode bits, and CI runs as root. So the store is given
a ``connect`` (the seam :class:`~timer_app.storage.history.History` has for faults) that checks
the folder's real mode bits first and refuses as SQLite does for a normal user; ``chmod u+w``
(the user fixing permissions) makes it work again, as it would.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any


def permission_honouring_connect(path: Path | str, **kwargs: Any) -> sqlite3.Connection:
    """``sqlite3.connect``, refusing a database whose folder its owner may not write."""
    if isinstance(path, Path) and not os.stat(path.parent).st_mode & stat.S_IWUSR:
        error = sqlite3.OperationalError("unable to open database file")
        error.sqlite_errorname = "SQLITE_CANTOPEN"  # type: ignore[attr-defined]
        raise error
    return sqlite3.connect(path, **kwargs)


def make_read_only(folder: Path) -> None:
    folder.chmod(0o555)


def make_writable(folder: Path) -> None:
    folder.chmod(0o755)
