"""Typed durations: m:ss or seconds in, clear errors for anything else, m:ss out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timer_app.core.durations import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("2:00", 120),
        ("90", 90),
        ("1:30", 90),
        (" 0:05 ", 5),
        ("15s", 15),
        ("0", 0),
        ("60:00", 3600),
    ],
)
def test_reads_minutes_seconds_and_plain_seconds(typed: str, seconds: int) -> None:
    assert parse_duration(typed) == seconds


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "no duration given: type minutes:seconds like 2:00, or seconds like 90"),
        ("abc", "'abc' is not a duration: type minutes:seconds like 2:00, or seconds like 90"),
        ("1:75", "'1:75': seconds after the colon must be 00..59"),
        ("1:5", "'1:5': write two digits after the colon, like 1:05"),
        ("-5", "'-5' is not a duration"),
        ("1.5", "'1.5' is not a duration"),
    ],
)
def test_bad_input_says_what_was_typed_and_what_works(typed: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(typed)
    assert str(caught.value).startswith(message)


def test_limits_are_reported_as_durations() -> None:
    with pytest.raises(DurationError, match=r"'0:00': must be at least 0:01"):
        parse_duration("0:00", minimum=1)
    with pytest.raises(DurationError, match=r"'61:00': must be at most 60:00"):
        parse_duration("61:00", maximum=3600)


def test_formats_as_minutes_and_seconds() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(5) == "0:05"
    assert format_duration(120) == "2:00"
    assert format_duration(4500) == "75:00"


@given(st.integers(min_value=0, max_value=999 * 60 + 59))
def test_format_then_parse_is_identity(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
