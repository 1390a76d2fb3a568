"""Routine-file problems in the words of the person who made the routine.

The loader reports key paths as a program sees them: ``main.phases[0].seconds: must be
1..3600, got -5``. In the editor and on import a person sees a numbered list of phases ("1.
Passive hold") and the values they typed, so the same problem reads: ``phase 1 (Passive hold),
seconds: must be 1..3600, got "-5"``. Only the wording changes; the rule is the loader's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from timer_app.core.routine import DEFAULT_PHASE_NAMES, PhaseKind

_PHASE_PATH = re.compile(r"\bmain\.phases\[(\d+)\](\.)?")
_WARMUP_PATH = re.compile(r"\bwarmup\.")
_MAIN_PATH = re.compile(r"\bmain\.(?!phases\[)")
#: "..., got VALUE" at the end of a message, where VALUE is what was written.
_GOT_VALUE = re.compile(r", got (?P<value>-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\")$")
#: "got N" after these is a count the loader made, not a value the user wrote.
_COUNTS = ("characters", "phases")


def phase_label(data: Mapping[str, Any] | None, index: int) -> str:
    """ "phase 2 (PAIL)": the number the list shows (1-based) and the phase's name."""
    phase: Any = None
    try:
        phase = data["main"]["phases"][index] if data is not None else None
    except (KeyError, IndexError, TypeError):
        phase = None
    name = ""
    if isinstance(phase, Mapping):
        raw_name = phase.get("name")
        if isinstance(raw_name, str) and raw_name.strip():
            name = raw_name.strip()
        else:
            kind = phase.get("kind")
            try:
                name = DEFAULT_PHASE_NAMES[PhaseKind(str(kind))]
            except ValueError:
                name = kind if isinstance(kind, str) else ""  # as written, even if unknown
    return f"phase {index + 1} ({name})" if name else f"phase {index + 1}"


def in_user_terms(message: str, data: Mapping[str, Any] | None = None) -> str:
    """``message`` from the loader, with 1-based named phases and values quoted as written.
    ``data`` is the routine table the message is about (for the phases' names)."""

    def phase(match: re.Match[str]) -> str:
        label = phase_label(data, int(match.group(1)))
        return f"{label}, " if match.group(2) else label

    text = _PHASE_PATH.sub(phase, message)
    text = _WARMUP_PATH.sub("warm-up, ", text)
    text = _MAIN_PATH.sub("", text)

    def quoted(match: re.Match[str]) -> str:
        if match.string[: match.start()].endswith(_COUNTS):
            return match.group(0)
        value = match.group("value")
        if value[0] in "'\"":
            value = value[1:-1]
        return f', got "{value}"'

    return _GOT_VALUE.sub(quoted, text)
