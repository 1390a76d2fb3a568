"""Reading a user's file with limits, so no file can hang or stop the app.

Every file the app reads (routine, history CSV, settings) comes through :func:`read_text`:

* only a regular file is read. A FIFO, socket or device is refused *before* anything blocks:
  the file is opened with ``O_NONBLOCK`` (opening a FIFO with no writer would otherwise wait
  for ever) and checked with ``fstat`` on the open descriptor, so a swap between the check
  and the read cannot sneak a FIFO in;
* at most ``max_bytes`` are read;
* the bytes must be UTF-8 (a byte-order mark is dropped);

and every refusal is a :class:`FileReadError` with one line naming the file and the reason.
:func:`nesting_depth` measures parsed data without recursion, so a caller can refuse data
nested too deeply before code that does recurse touches it.

This module imports no Qt.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: How deep lists and tables may nest in anything read from a user's file.
MAX_NESTING = 32


class FileReadError(ValueError):
    """A file could not be read safely. ``str()`` is one line: ``<file>: <reason>``."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes(path: str | os.PathLike[str], max_bytes: int, source: str | None = None) -> bytes:
    """The whole content of a regular file of at most ``max_bytes``; FileReadError otherwise.
    ``source`` is how messages name the file (default: the path as given)."""
    name = source if source is not None else str(path)
    if not str(path):
        raise FileReadError("''", "no file name given")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileReadError(name, f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(name, f"cannot be read: it is {_kind(info.st_mode)}")
        if info.st_size > max_bytes:
            raise FileReadError(
                name, f"the file is too large ({info.st_size} bytes; at most {max_bytes})"
            )
        chunks: list[bytes] = []
        total = 0
        # Read until end of file (never trust st_size alone: the file may grow meanwhile).
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FileReadError(name, f"the file is too large (more than {max_bytes} bytes)")
    except OSError as exc:
        raise FileReadError(name, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: str | os.PathLike[str], max_bytes: int, source: str | None = None) -> str:
    """:func:`read_bytes` decoded as UTF-8 (a leading byte-order mark is dropped)."""
    raw = read_bytes(path, max_bytes, source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        name = source if source is not None else str(path)
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileReadError(
            name, f"line {line}: not UTF-8 text (bad byte at offset {exc.start})"
        ) from None


def nesting_depth(value: object, limit: int = MAX_NESTING) -> int:
    """How deeply lists and dicts nest in ``value`` (a scalar is 0, ``[]`` is 1), counted
    without recursion; counting stops once past ``limit`` (returns ``limit + 1``)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] | tuple[object, ...] = list(item.values())
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return limit + 1
        stack.extend((child, depth) for child in children)
    return deepest


def is_regular_or_missing(path: Path) -> bool:
    """True if ``path`` is a regular file (following symlinks) or does not exist."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False
