"""Height units and the validation the results dialog shows next to its fields."""

from __future__ import annotations

import pytest

from timer_app.core.units import (
    Height,
    InputError,
    column_number,
    format_height,
    from_cm,
    parse_height,
    parse_pain,
    to_cm,
)


@pytest.mark.parametrize(
    ("value", "unit", "block", "cm"),
    [
        (3, "blocks", 7.5, 22.5),
        (3.5, "blocks", 7.5, 26.25),
        (2, "blocks", 10.0, 20.0),
        (30, "cm", 7.5, 30.0),
        (10, "in", 7.5, 25.4),
        (0.1, "cm", 7.5, 0.1),
    ],
)
def test_to_cm_and_back(value: float, unit: str, block: float, cm: float) -> None:
    assert to_cm(value, unit, block) == cm
    assert from_cm(cm, unit, block) == pytest.approx(value)


def test_unknown_unit_and_bad_block_height_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="unknown unit 'ft'"):
        to_cm(1, "ft")
    with pytest.raises(ValueError, match="block height must be more than 0"):
        to_cm(1, "blocks", 0)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("3", "blocks", Height(3.0, "blocks", 22.5)),
        (" 3.5 ", "blocks", Height(3.5, "blocks", 26.25)),
        ("3,25", "blocks", Height(3.25, "blocks", 24.375)),
        ("0", "cm", Height(0.0, "cm", 0.0)),
        (".5", "in", Height(0.5, "in", 1.27)),
        ("200", "cm", Height(200.0, "cm", 200.0)),
    ],
)
def test_parse_height_accepts(text: str, unit: str, expected: Height) -> None:
    assert parse_height(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("", "blocks", "Enter a height in blocks"),
        ("   ", "cm", "Enter a height in centimetres"),
        ("three", "blocks", "'three' is not a number"),
        ("1e3", "cm", "'1e3' is not a number"),
        ("nan", "cm", "'nan' is not a number"),
        ("3.5.1", "cm", "is not a number"),
        ("-2", "blocks", "'-2' is negative"),
        ("1.234", "blocks", "'1.234' has too many decimals; use at most 2"),
        ("200.5", "cm", "'200.5' is too high; the most is 200 cm"),
        ("27", "blocks", "'27' is too high; the most is 26.67 blocks"),
        ("79", "in", "'79' is too high; the most is 78.74 in"),
    ],
)
def test_parse_height_refuses_with_a_message_for_the_user(
    text: str, unit: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        parse_height(text, unit)


def test_trailing_zeros_do_not_count_as_decimals() -> None:
    assert parse_height("3.500", "blocks").entered == 3.5


def test_the_block_height_setting_moves_the_limit() -> None:
    assert parse_height("40", "blocks", block_height_cm=5.0).cm == 200.0
    with pytest.raises(InputError, match="too high"):
        parse_height("40", "blocks", block_height_cm=7.5)


@pytest.mark.parametrize(("text", "expected"), [("", None), (" 0 ", 0), ("7", 7), ("10", 10)])
def test_parse_pain_accepts(text: str, expected: int | None) -> None:
    assert parse_pain(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("11", "above 10"),
        ("-1", "not a whole number"),
        ("2.5", "not a whole number"),
        ("x", "0 to 10"),
    ],
)
def test_parse_pain_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_pain(text)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(3.5, "blocks", "3.5 blocks"), (1, "blocks", "1 block"), (26.0, "cm", "26 cm"),
     (10.25, "in", "10.25 in"), (26.254, "cm", "26.25 cm")],
)  # fmt: skip
def test_format_height(value: float, unit: str, text: str) -> None:
    assert format_height(value, unit) == text


def test_a_table_column_shows_every_number_with_the_same_decimals() -> None:
    # "+0.4" beside "+0.32" read as a different precision; a typed 3.75 keeps its digits.
    column = [column_number(v, signed=True) for v in (0.32, 0.4, -1.5, 0.0, 0.001, 3.75)]
    assert column == ["+0.32", "+0.40", "−1.50", "0.00", "0.00", "+3.75"]
    assert column_number(2.0) == "2.00"
