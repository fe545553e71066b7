"""Scheduled desludging (LLTT, Layanan Lumpur Tinja Terjadwal): when each IPAL is due."""

from __future__ import annotations

from datetime import date

from domain.dates import add_months


def next_lltt_due(
    *, last_desludged_on: date | None, built_year: int | None, interval_months: int
) -> date | None:
    """The date the next scheduled desludging is due, or None when nothing is known.

    The cycle restarts at the last desludging. An IPAL never desludged counts from the start of
    its operation, taken as 1 January of the year it was built (the registry knows only the year),
    so an old IPAL that was never emptied shows as overdue.
    """
    if interval_months <= 0:
        raise ValueError(f"interval_months must be positive, got {interval_months}")
    if last_desludged_on is not None:
        return add_months(last_desludged_on, interval_months)
    if built_year is not None:
        return add_months(date(built_year, 1, 1), interval_months)
    return None


def overdue_days(due: date, today: date) -> int:
    """Days since `due` has passed; 0 on the due date and before it."""
    return max(0, (today - due).days)


def days_until(due: date, today: date) -> int:
    """Days from `today` to `due`: 0 on the day, negative once overdue."""
    return (due - today).days
