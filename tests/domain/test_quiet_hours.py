"""Tests for domain.quiet_hours."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from domain.dates import WIB
from domain.quiet_hours import after_quiet_hours, is_quiet

NIGHT = {"start": time(21, 0), "end": time(6, 0)}
AFTERNOON = {"start": time(13, 0), "end": time(15, 30)}


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (wib(16, 20, 59), wib(16, 20, 59)),
        (wib(16, 21, 0), wib(17, 6, 0)),
        (wib(16, 23, 30), wib(17, 6, 0)),
        (wib(17, 0, 0), wib(17, 6, 0)),
        (wib(17, 5, 59), wib(17, 6, 0)),
        (wib(17, 6, 0), wib(17, 6, 0)),
        (wib(17, 12, 0), wib(17, 12, 0)),
    ],
)
def test_night_window_crossing_midnight(moment: datetime, expected: datetime) -> None:
    """From 21:00 the next moment allowed is 06:00, on the same night's morning."""
    assert after_quiet_hours(moment, **NIGHT) == expected


def test_window_within_one_day() -> None:
    """A window that does not cross midnight ends the same day."""
    assert after_quiet_hours(wib(16, 14), **AFTERNOON) == wib(16, 15, 30)
    assert after_quiet_hours(wib(16, 16), **AFTERNOON) == wib(16, 16)


def test_other_time_zones_are_judged_in_wib() -> None:
    """14:30 UTC is 21:30 WIB: quiet."""
    moment = datetime(2026, 11, 16, 14, 30, tzinfo=UTC)
    assert is_quiet(moment, **NIGHT)
    assert after_quiet_hours(moment, **NIGHT) == wib(17, 6, 0)


def test_equal_ends_mean_no_quiet_hours() -> None:
    """start == end switches quiet hours off."""
    assert not is_quiet(wib(16, 23), start=time(0, 0), end=time(0, 0))
