"""Durations as people type them: ``2:00``, ``1:30``, ``90``.

Editors accept either minutes:seconds or plain seconds, so a coach can type what the video
says ("hold for a minute and a half" is ``1:30`` or ``90``). Errors quote what was typed and
say what would work, because the message is shown right beside the field.
"""

from __future__ import annotations

import re

_MMSS = re.compile(r"^(\d{1,3}):(\d{1,2})$")
_SECONDS = re.compile(r"^(\d{1,6})\s*s?$")

EXAMPLES = "type minutes:seconds like 2:00, or seconds like 90"


class DurationError(ValueError):
    """A typed duration could not be read; the message says why and what would work."""


def parse_duration(text: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Whole seconds from ``"m:ss"`` or ``"seconds"`` (a trailing ``s`` is allowed).

    Raises :class:`DurationError` for anything else, for seconds after a colon above 59,
    and for a result outside ``minimum..maximum``.
    """
    typed = text.strip()
    if not typed:
        raise DurationError(f"no duration given: {EXAMPLES}")
    match = _MMSS.match(typed)
    if match is not None:
        minutes, seconds = int(match.group(1)), int(match.group(2))
        if len(match.group(2)) != 2:
            raise DurationError(f"{typed!r}: write two digits after the colon, like 1:05")
        if seconds > 59:
            raise DurationError(f"{typed!r}: seconds after the colon must be 00..59")
        total = minutes * 60 + seconds
    else:
        plain = _SECONDS.match(typed)
        if plain is None:
            raise DurationError(f"{typed!r} is not a duration: {EXAMPLES}")
        total = int(plain.group(1))
    if total < minimum:
        raise DurationError(f"{typed!r}: must be at least {format_duration(minimum)}")
    if maximum is not None and total > maximum:
        raise DurationError(f"{typed!r}: must be at most {format_duration(maximum)}")
    return total


def format_duration(seconds: int) -> str:
    """Whole seconds as ``m:ss`` (``90`` → ``1:30``; minutes are not wrapped into hours,
    because an editor field reads ``75:00`` back as 75 minutes)."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def display_duration(seconds: float) -> str:
    """A duration for the screen: ``2:00``, ``0:15``, ``1:02:03``."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
