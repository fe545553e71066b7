"""Which month a monthly report is for."""

from __future__ import annotations

from datetime import date

from domain.dates import month_start, previous_month


def candidate_periods(*, today: date, grace_days: int, has_report_for_previous: bool) -> list[date]:
    """Report months (first days) a member may report for, oldest first.

    The current month always. In the first `grace_days` days of a month the previous month comes
    first too, unless it already has a report: a member who reports on the 3rd of December most
    likely means November. When the list has two months the caller asks which one.
    """
    current = month_start(today)
    if today.day <= grace_days and not has_report_for_previous:
        return [previous_month(current), current]
    return [current]
