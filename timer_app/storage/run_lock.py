"""Which runs of the app are alive, so a second copy never offers the first one's live
session as "interrupted" (and never lets the user discard it).

A run that starts a session holds an exclusive ``flock`` on a small file named after its run
id, in ``history.sqlite3.runs/``. The operating system drops the lock when the process ends
in any way (crash, ``kill -9``, power), so a lock that can be taken belongs to a dead run.
Where ``fcntl`` is missing (Windows) every other run counts as dead: the behaviour without
this module.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


class RunLock:
    """This run's lock. :meth:`acquire` is idempotent and never raises: without the lock
    the app still works, only a second copy could mistake this run for a dead one."""

    def __init__(self, folder: Path | None, run_id: str) -> None:
        self.folder = folder
        self.run_id = run_id
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        if self._handle is not None or self.folder is None or fcntl is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / f"{self.run_id}.lock", "wb")  # noqa: SIM115 - held
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            log.warning("history: cannot take the run lock in %s: %s", self.folder, exc)
            return
        self._handle = handle

    def release(self) -> None:
        if self._handle is None or self.folder is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.folder / f"{self.run_id}.lock")
        self._handle.close()  # closing drops the lock
        self._handle = None


def is_alive(folder: Path | None, run_id: str) -> bool:
    """Whether the run ``run_id`` still holds its lock. A dead run's stale lock file is
    removed on the way."""
    if folder is None or fcntl is None:
        return False
    path = folder / f"{run_id}.lock"
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        return False  # no lock file: the run ended (or never locked)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        path.unlink(missing_ok=True)
        return False
    finally:
        handle.close()


def sweep(folder: Path | None, keep: str) -> None:
    """Remove the lock files of dead runs (a crash leaves its file behind)."""
    if folder is None or fcntl is None or not folder.is_dir():
        return
    for path in folder.glob("*.lock"):
        if path.stem != keep:
            is_alive(folder, path.stem)  # removes the file when its run is dead
