"""Height units for the block-height test: blocks, centimetres and inches.

The store keeps centimetres (canonical) plus what the user typed. A "block" is a yoga block
lying flat; its thickness is a setting (``Settings.block_height_cm``, default 7.5 cm). The
results dialog validates the user's text with :func:`parse_height` and :func:`parse_pain`,
which raise :class:`InputError` with a message fit to show next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Thickness of one yoga block lying flat, in cm (the Settings default).
DEFAULT_BLOCK_HEIGHT_CM = 7.5
CM_PER_INCH = 2.54
#: No foot reaches higher than this while lying on the floor: a typo, not a result.
MAX_HEIGHT_CM = 200.0
#: Decimals a user may type (0.25 block is meaningful, 0.125 is noise).
MAX_DECIMALS = 2
UNITS = ("blocks", "cm", "in")
UNIT_LABELS = {"blocks": "blocks", "cm": "cm", "in": "in"}


class InputError(ValueError):
    """The user's text is not a valid value; ``str()`` is a sentence for the user."""


@dataclass(frozen=True)
class Height:
    """A parsed height: the value as entered, its unit, and the same height in cm."""

    entered: float
    unit: str
    cm: float


def to_cm(value: float, unit: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM) -> float:
    """``value`` in ``unit`` as centimetres."""
    raise NotImplementedError


def from_cm(value_cm: float, unit: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM) -> float:
    """Centimetres as a value in ``unit``."""
    raise NotImplementedError


def parse_height(text: str, unit: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM) -> Height:
    """Parse what the user typed. Raises :class:`InputError` for empty text, not a number,
    a negative value, more than 200 cm (or the same in blocks/inches), or more than two
    decimals. Accepts a comma as the decimal separator ("3,5")."""
    raise NotImplementedError


def parse_pain(text: str) -> int | None:
    """Parse an optional pain score: empty means None; otherwise a whole number 0-10."""
    raise NotImplementedError


def format_height(value: float, unit: str) -> str:
    """E.g. "3.5 blocks", "26 cm", "10.25 in" (no trailing zeros)."""
    raise NotImplementedError
