"""Tests for domain.periods."""

from __future__ import annotations

from datetime import date

import pytest

from domain.periods import candidate_periods


@pytest.mark.parametrize(
    ("today", "grace_days", "has_previous", "expected"),
    [
        (date(2026, 12, 3), 5, False, [date(2026, 11, 1), date(2026, 12, 1)]),
        (date(2026, 12, 5), 5, False, [date(2026, 11, 1), date(2026, 12, 1)]),
        (date(2026, 12, 6), 5, False, [date(2026, 12, 1)]),
        (date(2026, 12, 3), 5, True, [date(2026, 12, 1)]),
        (date(2026, 12, 1), 0, False, [date(2026, 12, 1)]),
        (date(2027, 1, 2), 7, False, [date(2026, 12, 1), date(2027, 1, 1)]),
        (date(2026, 11, 28), 31, False, [date(2026, 10, 1), date(2026, 11, 1)]),
    ],
)
def test_candidate_periods_offer_previous_month_in_grace_days(
    today: date, grace_days: int, has_previous: bool, expected: list[date]
) -> None:
    """The current month always; the unreported previous month first during the grace days."""
    assert (
        candidate_periods(today=today, grace_days=grace_days, has_report_for_previous=has_previous)
        == expected
    )
