"""Tests for domain.lltt."""

from __future__ import annotations

from datetime import date

import pytest

from domain.lltt import days_until, next_lltt_due, overdue_days


@pytest.mark.parametrize(
    ("last", "built", "interval", "expected"),
    [
        (date(2024, 3, 15), 2015, 36, date(2027, 3, 15)),
        (date(2024, 3, 15), None, 24, date(2026, 3, 15)),
        (date(2023, 8, 31), None, 6, date(2024, 2, 29)),
        (None, 2020, 36, date(2023, 1, 1)),
        (None, 2020, 30, date(2022, 7, 1)),
        (None, None, 36, None),
    ],
)
def test_next_lltt_due_counts_from_last_desludging_or_construction(
    last: date | None, built: int | None, interval: int, expected: date | None
) -> None:
    """The last desludging restarts the cycle; never desludged counts from 1 January of build."""
    assert (
        next_lltt_due(last_desludged_on=last, built_year=built, interval_months=interval)
        == expected
    )


@pytest.mark.parametrize("interval", [0, -12])
def test_next_lltt_due_needs_a_positive_interval(interval: int) -> None:
    """A zero or negative interval is a configuration mistake."""
    with pytest.raises(ValueError, match="positive"):
        next_lltt_due(last_desludged_on=None, built_year=2020, interval_months=interval)


@pytest.mark.parametrize(
    ("due", "today", "overdue", "until"),
    [
        (date(2026, 12, 1), date(2026, 11, 1), 0, 30),
        (date(2026, 12, 1), date(2026, 12, 1), 0, 0),
        (date(2026, 12, 1), date(2026, 12, 8), 7, -7),
        (date(2026, 1, 1), date(2027, 1, 1), 365, -365),
    ],
)
def test_overdue_days_and_days_until_mirror_each_other(
    due: date, today: date, overdue: int, until: int
) -> None:
    """Days until is negative once overdue; overdue days are never negative."""
    assert overdue_days(due, today) == overdue
    assert days_until(due, today) == until
