"""Writing an export where the user asked, never leaving less than was asked for.

:func:`write_export` puts text at a path the user typed or picked:

* a regular file (or a new name) is replaced atomically: a temporary file in the same folder,
  fsynced, then renamed over, so the old file stays whole until the new one is complete;
* a symlink is followed: the file it points to is replaced the same way and the link stays;
* a FIFO or a character device (``/dev/null``, a terminal) is written to directly, never
  replaced by a regular file; a FIFO nobody reads from is refused instead of waited on;
* anything else (a folder, a socket, a block device) is refused.

Every refusal is an :class:`ExportTargetError` with one line naming the path and the reason.
:func:`atomic_write_text` is the replacing part on its own, for the app's own files (routines,
settings, the start-screen cache).

This module imports no Qt.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class ExportTargetError(OSError):
    """The export cannot be written there; ``str()`` is ``<path>: <reason>``."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never
    half of either: write a temp file in the same folder, fsync, then rename over. A symlink
    is followed: the file it points to is replaced, the link kept."""
    path = Path(path)
    if path.is_symlink():
        # A linked file (a dotfiles folder, say) is replaced where it lives; the link stays.
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _stream_to(path: str, text: str) -> None:
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no reader: writing would wait for ever
            raise ExportTargetError(path, "it is a pipe (FIFO) that no program reads") from None
        raise ExportTargetError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        os.set_blocking(fd, True)  # a reader is there: now let it set the pace
        data = text.encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise ExportTargetError(path, f"cannot write: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def write_export(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as described in the module docstring; raises
    ExportTargetError (an OSError) with a one-line reason on failure."""
    name = os.fspath(path)
    if not name:
        raise ExportTargetError("''", "no file name given")
    target = Path(name)
    try:
        info = os.stat(target)  # follows symlinks: the file a link points to
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportTargetError(name, f"cannot write: {exc.strerror or exc}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            _stream_to(name, text)
            return
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ExportTargetError(name, f"cannot write: it is {kind}")
    try:
        atomic_write_text(target, text)  # follows a symlink, keeping the link
    except OSError as exc:
        raise ExportTargetError(name, f"cannot write: {exc.strerror or exc}") from None
