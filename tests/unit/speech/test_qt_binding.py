"""Guards against a Qt binding that would crash a long session.

PySide6 6.12.0 drops a reference to ``True`` on every Python-side ``Signal.emit()``; on Python
3.11 the interpreter aborts ("bool_dealloc") after about a thousand emits, i.e. minutes into a
session (the controller emits a refresh every second). pyproject.toml excludes that release.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(str)


def test_emitting_signals_keeps_reference_counts_intact() -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.fired.emit("Three.")
    # Immortal on Python 3.12+, where the count no longer moves at all.
    assert sys.getrefcount(True) >= before, (
        "this PySide6 release corrupts reference counts on Signal.emit(); "
        "reinstall with `make setup` (pyproject.toml excludes it)"
    )
