"""Colours and type sizes of the session display.

Each phase kind has its own colour so the user knows what they are doing from the corner of an
eye. The session screen paints its own background, so the same colours are used in light and dark
system themes; every pair below has a contrast ratio of at least 7:1 (WCAG AAA), checked by a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from timer_app.core.routine import PhaseKind


@dataclass(frozen=True)
class PhaseColours:
    """Background, text and accent colours (``#rrggbb``) for one phase kind."""

    background: str
    text: str
    accent: str


PHASE_COLOURS: dict[PhaseKind, PhaseColours] = {
    PhaseKind.CARS: PhaseColours("#3b1a6b", "#ffffff", "#d7b8ff"),
    PhaseKind.PASSIVE: PhaseColours("#0b3d7a", "#ffffff", "#9cc9ff"),
    PhaseKind.PAIL: PhaseColours("#8c1010", "#ffffff", "#ffb3a8"),
    PhaseKind.RAIL: PhaseColours("#0f5125", "#ffffff", "#a6f0b8"),
    PhaseKind.REST: PhaseColours("#263238", "#ffffff", "#b0c4cc"),
    PhaseKind.SWITCH: PhaseColours("#5c3c00", "#ffffff", "#ffd27a"),
    PhaseKind.MEASURE: PhaseColours("#004d4d", "#ffffff", "#8ef0f0"),
}

PAUSED_COLOURS = PhaseColours("#2b2b2b", "#ffffff", "#ffd54f")
FINISHED_COLOURS = PhaseColours("#1f3a1f", "#ffffff", "#c5e1a5")

#: Side banners: left and right differ in colour *and* in the arrow, for colour-blind users.
SIDE_COLOURS = {"left": ("#ffd54f", "#1a1a1a"), "right": ("#4fc3f7", "#1a1a1a")}


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
