"""Reading and writing video times, including the Timestamp Notes plugin's slips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notebook_runner.timecode import TimeParse, format_timecode, parse_timecode


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("12:34", 754), ("1:05", 65), ("0:00", 0), ("01:03:10", 3790), ("75:30", 4530)],
)
def test_well_formed_times(text: str, seconds: int) -> None:
    assert parse_timecode(text) == TimeParse(seconds)


def test_surrounding_space_is_ignored() -> None:
    assert parse_timecode(" 12:34 ") == TimeParse(754)


@pytest.mark.parametrize(
    ("text", "seconds", "fixed"),
    [
        ("19:010", 1150, "19:10"),
        ("01:03:010", 3790, "1:03:10"),
        ("19:60", 1200, "20:00"),
        ("1:59:60", 7200, "2:00:00"),
    ],
)
def test_plugin_slips_are_read_as_meant_with_a_warning(text: str, seconds: int, fixed: str) -> None:
    reading = parse_timecode(text)
    assert (reading.seconds, reading.error, reading.suggestion) == (seconds, None, fixed)
    assert reading.warning == (
        f"time '{text}' is malformed (as the Timestamp Notes plugin sometimes writes it);"
        f" read as {fixed}"
    )


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("17.23", "17:23"), ("17,23", "17:23"), ("at 12:34", "12:34"), ("abc", None), ("12:5", None)],
)
def test_unreadable_times_are_errors_with_a_plausible_suggestion(
    text: str, suggestion: str | None
) -> None:
    reading = parse_timecode(text)
    assert reading.seconds is None
    assert reading.error == f"'{text}' is not a time (expected mm:ss, m:ss or h:mm:ss)"
    assert reading.suggestion == suggestion


@pytest.mark.parametrize("text", ["19:61", "19:0100", "1:2:3", "12:345"])
def test_other_out_of_range_fields_are_errors(text: str) -> None:
    assert parse_timecode(text).seconds is None


def test_empty_time() -> None:
    assert parse_timecode("  ") == TimeParse(None, error="the time is empty")


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (65, "1:05"), (754, "12:34"), (3790, "1:03:10")]
)
def test_format(seconds: int, text: str) -> None:
    assert format_timecode(seconds) == text


@given(st.integers(min_value=0, max_value=100 * 3600))
def test_format_reads_back(seconds: int) -> None:
    assert parse_timecode(format_timecode(seconds)) == TimeParse(seconds)


@given(st.text(max_size=30))
def test_any_text_gives_seconds_or_an_error(text: str) -> None:
    reading = parse_timecode(text)
    assert (reading.seconds is None) == (reading.error is not None)
