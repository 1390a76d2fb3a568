"""Setting a Qt enum or flag property by its key's name, without PySide6's ``Qt`` namespace.

PySide6 creates the ``Qt`` namespace the first time it is touched, with all of its ~150
enum classes at once: ~20 ms of CPU, more than the whole start screen takes to build. The
widgets shown at start-up set their few enum properties through Qt's property system
instead (the key's name is converted by ``QMetaProperty::write``, as for a Designer form),
and the namespace is created after the first paint, when something first needs it
(tests/gui/test_startup_imports.py checks it is not created sooner).
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def set_enum_property(target: QObject, name: str, key: str) -> None:
    """Set ``target``'s enum or flag property ``name`` to the key ``key`` (e.g.
    ``"PlainText"``; several flags joined with ``|``).

    Raises ValueError when ``target`` has no such property or the property no such key, so a
    misspelt name fails at once instead of leaving the default in place.
    """
    meta = target.metaObject()
    if meta.indexOfProperty(name) < 0:
        raise ValueError(f"{meta.className()} has no property {name!r}")
    if not target.setProperty(name, key):
        raise ValueError(f"{meta.className()}.{name} has no key {key!r}")
