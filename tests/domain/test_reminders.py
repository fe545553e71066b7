"""Reminder steps: which one is valid on a day, when the next comes, and no stale catch-up."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.dates import WIB
from domain.reminders import (
    LlttRule,
    MonthlyStep,
    digest_moment,
    escalation_cycle,
    first_lltt_day,
    lltt_next_day,
    lltt_officials_due,
    lltt_step,
    missing_after_grace,
    monthly_days,
    monthly_step,
)

DUE = date(2027, 3, 10)
RULE = LlttRule()

days = st.integers(min_value=-400, max_value=400)


@pytest.mark.parametrize(
    ("offset", "step"),
    [(-31, None), (-30, -30), (-8, -30), (-7, -7), (-1, -7), (0, 0), (13, 0), (14, 14), (29, 28)],
)
def test_the_step_valid_on_a_day(offset: int, step: int | None) -> None:
    """30 and 7 days before, on the day, then every 14 days; each valid until the next."""
    assert lltt_step(DUE, DUE + timedelta(days=offset), RULE) == step


def test_after_downtime_only_the_latest_step_is_valid() -> None:
    """Down from 31 days before to 5 days before: the 7-day reminder, not the 30-day one."""
    assert lltt_step(DUE, DUE - timedelta(days=5), RULE) == -7


@given(days)
def test_the_next_day_is_the_next_step_or_the_officials(offset: int) -> None:
    """The next reminder day is after today, and no step starts between today and it."""
    today = DUE + timedelta(days=offset)
    following = lltt_next_day(DUE, today, RULE)
    assert following > today
    for between in range(1, (following - today).days):
        day = today + timedelta(days=between)
        assert lltt_step(DUE, day, RULE) == lltt_step(DUE, today, RULE)
        assert lltt_officials_due(DUE, day, RULE) == lltt_officials_due(DUE, today, RULE)


@given(days)
def test_a_step_once_valid_stays_until_a_later_one(offset: int) -> None:
    """Steps never go back: tomorrow's step is today's or a later one."""
    today = DUE + timedelta(days=offset)
    now, tomorrow = lltt_step(DUE, today, RULE), lltt_step(DUE, today + timedelta(days=1), RULE)
    assert now is None or (tomorrow is not None and tomorrow >= now)


def test_officials_are_due_30_days_overdue() -> None:
    assert not lltt_officials_due(DUE, DUE + timedelta(days=29), RULE)
    assert lltt_officials_due(DUE, DUE + timedelta(days=30), RULE)
    assert lltt_next_day(DUE, DUE + timedelta(days=28), RULE) == DUE + timedelta(days=30)


def test_the_first_day_of_a_cycle() -> None:
    assert first_lltt_day(DUE, RULE) == DUE - timedelta(days=30)
    assert first_lltt_day(DUE, LlttRule(days_before=())) == DUE


def test_a_rule_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        LlttRule(overdue_every=0)
    with pytest.raises(ValueError, match="positive"):
        LlttRule(days_before=(0,))


def test_the_monthly_days() -> None:
    """Day 25, day 1 of the next month, the last day of the grace; grace 0 leaves day 25."""
    november = date(2026, 11, 1)
    assert monthly_days(november, reminder_day=25, grace_days=5) == (
        date(2026, 11, 25),
        date(2026, 12, 1),
        date(2026, 12, 5),
    )
    assert monthly_days(november, reminder_day=25, grace_days=1) == (
        date(2026, 11, 25),
        date(2026, 12, 1),
    )
    assert monthly_days(november, reminder_day=25, grace_days=0) == (date(2026, 11, 25),)


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2026, 11, 24), None),
        (date(2026, 11, 25), MonthlyStep(date(2026, 11, 1), date(2026, 11, 25))),
        (date(2026, 11, 30), MonthlyStep(date(2026, 11, 1), date(2026, 11, 25))),
        (date(2026, 12, 1), MonthlyStep(date(2026, 11, 1), date(2026, 12, 1))),
        (date(2026, 12, 4), MonthlyStep(date(2026, 11, 1), date(2026, 12, 1))),
        (date(2026, 12, 5), MonthlyStep(date(2026, 11, 1), date(2026, 12, 5))),
        (date(2026, 12, 6), None),
        (date(2027, 1, 3), MonthlyStep(date(2026, 12, 1), date(2027, 1, 1))),
    ],
)
def test_the_monthly_step_valid_on_a_day(today: date, step: MonthlyStep | None) -> None:
    """Reminders for a month end with its grace period."""
    assert monthly_step(today, reminder_day=25, grace_days=5) == step


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)))
def test_a_monthly_step_is_one_of_its_days_and_already_come(today: date) -> None:
    step = monthly_step(today, reminder_day=25, grace_days=5)
    if step is not None:
        assert step.day <= today
        assert step.day in monthly_days(step.period, reminder_day=25, grace_days=5)


def test_missing_after_grace() -> None:
    assert missing_after_grace(date(2026, 12, 5), grace_days=5) is None
    assert missing_after_grace(date(2026, 12, 6), grace_days=5) == date(2026, 11, 1)


def test_the_digest_moment_is_this_weeks_monday_morning() -> None:
    """Monday 07:00 WIB: before it, last week's; from it, this week's."""
    monday = datetime(2026, 11, 16, 7, 0, tzinfo=WIB)
    at = time(7, 0)
    assert digest_moment(monday, weekday=0, at=at) == monday
    assert digest_moment(monday - timedelta(minutes=1), weekday=0, at=at) == monday - timedelta(
        days=7
    )
    assert digest_moment(monday + timedelta(days=3), weekday=0, at=at) == monday


def test_the_escalation_clock_runs_from_the_report_until_a_reopening() -> None:
    reported = datetime(2027, 3, 1, 9, 0, tzinfo=WIB)
    first = escalation_cycle(12, reported, [])
    assert first.start == reported
    assert first.waited(reported + timedelta(days=3)) == timedelta(days=3)
    assert first.step_key("kapanewon") == "escalation:problem:12:kapanewon"
    later = escalation_cycle(
        12, reported, [(30, reported + timedelta(days=5)), (34, reported + timedelta(days=9))]
    )
    assert later.start == reported + timedelta(days=9)
    assert later.waited(reported + timedelta(days=12)) == timedelta(days=3)
    assert later.key == "escalation:problem:12@34"
    assert later.step_key("kapanewon") != first.step_key("kapanewon")
    assert later.step_key("kapanewon").startswith(later.key + ":")
