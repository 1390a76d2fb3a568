"""The start screen's cache: what it showed of each routine, so the next launch draws it before
parsing any routine file.

Parsing the routine files and building the routine model (its modules, dataclasses and enums
included) was a tenth of the work before the first paint (benchmarks/startup_instructions.py).
So after the routines are loaded, their :class:`~timer_app.core.listing.ListedRoutine` rows are
written to one JSON file in the cache folder, with a *stamp*: for every routine file of both
folders its path, inode, size, modification and change times, for every module of this package's
``core`` folder (whose code makes the text) its name, size and modification time, and the app's
version and the cache format. At the next launch the folders are listed and stat'ed again (no
file is opened) and the rows are used only if the stamp is the same; anything else (a file
added, removed, edited or replaced, an upgrade, a folder that cannot be read, a cache file that
is missing, not a regular file, too large, not UTF-8 or not exactly what this module writes)
means the files are parsed as on a first launch (or the built-in routines' shipped listing
is shown, if it fits them exactly: :mod:`timer_app.core.shipped_listing`). So a routine file
edited since, or one with an error, shows its new state; the cache can only save time, never
show something stale.

The stamp is taken before the files are parsed: a file changed while it is being read is
parsed again at the next launch. Writing replaces the file atomically; a cache that cannot be
written (read-only folder, full disk) is simply not written.

This module imports no Qt, nothing of the routine model, and no TOML parser: it runs before the
first paint.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from timer_app import __version__
from timer_app.core.listing import ListedRoutine
from timer_app.core.safe_read import FileReadError, read_text
from timer_app.core.safe_write import atomic_write_text

log = logging.getLogger(__name__)

#: Bumped whenever what is stored changes meaning.
CACHE_FORMAT = 1
#: A cache for a thousand routines is about 1 MiB; anything far larger is not ours.
MAX_CACHE_BYTES = 8 * 1024 * 1024
#: The code that makes the listed text (and the load errors' wording) lives here.
_CORE = Path(__file__).resolve().parent

Stamp = list[Any]


def _folder_stamp(folder: Path | None) -> list[Any] | None:
    """Path, inode, size, mtime and ctime of each routine file in ``folder``, in the order
    ``timer_app.core.library`` reads them; None if the folder cannot be listed or a file not
    stat'ed (then the files are parsed, and say why)."""
    if folder is None:
        return []
    try:
        paths = sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except FileNotFoundError:
        return []  # no folder, no routines: as the library sees it
    except OSError:
        return None
    files: list[Any] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            return None
        files.append([str(path), info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns])
    return files


def _code_stamp() -> list[Any]:
    try:
        with os.scandir(_CORE) as found:
            modules = [entry for entry in found if entry.name.endswith(".py")]
            stamps = [[m.name, m.stat().st_size, m.stat().st_mtime_ns] for m in modules]
    except OSError:
        return []
    return sorted(stamps)


class StartCache:
    """The cache ``file`` of the routines in ``builtin_dir`` and ``user_dir``."""

    def __init__(self, file: Path, builtin_dir: Path | None, user_dir: Path | None) -> None:
        self.file = file
        self._folders = (builtin_dir, user_dir)
        self._written: str | None = None  # the file's text as read or last written

    @property
    def folders(self) -> tuple[Path | None, Path | None]:
        """The (built-in, user) routine folders whose listing this is."""
        return self._folders

    def stamp(self) -> Stamp | None:
        """The routine files and code as they are now; None when they cannot all be stat'ed
        (nothing is cached or read from the cache then)."""
        folders = [_folder_stamp(folder) for folder in self._folders]
        if any(files is None for files in folders):
            return None
        return [
            CACHE_FORMAT,
            __version__,
            [str(folder) if folder is not None else None for folder in self._folders],
            folders,
            _code_stamp(),
        ]

    def read(self) -> list[ListedRoutine] | None:
        """The cached listing if it was made from the routine files as they are now, else
        None (and the files must be parsed). Never raises for a bad cache file."""
        stamp = self.stamp()
        if stamp is None:
            return None
        try:
            text = read_text(self.file, MAX_CACHE_BYTES)
        except FileReadError:
            return None  # a first launch: no json module loaded for nothing (~5 M instructions)
        import json

        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or set(data) != {"stamp", "routines"}:
            return None
        # Compared as JSON gives it back (tuples are lists there).
        if data["stamp"] != json.loads(json.dumps(stamp)) or not isinstance(data["routines"], list):
            return None
        try:
            listing = [ListedRoutine.from_json(item) for item in data["routines"]]
        except ValueError:
            return None
        self._written = text
        return listing

    def write(self, stamp: Stamp | None, listing: list[ListedRoutine]) -> None:
        """Store ``listing``, made from the files as they were at ``stamp`` (taken before
        they were read; None: they could not be stat'ed, nothing is stored). Unchanged
        content is not written again; a failure to write is logged, never raised."""
        if stamp is None:
            return
        import json

        text = json.dumps(
            {"stamp": stamp, "routines": [item.to_json() for item in listing]},
            ensure_ascii=False,
        )
        if text == self._written:
            return
        try:
            atomic_write_text(self.file, text)
        except OSError as exc:
            log.info("start-screen cache not written to %s: %s", self.file, exc)
            return
        self._written = text
