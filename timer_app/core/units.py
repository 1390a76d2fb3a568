"""Height units for the block-height test: blocks, centimetres and inches.

The store keeps centimetres (canonical) plus what the user typed. A "block" is a yoga block
lying flat; its thickness is a setting (``Settings.block_height_cm``, default 7.5 cm). The
results dialog validates the user's text with :func:`parse_height` and :func:`parse_pain`,
which raise :class:`InputError` with a message fit to show next to the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

#: Thickness of one yoga block lying flat, in cm (the Settings default).
DEFAULT_BLOCK_HEIGHT_CM = 7.5
CM_PER_INCH = 2.54
#: No foot reaches higher than this while lying on the floor: a typo, not a result.
MAX_HEIGHT_CM = 200.0
#: Decimals a user may type (0.25 block is meaningful, 0.125 is noise).
MAX_DECIMALS = 2


class Unit(StrEnum):
    """A unit a height is entered in. The one place units and their labels are declared.

    A StrEnum, so ``Unit.CM == "cm"`` and stored/CSV text reads back as the same value.
    """

    BLOCKS = "blocks"
    CM = "cm"
    INCHES = "in"

    @property
    def short(self) -> str:
        """After a number: "3.5 blocks", "26 cm", "10 in"."""
        return _SHORT[self]

    @property
    def choice(self) -> str:
        """In a unit chooser: "blocks", "cm", "inches"."""
        return _CHOICE[self]

    @property
    def words(self) -> str:
        """In a sentence: "Enter a height in centimetres"."""
        return _WORDS[self]


_SHORT = {Unit.BLOCKS: "blocks", Unit.CM: "cm", Unit.INCHES: "in"}
_CHOICE = {Unit.BLOCKS: "blocks", Unit.CM: "cm", Unit.INCHES: "inches"}
_WORDS = {Unit.BLOCKS: "blocks", Unit.CM: "centimetres", Unit.INCHES: "inches"}
#: The unit values in display order (kept for callers that iterate plain strings).
UNITS: tuple[str, ...] = tuple(unit.value for unit in Unit)
#: Unit value to its short label (see :attr:`Unit.short`).
UNIT_LABELS: dict[str, str] = {unit.value: unit.short for unit in Unit}


class InputError(ValueError):
    """The user's text is not a valid value; ``str()`` is a sentence for the user."""


@dataclass(frozen=True)
class Height:
    """A parsed height: the value as entered, its unit, and the same height in cm."""

    entered: float
    unit: str
    cm: float


def _check_unit(unit: str, block_height_cm: float) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} (expected one of {', '.join(UNITS)})")
    if not block_height_cm > 0:
        raise ValueError(f"block height must be more than 0 cm, got {block_height_cm!r}")


def to_cm(value: float, unit: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM) -> float:
    """``value`` in ``unit`` as centimetres, rounded to 3 decimals."""
    _check_unit(unit, block_height_cm)
    factor = {"blocks": block_height_cm, "cm": 1.0, "in": CM_PER_INCH}[unit]
    # Rounded so 3 x 7.5 is stored as 22.5, not 22.499999999999996.
    return round(value * factor, 3)


def from_cm(value_cm: float, unit: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM) -> float:
    """Centimetres as a value in ``unit`` (rounded to 3 decimals)."""
    _check_unit(unit, block_height_cm)
    factor = {"blocks": block_height_cm, "cm": 1.0, "in": CM_PER_INCH}[unit]
    return round(value_cm / factor, 3)


# Plain decimal notation only: "1e3", "nan", "inf" and "0x10" are typos, not heights.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _unit_words(unit: str) -> str:
    return Unit(unit).words


def parse_height(text: str, unit: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM) -> Height:
    """Parse what the user typed. Raises :class:`InputError` for empty text, not a number,
    a negative value, more than 200 cm (or the same in blocks/inches), or more than two
    decimals. Accepts a comma as the decimal separator ("3,5")."""
    _check_unit(unit, block_height_cm)
    cleaned = text.strip()
    if not cleaned:
        raise InputError(f"Enter a height in {_unit_words(unit)}, e.g. 3.5.")
    # A decimal comma is common outside the English-speaking world; allow exactly one.
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise InputError(f"{_shown(text)} is not a number; type digits, e.g. 3.5.")
    from decimal import Decimal  # only here: imported on the first height typed

    number = Decimal(cleaned)
    if number < 0:
        raise InputError(f"{_shown(text)} is negative; a height is 0 or more.")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise InputError(f"{_shown(text)} has too many decimals; use at most {MAX_DECIMALS}.")
    value = float(number)
    cm = to_cm(value, unit, block_height_cm)
    if cm > MAX_HEIGHT_CM:
        limit = format_height(from_cm(MAX_HEIGHT_CM, unit, block_height_cm), unit)
        raise InputError(f"{_shown(text)} is too high; the most is {limit}. A typo?")
    return Height(entered=value, unit=unit, cm=cm)


def _shown(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= 20 else text[:17] + "...")


def parse_pain(text: str) -> int | None:
    """Parse an optional pain score: empty means None; otherwise a whole number 0-10."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isascii() or not cleaned.isdigit():
        raise InputError(f"Pain {_shown(text)} is not a whole number from 0 to 10.")
    score = int(cleaned)
    if score > 10:
        raise InputError(f"Pain {score} is above 10; use 0 (none) to 10 (worst).")
    return score


def column_number(value: float, signed: bool = False) -> str:
    """``value`` (in the column's unit) for a table column: always :data:`MAX_DECIMALS`
    decimals, the precision heights are entered with, so a column's numbers line up
    ("+0.40" under "+0.32", not "+0.4") and none hides a typed digit; with "+" or "−" when
    ``signed`` and it does not round to zero."""
    text = f"{abs(value):.{MAX_DECIMALS}f}"
    if signed and text.strip("0.") != "":
        text = ("+" if value >= 0 else "−") + text
    return text


def format_height(value: float, unit: str) -> str:
    """E.g. "3.5 blocks", "1 block", "26 cm", "10.25 in" (no trailing zeros)."""
    number = f"{value:.2f}".rstrip("0").rstrip(".")
    if unit == "blocks" and number == "1":
        return "1 block"
    return f"{number} {UNIT_LABELS.get(unit, unit)}"
