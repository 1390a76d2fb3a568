"""Hostile stand-ins for a small JSON file the app reads at start-up (the start-screen cache,
the shipped routine listing): what each kind writes, so that every reader is tried with the
same set of bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path

#: The kinds :func:`write_hostile` knows; a test adds its own format-specific ones.
KINDS = (
    "garbage",
    "not utf-8",
    "empty",
    "deep nesting",
    "too large",
    "a folder",
    "a FIFO",
    "wrong shape",
)


def write_hostile(kind: str, file: Path, max_bytes: int, key: str, wrong_shape: object) -> bool:
    """Put the ``kind`` of bad file at ``file``; False for a kind not in :data:`KINDS`.
    ``max_bytes``: the reader's size limit; ``key``: a top-level key of the real format (the
    non-UTF-8 byte goes in its value); ``wrong_shape``: valid JSON of the wrong shape."""
    if kind == "garbage":
        file.write_bytes(os.urandom(1024))
    elif kind == "not utf-8":
        file.write_bytes(b'{"' + key.encode() + b'": "\xff"}')
    elif kind == "empty":
        file.write_text("")
    elif kind == "deep nesting":
        file.write_text("[" * 200_000 + "]" * 200_000)
    elif kind == "too large":
        file.write_text(" " * (max_bytes + 1))
    elif kind == "a folder":
        file.mkdir()
    elif kind == "a FIFO":
        os.mkfifo(file)  # opening it to read would wait for ever
    elif kind == "wrong shape":
        file.write_text(json.dumps(wrong_shape))
    else:
        return False
    return True
